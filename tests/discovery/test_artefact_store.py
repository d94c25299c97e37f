"""Publishing a version once for every node and each node switching to it
(kansou/discovery/artefact_store.py, ``artefact_current`` in kansou/discovery/artefact.py).

Two nodes in one process: each node is its own models folder (``KANSOU_MODELS_DIR``) over the
same database, cache and store, which is what several machines share.
"""

from __future__ import annotations

import logging
import os

import pytest

from kansou.discovery import artefact
from kansou.discovery.artefact import POINTER, artefact_current
from kansou.discovery.artefact_files import (
    TEMPORARY_PREFIX,
    ArtefactCopyError,
    copy_lock,
    manifest_build,
    manifest_checksum,
)
from kansou.discovery.artefact_store import (
    CURRENT_KEY,
    artefact_publish,
    published_current,
    store_prune,
)
from kansou.discovery.model_versions import ModelVersion
from kansou.discovery.training import models_train

# Committed for real: a publish announces the new version to the nodes after its commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def store(settings, tmp_path):
    settings.KANSOU_MODELS_STORE = str(tmp_path / "store")
    return tmp_path / "store"


@pytest.fixture
def nodes(settings, tmp_path):
    """``on(name)`` makes the next calls run as that node; returns its models folder."""

    def on(name: str):
        settings.KANSOU_MODELS_DIR = str(tmp_path / name)
        return tmp_path / name

    return on


def _train_on(on, name: str):
    on(name)
    return models_train(readers=False)


def test_a_published_version_is_recorded_with_its_manifest_and_made_current(catalog, store, nodes):
    report = _train_on(nodes, "a")
    row = ModelVersion.objects.get()
    assert (row.version, row.is_current, row.in_store) == (report.path.name, True, True)
    assert row.manifest == manifest_build(report.path)
    assert row.checksum == manifest_checksum(row.manifest) == report.checksum
    assert row.size_bytes == report.size_bytes and row.info["items"] == len(catalog)
    assert "@" in row.trained_by
    assert manifest_build(store / row.version) == row.manifest
    assert report.store == store


def test_publishing_again_leaves_one_current_version(catalog, store, nodes):
    first, second = _train_on(nodes, "a"), _train_on(nodes, "a")
    current = ModelVersion.objects.filter(is_current=True)
    assert [row.version for row in current] == [second.path.name]
    assert ModelVersion.objects.get(version=first.path.name).is_current is False


def test_a_node_that_never_trained_serves_the_published_version(catalog, store, nodes):
    report = _train_on(nodes, "a")
    node_b = nodes("b")
    served = artefact_current()
    assert served is not None and served.version == report.path.name
    assert served.path == node_b / report.path.name  # memory-mapped from its own disk
    assert (node_b / POINTER).read_text().strip() == report.path.name
    assert manifest_build(served.path) == manifest_build(store / report.path.name)


def test_a_new_version_is_served_on_the_next_call_without_a_restart(catalog, store, nodes):
    _train_on(nodes, "a")
    nodes("b")
    before = artefact_current()
    second = _train_on(nodes, "a")
    nodes("b")
    assert artefact_current().version == second.path.name != before.version


def test_the_current_version_comes_from_the_cache_without_a_query(
    catalog, store, nodes, django_assert_num_queries
):
    report = _train_on(nodes, "a")
    with django_assert_num_queries(0):
        assert published_current().version == report.path.name
    from django.core.cache import cache

    cache.delete(CURRENT_KEY)  # emptied or evicted: one indexed query, then cached again
    with django_assert_num_queries(1):
        assert published_current().version == report.path.name
    with django_assert_num_queries(0):
        published_current()


