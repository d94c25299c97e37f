from __future__ import annotations

import json

import numpy as np
import pytest

from kansou.recommend.base import Recommender
from kansou.recommend.content import ContentRecommender
from kansou.recommend.ease import EASERecommender
from kansou.recommend.persist import ModelFormatError
from tests.recommend import synthetic


@pytest.fixture
def saved(tmp_path):
    model = EASERecommender(l2=1.0).fit(synthetic.user_items())
    return model, model.save(tmp_path / "ease")


def test_the_manifest_names_format_version_and_model(saved):
    _, path = saved
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["format_version"] == 1 and manifest["model"] == "ease"
    assert manifest["config"] == {"l2": 1.0, "dropout": 0.0}


def test_a_dropout_ease_loads_as_what_it_was(tmp_path):
    model = EASERecommender(l2=1.0, dropout=0.2).fit(synthetic.user_items())
    loaded = Recommender.load(model.save(tmp_path / "ease"))
    assert (loaded.name, loaded.dropout) == ("ease+dropout", 0.2)
    np.testing.assert_array_equal(loaded.weights, model.weights)


def test_arrays_are_plain_npy_that_load_without_pickle_and_memory_mapped(saved):
    _, path = saved
    weights = np.load(path / "B.npy", mmap_mode="r", allow_pickle=False)
    assert isinstance(weights, np.memmap)
    assert isinstance(Recommender.load(path).weights, np.memmap)


def test_another_format_version_is_refused(saved):
    _, path = saved
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["format_version"] = 99
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelFormatError, match="version 99"):
        Recommender.load(path)


def test_loading_as_the_wrong_class_is_refused(saved):
    with pytest.raises(TypeError):
        ContentRecommender.load(saved[1])


def test_saving_over_a_model_replaces_it(saved, tmp_path):
    model, path = saved
    other = EASERecommender(l2=50.0).fit(synthetic.user_items())
    other.save(path)
    assert Recommender.load(path).l2 == 50.0
    assert [p.name for p in tmp_path.iterdir()] == ["ease"]
