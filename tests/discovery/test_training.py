"""``models_train``: a loadable, versioned artefact and an atomic switch of ``current``."""

from __future__ import annotations

import pytest

from kansou.discovery import artefact as store
from kansou.discovery.artefact import POINTER, artefact_current, artefact_load
from kansou.discovery.training import models_train
from kansou.recommend.content import ContentRecommender
from kansou.recommend.hybrid import HybridRecommender
from tests.discovery.recs_data import write_ratings

pytestmark = pytest.mark.django_db


def test_train_writes_a_loadable_artefact_and_makes_it_current(catalog, models_dir, tmp_path):
    report = models_train(ratings_csv=write_ratings(tmp_path / "r.csv"))
    assert (models_dir / POINTER).read_text().strip() == report.path.name
    art = artefact_current()
    assert art is not None and art.version == report.path.name
    assert isinstance(art.model, HybridRecommender)
    assert len(art.items) == len(catalog) == report.items
    assert art.table.indices.shape == (len(catalog), len(catalog) - 1)
    assert report.unmatched_ratings == 12 and report.size_bytes > 0


def test_without_interactions_only_the_content_model_is_trained(catalog, models_dir):
    report = models_train(readers=False)
    assert report.model == "content"
    assert isinstance(artefact_load(report.path).model, ContentRecommender)


def test_training_again_switches_current_and_the_process_reloads(catalog, models_dir):
    first = models_train()
    assert artefact_current().version == first.path.name
    second = models_train()
    assert (models_dir / POINTER).read_text().strip() == second.path.name
    assert artefact_current().version == second.path.name
    assert first.path.exists()  # kept: a worker may still be reading it
    assert not [p for p in models_dir.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_training_leaves_the_served_version_alone(catalog, models_dir, monkeypatch):
    first = models_train()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("kansou.discovery.training.artefact_write", broken)
    with pytest.raises(OSError):
        models_train()
    assert (models_dir / POINTER).read_text().strip() == first.path.name


def test_only_the_newest_versions_are_kept(catalog, models_dir, monkeypatch):
    monkeypatch.setattr(store, "KEEP_VERSIONS", 2)
    reports = [models_train() for _ in range(3)]
    names = sorted(p.name for p in models_dir.iterdir() if p.is_dir())
    assert names == [r.path.name for r in reports[1:]]


def test_an_empty_catalog_is_refused(db, models_dir):
    with pytest.raises(ValueError, match="catalog is empty"):
        models_train()


def test_no_artefact_means_no_recommender(db, models_dir):
    assert artefact_current() is None
    models_dir.mkdir()
    (models_dir / POINTER).write_text("missing-version\n")
    assert artefact_current() is None


def test_readers_pairs_feed_the_models_but_not_the_reader_counts(catalog, models_dir, tmp_path):
    from tests.discovery.pairs_factories import PairFactory

    ratings = write_ratings(tmp_path / "r.csv")
    models_train(ratings_csv=ratings)
    before = artefact_current()
    one, six = before.index_of(catalog[1].pk), before.index_of(catalog[6].pk)
    seen = before.model.popularity[[one, six]].tolist()
    PairFactory(anime_a=catalog[1], anime_b=catalog[6])  # one reader's pair: one row of both
    models_train(ratings_csv=ratings)
    after = artefact_current()
    assert after.model.popularity[[one, six]].tolist() == [seen[0] + 1, seen[1] + 1]
    assert after.popularity.tolist() == before.popularity.tolist()  # readers, as reasons count
