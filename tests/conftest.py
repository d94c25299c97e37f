"""Suite-wide test settings."""

import pytest

LOCAL_MEMORY_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test gets an empty in-memory cache and no page or fragment cache, unless it turns
    them on."""
    settings.CACHES = LOCAL_MEMORY_CACHE
    settings.KANSOU_PAGE_CACHE_SECONDS = 0
    settings.KANSOU_FRAGMENT_CACHE_SECONDS = 0
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_trained_models(settings, tmp_path_factory):
    """The recommender reads an empty models folder; tests that train point it elsewhere."""
    settings.KANSOU_MODELS_DIR = str(tmp_path_factory.getbasetemp() / "no-models")


def pytest_collection_modifyitems(config, items):
    """Tests marked ``shared_data`` import the real 19,430-title catalog: they run once, on
    SQLite. On PostgreSQL the same import inside a test transaction takes minutes and checks
    nothing the fixture-sized tests do not (the suite runs on both databases)."""
    import os

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="real-catalog checks run on SQLite only")
    for item in items:
        if "shared_data" in item.keywords:
            item.add_marker(skip)
