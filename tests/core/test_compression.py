"""Gzip for pages anonymous readers get; never for a response that carries a secret (BREACH)."""

from __future__ import annotations

import gzip

import pytest
from django.contrib.auth.models import User

from tests.catalog.factories import AnimeFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def catalog():
    AnimeFactory.create_batch(5)


def test_anonymous_page_comes_back_gzipped_and_decodes_to_the_same_page(client, catalog):
    plain = client.get("/anime/")
    packed = client.get("/anime/", **GZIP)

    assert plain.status_code == packed.status_code == 200
    assert not plain.has_header("Content-Encoding")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)
    assert gzip.decompress(packed.content) == plain.content


def test_signed_in_readers_pages_are_not_compressed(client, catalog):
    client.force_login(User.objects.create_user("aki"))

    response = client.get("/anime/", **GZIP)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_a_page_with_a_csrf_token_is_not_compressed(client):
    response = client.get("/accounts/login/", **GZIP)

    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert not response.has_header("Content-Encoding")


def test_cached_page_is_stored_plain_and_compressed_for_each_reader_that_asks(
    client, settings, catalog
):
    settings.KANSOU_PAGE_CACHE_SECONDS = 60

    first = client.get("/anime/", **GZIP)
    hit_packed = client.get("/anime/", **GZIP)
    hit_plain = client.get("/anime/")

    assert (first["X-Kansou-Cache"], hit_packed["X-Kansou-Cache"]) == ("miss", "hit")
    assert hit_packed["Content-Encoding"] == "gzip"
    assert not hit_plain.has_header("Content-Encoding")
    assert gzip.decompress(hit_packed.content) == hit_plain.content
