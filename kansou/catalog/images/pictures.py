"""Image bytes → a checked ``Picture`` and its resized renditions (Pillow). No Django.

``picture_open`` is the one gate every image passes (uploads, fetched posters, imported blog
images): the bytes must be a real image Pillow can decode whole, in one of ``FORMATS``, under a
byte cap and a pixel cap (a decompression bomb is refused before it is decoded). Renditions are
made from the first frame with the EXIF orientation applied and no metadata kept, so a phone
photo's GPS position never reaches readers.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's format name → the file extension Kansou stores it under.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000  # 40 megapixels: any camera photo, not a bomb
WEBP_QUALITY = 80
EXIF_ORIENTATION = 0x0112
TURNED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
JPEG_QUALITY = 82


class ImageProblem(ValueError):
    """The bytes are not an image Kansou accepts; the message says why, for the author."""


@dataclass(frozen=True)
class Picture:
    data: bytes
    format: str  # a key of FORMATS
    width: int
    height: int

    @property
    def ext(self) -> str:
        return FORMATS[self.format]

    @property
    def digest(self) -> str:
        """First 12 hex digits of the SHA-256 of the bytes: names change when content does."""
        return hashlib.sha256(self.data).hexdigest()[:12]

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    ext: str  # "webp" or "jpg"
    data: bytes


def picture_open(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_pixels: int = DEFAULT_MAX_PIXELS
) -> Picture:
    """``data`` as a ``Picture``, or ``ImageProblem`` naming what is wrong with it."""
    if not data:
        raise ImageProblem("The file is empty.")
    if len(data) > max_bytes:
        raise ImageProblem(
            f"The file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB."
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in FORMATS:
                raise ImageProblem(
                    f"{kind or 'This'} images are not accepted: use JPEG, PNG, WebP or GIF."
                )
            if width * height > max_pixels:
                raise ImageProblem(
                    f"The image is {width}×{height} pixels; the limit is "
                    f"{max_pixels / 1e6:.0f} megapixels."
                )
            image.load()  # decodes the whole first frame: a truncated file fails here
            if image.getexif().get(EXIF_ORIENTATION, 1) in TURNED:
                width, height = height, width  # shown turned a quarter: as renditions are
    except ImageProblem:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ImageProblem("The file is not an image (JPEG, PNG, WebP or GIF).") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageProblem(f"The image is damaged or cut short ({exc}).") from None
    return Picture(data=data, format=kind, width=width, height=height)


def target_widths(picture: Picture, widths: tuple[int, ...]) -> list[int]:
    """The widths to make: each of ``widths`` below the picture's own, and the picture's width
    when it is narrower than the widest asked (never enlarged).

    >>> target_widths(Picture(b"", "JPEG", 460, 650), (160, 320, 640))
    [160, 320, 460]
    >>> target_widths(Picture(b"", "JPEG", 100, 150), (160, 320))
    [100]
    """
    return sorted({min(width, picture.width) for width in widths})


def renditions(
    picture: Picture, *, widths: tuple[int, ...], formats: tuple[str, ...] = ("webp", "jpg")
) -> list[Rendition]:
    """The picture resized to each of ``target_widths``, in each of ``formats``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(picture.data)) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGBA")
    made = []
    for width in target_widths(picture, widths):
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        for ext in formats:
            made.append(Rendition(width, height, ext, _encode(resized, ext)))
    return made


def _encode(image: Image.Image, ext: str) -> bytes:
    out = io.BytesIO()
    if ext == "webp":
        has_alpha = image.getextrema()[3][0] < 255
        (image if has_alpha else image.convert("RGB")).save(
            out, "WEBP", quality=WEBP_QUALITY, method=4
        )
    elif ext == "jpg":
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        flat.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        raise ValueError(f"cannot encode renditions as {ext!r}")
    return out.getvalue()
