"""``kansou catalog images`` as a user runs it, against a local image server."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kansou.cli import cli
from tests.catalog.factories import AnimeFactory
from tests.catalog.images.imageserver import image_bytes, serve

pytestmark = pytest.mark.django_db


@pytest.fixture
def image_server(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    state, server = serve()
    yield state
    server.shutdown()
    server.server_close()


def run(*args: str):
    return CliRunner().invoke(cli, ["catalog", "images", "--quiet", *args], catch_exceptions=False)


def test_images_fetches_what_is_missing_and_says_what_failed(image_server):
    AnimeFactory(title="Fine", picture=image_server.add("/fine.jpg", image_bytes()))
    AnimeFactory(title="Gone", picture=image_server.url("/gone.jpg"))
    result = run("--rate", "20")
    assert result.exit_code == 1
    assert "Gone: " in result.output and "HTTP 404" in result.output
    assert "2 posters to fetch: 1 stored, 1 failed (2 requests" in result.output
    again = run("--rate", "20")
    assert "1 posters to fetch: 0 stored, 1 failed" in again.output
    assert image_server.hits("/fine.jpg") == 1


def test_images_exits_0_when_every_poster_is_stored(image_server):
    AnimeFactory(picture=image_server.add("/ok.jpg", image_bytes()))
    result = run("--rate", "20", "--limit", "5")
    assert result.exit_code == 0 and "1 stored, 0 failed" in result.output
