import pytest

from tests.catalog.images.imageserver import serve


@pytest.fixture
def image_server():
    """A local HTTP server for images (tests never reach the internet)."""
    state, server = serve()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Stored images go to a fresh folder per test."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
