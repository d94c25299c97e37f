"""Trained models on disk, and the one copy each web process serves from.

Layout under ``KANSOU_MODELS_DIR`` (default ``KANSOU_DATA_DIR/models``)::

    models/
      current                   the name of the version being served (one line)
      20250301T120000Z/         one version per ``kansou train``
        artefact.json           format, version, counts, training time
        items.npy               anime id of each item index (int64)
        kinds.npy years.npy episodes.npy scores.npy     catalog facts filters and profiles use
        popularity.npy lovers.npy                       interactions / positives per item
        features.{data,indices,indptr}.npy feature_names.npy idf.npy   binary item features
        positives.{data,indices,indptr}.npy             users × items, who loved what
        model/                  the fitted recommender (``kansou.recommend.persist``)
        neighbours/             the top-k table, its similarities and co-lover counts

A version directory is complete before ``current`` names it: ``current`` is written to a
temporary file and renamed over the old one (atomic on POSIX), so a reader sees the old version
or the new one, never half of either. Old versions are pruned, keeping ``KEEP_VERSIONS``.

A web process never trains and loads at most once per version: :func:`artefact_current` reads
the pointer (a few bytes) and, when it names a version not loaded yet, memory-maps it under a
lock; arrays are paged in only when touched. A missing or unreadable artefact gives ``None`` and
every page falls back to SQL.

Several machines (``KANSOU_MODELS_STORE``): a version is published once — its manifest and
checksums in a database row, its files in the shared store (:mod:`kansou.discovery
.artefact_store`) — and each node's next request sees it, copies it into its own models folder
(checked file by file, renamed into place only when whole: :mod:`kansou.discovery
.artefact_files`), switches ``current`` and memory-maps it from its local disk.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from django.conf import settings

from kansou.discovery.artefact_files import ArtefactCopyError
from kansou.discovery.artefact_store import Published, published_current, store_dir, store_fetch
from kansou.recommend.base import Recommender
from kansou.recommend.features import ItemFeatures
from kansou.recommend.ids import IdMap
from kansou.recommend.neighbours import NeighbourTable
from kansou.recommend.persist import load_model
from kansou.recommend.reasons import Explainer

FORMAT = "kansou-artefact"
FORMAT_VERSION = 1
POINTER = "current"
KEEP_VERSIONS = 3
MEMO_SIZE = 256
COLOVERS_FILE = "colovers.npy"
log = logging.getLogger(__name__)


def models_dir() -> Path:
    configured = getattr(settings, "KANSOU_MODELS_DIR", "") or Path(settings.DATA_DIR) / "models"
    return Path(configured)


@dataclass
class Artefact:
    """One loaded version. Arrays are indexed by item index (see ``items``)."""

    path: Path
    info: dict
    items: IdMap
    arrays: dict[str, np.ndarray]
    features: ItemFeatures
    positives: sp.csr_matrix
    table: NeighbourTable
    colovers: np.ndarray
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def version(self) -> str:
        return self.path.name

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["arrays"][name]
        except KeyError:
            raise AttributeError(name) from None

    @cached_property
    def model(self) -> Recommender:
        return load_model(self.path / "model", mmap=True)

    @cached_property
    def _explainer(self) -> Explainer:
        return Explainer(self.positives, self.features)

    def explainer(self, titles: dict[int, str]) -> Explainer:
        """An explainer naming items by ``titles`` (index → title); the matrices are shared."""
        with self._lock:
            base = self._explainer
        explainer = copy.copy(base)
        explainer.titles = _Titles(titles)
        return explainer

    def memo(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """``build()`` once per key for this version (e.g. a filter mask), kept for the
        process; at most ``MEMO_SIZE`` keys, oldest dropped first."""
        memo = self.__dict__.setdefault("_memo", {})
        try:
            return memo[key]
        except KeyError:
            pass
        value = build()
        with self._lock:
            if len(memo) >= MEMO_SIZE:
                memo.pop(next(iter(memo)), None)
            memo[key] = value
        return value

    def index_of(self, anime_id: int) -> int | None:
        index = int(self.items.to_index([anime_id], missing="ignore")[0])
        return None if index < 0 else index


class _Titles(dict):
    def __missing__(self, key: int) -> str:
        return f"item {key}"


def _save_csr(directory: Path, name: str, matrix: sp.spmatrix) -> list[int]:
    csr = sp.csr_matrix(matrix)
    for part in ("data", "indices", "indptr"):
        np.save(directory / f"{name}.{part}.npy", getattr(csr, part), allow_pickle=False)
    return list(csr.shape)


def _load_csr(directory: Path, name: str, shape) -> sp.csr_matrix:
    parts = [
        np.load(directory / f"{name}.{p}.npy", mmap_mode="r", allow_pickle=False)
        for p in ("data", "indices", "indptr")
    ]
    return sp.csr_matrix(tuple(parts), shape=tuple(shape))


def artefact_write(
    directory: Path,
    *,
    info: dict[str, Any],
    items: IdMap,
    arrays: dict[str, np.ndarray],
    features: ItemFeatures,
    positives: sp.spmatrix,
    model: Recommender,
    table: NeighbourTable,
    colovers: np.ndarray,
) -> Path:
    """Write one complete version directory (not yet current)."""
    directory.mkdir(parents=True)
    np.save(directory / "items.npy", np.asarray(items.ids, dtype=np.int64), allow_pickle=False)
    for name, array in arrays.items():
        np.save(directory / f"{name}.npy", array, allow_pickle=False)
    shapes = {
        "features": _save_csr(directory, "features", features.raw),
        "positives": _save_csr(directory, "positives", positives),
    }
    np.save(directory / "feature_names.npy", features.names.astype(str), allow_pickle=False)
    model.save(directory / "model")
    table.save(directory / "neighbours")
    np.save(directory / "neighbours" / COLOVERS_FILE, colovers, allow_pickle=False)
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "arrays": sorted(arrays),
        "shapes": shapes,
        **info,
    }
    (directory / "artefact.json").write_text(json.dumps(meta, indent=2, sort_keys=True))
    return directory


def artefact_activate(directory: Path) -> None:
    """Point ``current`` at ``directory`` (write, then rename), then prune old versions."""
    root = directory.parent
    temporary = root / f".{POINTER}.{os.getpid()}.tmp"
    temporary.write_text(directory.name + "\n", encoding="utf-8")
    os.replace(temporary, root / POINTER)
    versions = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in versions[:-KEEP_VERSIONS]:
        if old.name != directory.name:
            shutil.rmtree(old, ignore_errors=True)


def artefact_load(directory: Path) -> Artefact:
    """Memory-map one version; raises ``ValueError`` when it is not a readable artefact."""
    try:
        meta = json.loads((directory / "artefact.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{directory}: no readable artefact.json ({exc})") from exc
    if meta.get("format") != FORMAT or meta.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"{directory}: not a version {FORMAT_VERSION} artefact; retrain")

    def load(name: str) -> np.ndarray:
        return np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False)

    raw = _load_csr(directory, "features", meta["shapes"]["features"])
    names = np.load(directory / "feature_names.npy", allow_pickle=False)
    return Artefact(
        path=directory,
        info=meta,
        items=IdMap(np.array(load("items"))),
        arrays={name: load(name) for name in meta["arrays"]},
        features=ItemFeatures(matrix=raw, raw=raw, names=names),
        positives=_load_csr(directory, "positives", meta["shapes"]["positives"]),
        table=NeighbourTable.load(directory / "neighbours"),
        colovers=np.load(directory / "neighbours" / COLOVERS_FILE, mmap_mode="r"),
    )


_cache: dict[str, Any] = {"key": None, "artefact": None}
_cache_lock = threading.Lock()
_fetch_lock = threading.Lock()
# (version, checksum) → when copying it from the store last failed (time.monotonic()).
_failed: dict[tuple[str, str], float] = {}
RETRY_SECONDS = 60


def current_version(root: Path | None = None) -> str | None:
    try:
        return (Path(root or models_dir()) / POINTER).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def artefact_current() -> Artefact | None:
    """The version to serve, loaded once per process (and again when it changes).

    One machine: the version the models folder's ``current`` names. With
    ``KANSOU_MODELS_STORE``: the version the database names (:func:`published_current`),
    copied from the store into the models folder first; until that copy is whole and checked,
    the process keeps serving the version it has (a failed copy is logged as an error and tried
    again after ``RETRY_SECONDS``). Nothing published yet: the local ``current``.
    """
    root = models_dir()
    published = published_current() if store_dir() is not None else None
    version = published.version if published else current_version(root)
    key = (str(root), version)
    if _cache["key"] == key:
        return _cache["artefact"]
    if published is not None and not _fetched(root, published):
        same_folder = _cache["key"] is not None and _cache["key"][0] == str(root)
        return _cache["artefact"] if same_folder else None
    with _cache_lock:
        if _cache["key"] != key:
            artefact = None
            if version is not None:
                try:
                    artefact = artefact_load(root / version)
                except (OSError, ValueError) as exc:
                    log.warning("recommendations off: %s", exc)
            _cache.update(key=key, artefact=artefact)
        return _cache["artefact"]


def _fetched(root: Path, published: Published) -> bool:
    """Whether the published version is in ``root`` now, copied from the store if need be.
    False while another thread or process copies it, or after a failed copy (logged)."""
    if (root / published.version).is_dir():
        return True
    failed_at = _failed.get(published)
    if failed_at is not None and time.monotonic() - failed_at < RETRY_SECONDS:
        return False
    if not _fetch_lock.acquire(blocking=False):
        return False
    try:
        path = store_fetch(version=published.version, checksum=published.checksum, local_root=root)
    except (ArtefactCopyError, OSError) as exc:
        _failed[published] = time.monotonic()
        serving = _cache["artefact"].version if _cache["artefact"] is not None else "none"
        log.error(
            "model version %s not copied from the store (still serving %s): %s",
            published.version, serving, exc,
        )  # fmt: skip
        return False
    finally:
        _fetch_lock.release()
    if path is None:
        return False
    artefact_activate(path)  # the folder's own pointer follows, for `kansou similar` and the like
    return True
