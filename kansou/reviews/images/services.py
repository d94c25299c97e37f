"""Adding images to reviews: checked with Pillow, resized, stored, recorded.

Rules (``review_image_add``):

- the alt text is required (``ALT_REQUIRED``), at most ``ALT_MAX`` characters, one line;
- the file must be a real JPEG, PNG, WebP or GIF under ``MAX_UPLOAD_BYTES`` and
  ``MAX_UPLOAD_PIXELS`` (``pictures.picture_open`` says what is wrong otherwise);
- the file is kept as uploaded and WebP renditions are made at ``names.IMAGE_WIDTHS`` (a GIF is
  kept as it is: resizing would stop its animation); names hold the content's digest, so the same
  file uploaded twice is stored once, and one review records it once (the newer alt text wins).

``picture_fetch`` stores an image from an old blog the same way, through the polite fetcher.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from kansou.catalog.images.fetching import Fetcher
from kansou.catalog.images.pictures import Picture, picture_open, renditions
from kansou.reviews.images.models import ALT_MAX, ReviewImage
from kansou.reviews.images.names import IMAGE_WIDTHS, original_name, rendition_name
from kansou.reviews.models import Review

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_PIXELS = 40_000_000
ALT_REQUIRED = "Describe the image (alt text) for readers who cannot see it."
ALT_TOO_LONG = f"Keep the alt text under {ALT_MAX} characters."


def clean_alt(alt: str) -> str:
    """``alt`` on one line, or ``ValidationError`` with the rule it breaks."""
    alt = " ".join((alt or "").split())
    if not alt:
        raise ValidationError({"alt": ALT_REQUIRED})
    if len(alt) > ALT_MAX:
        raise ValidationError({"alt": ALT_TOO_LONG})
    return alt


@transaction.atomic
def review_image_add(
    *, review: Review, picture: Picture, alt: str, by=None, source_url: str = ""
) -> ReviewImage:
    """Store ``picture`` for ``review`` (rules in the module docstring) and record it."""
    alt = clean_alt(alt)
    _store(picture)
    image, _ = ReviewImage.objects.update_or_create(
        review=review,
        digest=picture.digest,
        defaults={
            "alt": alt, "uploaded_by": by, "name": _original(picture), "width": picture.width,
            "height": picture.height, "ext": picture.ext, "size_bytes": len(picture.data),
            "source_url": source_url,
        },
    )  # fmt: skip
    return image


def picture_fetch(*, url: str, fetcher: Fetcher) -> Picture:
    """The image at ``url`` fetched politely, checked and stored (no row yet: the importer
    records it once its review exists); ``FetchError`` or ``ImageProblem`` when it cannot be."""
    picture = picture_open(fetcher.get(url), max_bytes=fetcher.max_bytes,
                           max_pixels=MAX_UPLOAD_PIXELS)  # fmt: skip
    _store(picture)
    return picture


def picture_url(picture: Picture) -> str:
    """The URL a review names for a stored ``picture`` (as ``ReviewImage.url``)."""
    return ReviewImage(digest=picture.digest, width=picture.width, height=picture.height,
                       ext=picture.ext, name=_original(picture)).url  # fmt: skip


def _original(picture: Picture) -> str:
    return original_name(picture.digest, picture.width, picture.height, picture.ext)


def _store(picture: Picture) -> None:
    _save(_original(picture), picture.data)
    if picture.ext == "gif":
        return
    for made in renditions(picture, widths=IMAGE_WIDTHS, formats=("webp",)):
        name = rendition_name(picture.digest, picture.width, picture.height, made.width)
        _save(name, made.data)


def _save(name: str, data: bytes) -> None:
    if not default_storage.exists(name):  # same name, same content (the name holds its digest)
        default_storage.save(name, ContentFile(data))
