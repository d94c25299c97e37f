from __future__ import annotations

import pytest

from kansou.discovery.training import models_train
from tests.discovery.recs_data import make_catalog, write_ratings


@pytest.fixture
def models_dir(settings, tmp_path):
    settings.KANSOU_MODELS_DIR = str(tmp_path / "models")
    return tmp_path / "models"


@pytest.fixture
def catalog(db):
    return make_catalog()


@pytest.fixture
def trained(catalog, models_dir, tmp_path):
    """The small catalog, trained on its ratings; returns the catalog by MAL id."""
    models_train(ratings_csv=write_ratings(tmp_path / "ratings.csv"))
    return catalog
