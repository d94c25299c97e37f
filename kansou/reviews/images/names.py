"""Storage names of review images, and what the Markdown renderer adds to one. Pure: no Django.

An image is stored once per content, whatever review uses it::

    reviews/<digest>-<W>x<H>.<ext>            the file as uploaded (JPEG, PNG, WebP or GIF)
    reviews/<digest>-<W>x<H>-<w>w.webp        a rendition <w> pixels wide (not for GIF)

``<digest>`` is 12 hex digits of the file's SHA-256 and ``W×H`` its size, so an image's URL alone
tells the renderer its shape and its renditions: ``own_image`` reads them back, and
``responsive_img_attributes`` gives the ``<img>`` its ``srcset``, ``sizes``, ``width``,
``height`` and lazy loading without a database query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

UPLOAD_DIR = "reviews"
IMAGE_WIDTHS = (480, 960, 1600)
MAIN_WIDTH = 960  # the rendition a Markdown snippet names
# The review column: full width on phones, beside the 18rem about box from 60rem.
SIZES = "(min-width: 60rem) 44rem, 94vw"

_OWN_RE = re.compile(
    r"^(?P<prefix>(?:[a-z]+:)?[^\s\"'<>]*/)?"
    + UPLOAD_DIR
    + r"/(?P<digest>[0-9a-f]{12})-(?P<w>[1-9]\d{0,4})x(?P<h>[1-9]\d{0,4})"
    r"(?:-(?P<rendition>[1-9]\d{0,4})w\.webp|\.(?P<ext>jpg|png|webp|gif))$"
)


def original_name(digest: str, width: int, height: int, ext: str) -> str:
    return f"{UPLOAD_DIR}/{digest}-{width}x{height}.{ext}"


def rendition_name(digest: str, width: int, height: int, rendition: int) -> str:
    return f"{UPLOAD_DIR}/{digest}-{width}x{height}-{rendition}w.webp"


def rendition_widths(width: int) -> list[int]:
    """The rendition widths an image ``width`` pixels wide gets (never enlarged).

    >>> rendition_widths(4000), rendition_widths(700)
    ([480, 960, 1600], [480, 700])
    """
    return sorted({min(w, width) for w in IMAGE_WIDTHS})


def main_rendition(width: int) -> int:
    """The rendition a snippet names: ``MAIN_WIDTH``, or the widest below it.

    >>> main_rendition(4000), main_rendition(700)
    (960, 700)
    """
    return max(w for w in rendition_widths(width) if w <= MAIN_WIDTH)


@dataclass(frozen=True)
class OwnImage:
    prefix: str  # the URL up to the upload folder: "/media/", "https://cdn.example/"
    digest: str
    width: int
    height: int
    animated: bool  # a GIF: kept as is, no renditions

    def url(self, rendition: int) -> str:
        return self.prefix + rendition_name(self.digest, self.width, self.height, rendition)

    def srcset(self) -> str:
        return ", ".join(f"{self.url(w)} {w}w" for w in rendition_widths(self.width))


def own_image(src: str) -> OwnImage | None:
    """The image ``src`` names when it is one of ours, else None.

    >>> own_image("/media/reviews/0123456789ab-1600x900-960w.webp").height
    900
    >>> own_image("https://example.org/cat.jpg") is None
    True
    """
    match = _OWN_RE.match(src)
    if match is None:
        return None
    return OwnImage(
        prefix=match["prefix"] or "",
        digest=match["digest"],
        width=int(match["w"]),
        height=int(match["h"]),
        animated=match["ext"] == "gif",
    )


def responsive_img_attributes(src: str) -> str:
    """`` srcset=… sizes=… width=… height=… loading="lazy" decoding="async"`` for one of our
    images (the ``width``/``height`` of the drawn rendition, so the page keeps its shape while
    it loads); "" for anyone else's."""
    image = own_image(src)
    if image is None:
        return ""
    drawn = image.width if image.animated else main_rendition(image.width)
    height = max(1, round(image.height * drawn / image.width))
    srcset = "" if image.animated else f' srcset="{escape(image.srcset())}" sizes="{SIZES}"'
    return f'{srcset} width="{drawn}" height="{height}" loading="lazy" decoding="async"'
