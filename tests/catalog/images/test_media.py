"""``/media/…``: stored images served with their type and a year's cache, nothing else."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.catalog.images.imageserver import image_bytes

pytestmark = pytest.mark.django_db


def test_a_stored_image_is_served_with_its_type_and_cached_for_a_year(client):
    default_storage.save("posters/1/abc-160.webp", ContentFile(image_bytes(fmt="WEBP")))
    response = client.get("/media/posters/1/abc-160.webp")
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert "max-age=31536000" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"RIFF")


@pytest.mark.parametrize(
    "path",
    ["posters/1/none.webp", "secret_key", "posters/1/x.svg", "posters/../secret_key.jpg",
     "other/a.jpg"],
)  # fmt: skip
def test_anything_else_is_not_found(client, path):
    default_storage.save("posters/1/x.svg", ContentFile(b"<svg/>"))
    assert client.get("/media/" + path).status_code == 404


def test_only_get_and_head(client):
    assert client.post("/media/posters/1/abc.jpg").status_code == 405
