# The catalog's image fixtures (a local image server; stored images in a fresh folder per test).
from tests.catalog.images.conftest import _media_in_tmp, image_server  # noqa: F401
