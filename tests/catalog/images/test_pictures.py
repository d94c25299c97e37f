"""The one gate every image passes: real, allowed, capped; renditions never enlarged."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from kansou.catalog.images.pictures import ImageProblem, picture_open, renditions
from tests.catalog.images.imageserver import image_bytes


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_each_accepted_format_opens_with_its_size(fmt):
    picture = picture_open(image_bytes(30, 40, fmt))
    assert (picture.format, picture.width, picture.height) == (fmt, 30, 40)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"GIF89a but not really", "not an image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not an image"),
        (image_bytes(30, 40, "JPEG")[:200], "damaged or cut short"),
    ],
)
def test_bad_bytes_are_refused_with_a_reason(data, message):
    with pytest.raises(ImageProblem, match=message):
        picture_open(data)


def test_other_formats_are_refused_by_name():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "BMP")
    with pytest.raises(ImageProblem, match="BMP images are not accepted"):
        picture_open(out.getvalue())


def test_too_many_bytes_and_too_many_pixels_are_refused():
    with pytest.raises(ImageProblem, match="limit is"):
        picture_open(image_bytes(), max_bytes=100)
    with pytest.raises(ImageProblem, match="2000×2000 pixels"):
        picture_open(image_bytes(2000, 2000, "PNG"), max_pixels=1_000_000)


def test_renditions_are_made_at_each_width_below_the_original_in_webp_and_jpeg():
    made = renditions(picture_open(image_bytes(460, 650)), widths=(160, 320, 640))
    assert sorted((r.width, r.height, r.ext) for r in made) == [
        (160, 226, "jpg"), (160, 226, "webp"), (320, 452, "jpg"), (320, 452, "webp"),
        (460, 650, "jpg"), (460, 650, "webp"),
    ]  # fmt: skip
    for rendition in made:
        with Image.open(io.BytesIO(rendition.data)) as image:
            assert image.size == (rendition.width, rendition.height)
