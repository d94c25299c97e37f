"""``models_train``: fit the recommenders on the catalog (and ratings) and store a new version.

Steps: the catalog → item features (tags, studios, staff, type, era, length; synopsis words
only with ``text=True``, used as features and never shown); ratings CSV + readers' lists →
``user_items``, plus readers' and reviews' recommendation pairs as item–item evidence; fit
the content model, plus EASE and the hybrid when there are interactions; precompute the
top-``k`` neighbour table and its co-lover counts; write a version directory, publish it (a
database row with its manifest and checksums, and with ``KANSOU_MODELS_STORE`` a checked copy
in the shared store every node fetches from: :mod:`kansou.discovery.artefact_store`) and switch
the local ``current`` to it atomically (see :mod:`kansou.discovery.artefact`). Training runs
on any machine with the database (and the store): the web nodes pick the new version up on
their next request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from kansou.core.pagecache import pages_changed
from kansou.discovery.artefact import artefact_activate, artefact_write, models_dir
from kansou.discovery.artefact_store import artefact_publish, store_dir
from kansou.discovery.interactions import (
    catalog_items,
    interactions_build,
    read_ratings_csv,
)
from kansou.discovery.pairs.selectors import pair_evidence
from kansou.recommend.content import ContentRecommender
from kansou.recommend.cooccurrence import pair_counts
from kansou.recommend.ease import EASERecommender
from kansou.recommend.features import build_item_features
from kansou.recommend.franchise import franchise_ids
from kansou.recommend.hybrid import HybridRecommender
from kansou.recommend.matrix import item_popularity, with_pair_rows
from kansou.recommend.neighbours import NeighbourRules, build_neighbour_table, quality_prior

NEIGHBOURS = 50
# EASE solves a (rated items)² system; items rated by fewer users than this stay content-only.
MIN_RATINGS = 3

# progress(step, done, total): total is None for a step without a count.
TrainProgress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class TrainReport:
    path: Path
    model: str
    items: int
    users: int
    interactions: int
    unmatched_ratings: int
    features: int
    seconds: float
    size_bytes: int
    checksum: str
    store: Path | None  # where every node copies it from; None on one machine


def _quiet(step: str, done: int, total: int | None) -> None:
    pass


def _directory_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def models_train(
    *,
    ratings_csv: str | Path | None = None,
    readers: bool = True,
    text: bool = False,
    k: int = NEIGHBOURS,
    progress: TrainProgress | None = None,
) -> TrainReport:
    """Train on the current catalog and make the result the served version.

    Rule: the new version becomes current only once it is written completely (and, with a
    shared store, copied there and checked); a failure leaves the served version untouched.
    """
    progress = progress or _quiet
    started = time.monotonic()
    progress("Reading the catalog", 0, None)
    catalog = catalog_items(text=text)
    n_items = len(catalog.items)
    if n_items == 0:
        raise ValueError("the catalog is empty: import it first (kansou catalog import)")
    ratings = None
    if ratings_csv is not None:
        ratings = read_ratings_csv(ratings_csv, lambda n: progress("Reading ratings", n, None))
    progress("Matching interactions", 0, None)
    interactions = interactions_build(items=catalog.items, ratings=ratings, readers=readers)
    user_items = interactions.user_items
    features = build_item_features(catalog.records, text=text)
    progress("Fitting models", 0, None)
    model = _fit(_with_pairs(user_items, catalog.items), features)
    positives = interactions.positives
    rules = NeighbourRules(
        kinds=catalog.kinds,
        franchise=franchise_ids(catalog.titles),
        quality=quality_prior(catalog.scores, item_popularity(positives)),
    )
    table = build_neighbour_table(
        model, k=k, rules=rules, progress=lambda done: progress("Neighbour tables", done, n_items)
    )
    progress("Counting co-lovers", 0, None)
    colovers = pair_counts(positives, table.indices)
    df = np.bincount(features.raw.indices, minlength=features.raw.shape[1])
    arrays = {
        "kinds": catalog.kinds,
        "years": catalog.years,
        "episodes": catalog.episodes,
        "scores": catalog.scores,
        "popularity": item_popularity(user_items),
        "lovers": item_popularity(positives),
        "idf": np.log(max(n_items, 1) / np.maximum(df, 1)).astype(np.float32),
    }
    info = {
        "model": model.name,
        "items": n_items,
        "users": len(interactions.users),
        "interactions": int(user_items.nnz),
        "unmatched_ratings": interactions.unmatched,
        "features": int(features.raw.shape[1]),
        "synopsis_words": text,
        "k": table.k,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    progress("Writing the artefact", 0, None)
    root = models_dir()
    root.mkdir(parents=True, exist_ok=True)
    directory = _new_version(root)
    artefact_write(
        directory, info=info, items=catalog.items, arrays=arrays, features=features,
        positives=positives, model=model, table=table, colovers=colovers,
    )  # fmt: skip
    progress("Publishing", 0, None)
    published = artefact_publish(directory=directory, info=info)
    artefact_activate(directory)
    pages_changed()  # cached anonymous pages show the new recommendations
    return TrainReport(
        path=directory,
        model=model.name,
        items=n_items,
        users=info["users"],
        interactions=info["interactions"],
        unmatched_ratings=interactions.unmatched,
        features=info["features"],
        seconds=time.monotonic() - started,
        size_bytes=_directory_size(directory),
        checksum=published.checksum,
        store=store_dir(),
    )


# What `kansou evaluate` chose on validation users of the shared ratings (README, Evaluation):
# EASE with the dropout ridge, a little content for rated titles, the learned map for new ones,
# a slight popularity damping of personal lists and three less-known picks in twenty, spread
# over many titles.
SERVED_EASE = {"l2": 50.0, "dropout": 1 / 3}
SERVED_HYBRID = {
    "content_weight": 0.05,
    "cold_weight": 0.5,
    "popularity_damping": 0.15,
    "tail_share": 0.15,
    "tail_spread": 0.25,
}


def _fit(user_items, features):
    """Content alone without interactions; else the hybrid of EASE and content."""
    content = ContentRecommender()
    counts = item_popularity(user_items)
    if not (counts >= MIN_RATINGS).any():
        return content.fit(user_items, features)
    # Items with too few ratings are hidden from EASE (kept as cold, content-only items).
    trimmed = user_items.copy()
    trimmed.data[np.isin(trimmed.indices, np.flatnonzero(counts < MIN_RATINGS))] = 0
    trimmed.eliminate_zeros()
    hybrid = HybridRecommender(EASERecommender(**SERVED_EASE), content, **SERVED_HYBRID)
    return hybrid.fit(trimmed, features)


def _with_pairs(user_items, items):
    """Readers' and reviews' recommendation pairs as item–item evidence for the models (extra
    rows, :func:`kansou.recommend.matrix.with_pair_rows`); counts and reasons keep to readers."""
    evidence = pair_evidence()
    if not evidence:
        return user_items
    a, b, weights = (np.array(column) for column in zip(*evidence, strict=True))
    index_a = items.to_index(a.astype(np.int64), missing="ignore")
    index_b = items.to_index(b.astype(np.int64), missing="ignore")
    known = (index_a >= 0) & (index_b >= 0)
    pairs = np.stack([index_a[known], index_b[known]], axis=1)
    return with_pair_rows(user_items, pairs, weights[known])


def _new_version(root: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return root / stamp