def test_a_truncated_file_in_the_store_keeps_the_old_version_and_logs_an_error(
    catalog, store, nodes, caplog, monkeypatch
):
    first = _train_on(nodes, "a")
    node_b = nodes("b")
    assert artefact_current().version == first.path.name
    second = _train_on(nodes, "a")
    stored = store / second.path.name / "items.npy"
    intact = stored.read_bytes()
    with open(stored, "r+b") as handle:
        handle.truncate(10)
    nodes("b")
    with caplog.at_level(logging.ERROR, logger="kansou.discovery.artefact"):
        assert artefact_current().version == first.path.name
    assert f"model version {second.path.name} not copied from the store" in caplog.text
    assert "items.npy: 10 bytes" in caplog.text
    assert f"still serving {first.path.name}" in caplog.text
    assert not (node_b / second.path.name).exists()
    assert [p.name for p in node_b.iterdir() if p.name.startswith(TEMPORARY_PREFIX)] == []
    assert (node_b / POINTER).read_text().strip() == first.path.name

    caplog.clear()  # a failed version is not tried again on every request...
    with caplog.at_level(logging.ERROR, logger="kansou.discovery.artefact"):
        assert artefact_current().version == first.path.name
    assert caplog.text == ""
    stored.write_bytes(intact)  # ...but after RETRY_SECONDS, and the repaired copy is served
    monkeypatch.setattr(artefact, "RETRY_SECONDS", 0)
    assert artefact_current().version == second.path.name


def test_an_unfinished_copy_left_by_a_killed_process_is_removed_and_never_served(
    catalog, store, nodes
):
    report = _train_on(nodes, "a")
    node_b = nodes("b")
    leftover = node_b / f"{TEMPORARY_PREFIX}{report.path.name}-killed"
    leftover.mkdir(parents=True)
    (leftover / "items.npy").write_bytes(b"half")
    served = artefact_current()
    assert served.version == report.path.name and served.path == node_b / report.path.name
    assert not leftover.exists()


def test_while_another_process_copies_the_node_keeps_serving_what_it_has(catalog, store, nodes):
    first = _train_on(nodes, "a")
    node_b = nodes("b")
    assert artefact_current().version == first.path.name
    second = _train_on(nodes, "a")
    nodes("b")
    with copy_lock(node_b) as held:  # another worker of node B is copying the new version
        assert held
        assert artefact_current().version == first.path.name
    assert artefact_current().version == second.path.name


def test_a_version_trained_without_the_store_is_not_fetched(catalog, settings, nodes, store):
    settings.KANSOU_MODELS_STORE = ""
    report = _train_on(nodes, "a")
    assert ModelVersion.objects.get().in_store is False
    settings.KANSOU_MODELS_STORE = str(store)
    nodes("b")
    assert published_current() is None and artefact_current() is None
    nodes("a")  # nothing published to the store: the node's own folder still serves
    assert artefact_current().version == report.path.name


def test_on_one_machine_the_version_is_recorded_and_the_folder_serves_it(catalog, nodes):
    report = _train_on(nodes, "a")
    row = ModelVersion.objects.get()
    assert (row.version, row.is_current, row.in_store) == (report.path.name, True, False)
    assert report.store is None
    assert artefact_current().version == report.path.name


def test_a_failed_copy_to_the_store_publishes_nothing(store, nodes):
    version = nodes("a") / "20260101T000000000000Z"
    version.mkdir(parents=True)
    (version / "items.npy").write_bytes(b"items")
    store.mkdir()
    (store / version.name).write_text("a file where the version's folder should go")
    with pytest.raises((ArtefactCopyError, OSError)):
        artefact_publish(directory=version, info={})
    assert not ModelVersion.objects.exists()


def test_the_store_keeps_the_newest_versions_and_their_rows_say_so(catalog, store, nodes):
    reports = [_train_on(nodes, "a") for _ in range(4)]
    assert sorted(p.name for p in store.iterdir() if p.is_dir()) == [
        r.path.name for r in reports[1:]
    ]
    in_store = dict(ModelVersion.objects.values_list("version", "in_store"))
    assert in_store == {r.path.name: r is not reports[0] for r in reports}
    assert store_prune(store, keep=1) == [r.path.name for r in reports[1:3]]
    assert os.listdir(store / reports[-1].path.name)
