"""Hashed static file names, kept for a year; plain names whenever nothing was collected."""

from __future__ import annotations

import gzip
import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command

pytestmark = pytest.mark.django_db

YEAR_AND_MORE = "max-age=315360000"


@pytest.fixture
def collected(settings, tmp_path):
    """``collectstatic`` as ``kansou serve`` runs it, into a fresh folder (the project's own
    static files only, to keep it quick)."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_pages_link_hashed_names_served_with_a_years_cache(client, collected):
    html = client.get("/anime/").text

    (href,) = re.findall(r'href="(/static/kansou/site\.[0-9a-f]{12}\.css)"', html)
    response = client.get(href)
    assert response.status_code == 200
    assert YEAR_AND_MORE in response["Cache-Control"] and "immutable" in response["Cache-Control"]
    assert body(response) == (collected / href.removeprefix("/static/")).read_bytes()


def test_hashed_file_comes_compressed_once_when_asked(client, collected):
    href = staticfiles_storage.url("kansou/site.css")

    plain = body(client.get(href))
    response = client.get(href, HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(body(response)) == plain


def test_plain_name_is_served_with_a_short_cache(client, collected):
    response = client.get("/static/kansou/site.css")

    assert response.status_code == 200
    assert YEAR_AND_MORE not in response["Cache-Control"]


def test_a_file_missing_from_the_manifest_is_linked_by_its_plain_name(collected):
    assert staticfiles_storage.url("kansou/not-collected.css") == "/static/kansou/not-collected.css"


def test_with_debug_pages_link_plain_names(collected, settings):
    settings.DEBUG = True

    assert staticfiles_storage.url("kansou/site.css") == "/static/kansou/site.css"


def test_without_a_manifest_pages_link_plain_names(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "never-collected"

    html = client.get("/anime/").text

    assert 'href="/static/kansou/site.css"' in html
