"""The site's icon: linked from every page and answered at ``/favicon.ico``."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

pytestmark = pytest.mark.django_db

ICO_HEADER = b"\x00\x00\x01\x00"  # reserved 0, type 1 (icon)


def test_favicon_ico_answers_the_icon_cached_for_a_week(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content.startswith(ICO_HEADER)
    assert int.from_bytes(response.content[4:6], "little") == 3  # 16, 32 and 48 pixels
    with open(finders.find("kansou/favicon.ico"), "rb") as shipped:
        assert response.content == shipped.read()
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=604800"} <= control


def test_favicon_ico_answers_only_reads(client):
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


def test_pages_link_the_icon_and_its_vector_version(client):
    html = client.get("/anime/").text

    ico, svg = (staticfiles_storage.url(f"kansou/favicon.{ext}") for ext in ("ico", "svg"))
    assert f'<link rel="icon" href="{ico}" sizes="32x32">' in html
    assert f'<link rel="icon" href="{svg}" type="image/svg+xml">' in html


def test_vector_icon_is_a_square_svg():
    root = ET.parse(finders.find("kansou/favicon.svg")).getroot()

    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 64 64"
