"""The offline evaluation protocol: every model and baseline on the same seeded split.

Protocol (all seeded by ``Protocol.seed``):

1. **Positives** are ratings ``>= Protocol.positive`` (7 on MAL's 1–10 scale: "good" and up;
   most users' mean is about 7.8, so "above the user's mean" would call a 7 negative for most
   and leave heavy raters almost nothing to find). Every rating, positive or not, is an
   interaction a model may learn from: a rated title was watched.
2. **Users** are split: ``test_share`` of all users are test users; ``validation_share`` of the
   remaining users are validation users; the rest train.
3. **Held out**: for each test (and validation) user, ``holdout_share`` of their positives are
   hidden (at least one, never all). Those are the relevant items; their other ratings are the
   visible history the model ranks from, and seen items are never recommended.
4. **Tuning** uses only train + validation users (test users removed entirely): ALS's factors,
   regularization and alpha and EASE's λ are chosen by validation Recall@k, the hybrid's
   weights by validation NDCG@k and its less-known picks by the one-standard-error rule
   (:func:`tune_hybrid`). The test split is used once, for the final table.
5. **Final**: every model is fitted on everything except the test users' hidden items and
   scored on the test users: Recall@k and NDCG@k (:mod:`.metrics.ranking`), catalog coverage and
   novelty (:mod:`.metrics.beyond`) of the top-k lists.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from kansou.recommend.als import ALSRecommender
from kansou.recommend.base import Recommender
from kansou.recommend.content import ContentRecommender
from kansou.recommend.ease import EASERecommender
from kansou.recommend.hybrid import HybridRecommender
from kansou.recommend.metrics.beyond import catalog_coverage, novelty
from kansou.recommend.metrics.ranking import mean_at_k, ndcg_at_k, recall_at_k
from kansou.recommend.popular import PopularRecommender
from kansou.recommend.split import Holdout, drop_users, hold_out, split_users

ALS_GRID = (
    {"factors": 64, "regularization": 0.05, "alpha": 10.0},
    {"factors": 128, "regularization": 0.1, "alpha": 10.0},
    {"factors": 128, "regularization": 1.0, "alpha": 20.0},
    {"factors": 256, "regularization": 1.0, "alpha": 5.0},
)
EASE_GRID = (150.0, 500.0)
# EASE with the item-wise "dropout" ridge (see .ease): the hybrid's collaborative part.
DROPOUT_GRID = ({"l2": 50.0, "dropout": 1 / 3}, {"l2": 100.0, "dropout": 0.2})
# cold_weight: the learned map puts cold items on EASE's own scale (see .hybrid), so 1.0 lets a
# cold title in as soon as its predicted score ties a warm one's, and 0.5 only when it is twice
# as high. Validation picks among these; the warm protocol's held-out items are rated ones, so
# it can only ever vote cold titles down (0 would shut them out of personal lists for good).
HYBRID_GRID = {
    "content_weight": (0.0, 0.02, 0.05, 0.1, 0.2),
    "cold_weight": (0.5, 0.75, 1.0),
    "popularity_damping": (0.0, 0.1, 0.15),
    "tail_share": (0.0, 0.1, 0.15, 0.2),
    "tail_spread": (0.0, 0.25),
}

Step = Callable[[str], None]


@dataclass(frozen=True)
class Protocol:
    seed: int = 42
    positive: float = 7.0
    test_share: float = 0.2
    validation_share: float = 0.2
    holdout_share: float = 0.2
    k: int = 20


@dataclass
class Result:
    """One row of the table."""

    model: str
    params: dict[str, Any]
    recall: float
    ndcg: float
    coverage: float
    novelty: float
    fit_seconds: float
    users: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Splits:
    validation: Holdout
    test: Holdout
    tuning_base: sp.csr_matrix = field(repr=False)


def make_splits(ratings: sp.csr_matrix, protocol: Protocol) -> Splits:
    """The seeded validation and test splits of a users × items ratings matrix."""
    n_users = ratings.shape[0]
    test_users, train_users = split_users(n_users, protocol.test_share, protocol.seed)
    validation_users, _ = split_users(
        n_users, protocol.validation_share, protocol.seed + 1, among=train_users
    )
    tuning_base = drop_users(ratings, test_users)
    options = {"positive": protocol.positive, "share": protocol.holdout_share}
    validation = hold_out(tuning_base, validation_users, seed=protocol.seed + 2, **options)
    test = hold_out(ratings, test_users, seed=protocol.seed + 3, **options)
    return Splits(validation=validation, test=test, tuning_base=tuning_base)


def top_k_lists(
    model: Recommender,
    holdout: Holdout,
    k: int,
    batch_size: int = 256,
    scores: np.ndarray | None = None,
    tail: np.ndarray | None = None,
) -> list[np.ndarray]:
    """Top-``k`` item indices for each evaluated user, history excluded (batched scoring),
    arranged as the model arranges a list (:meth:`~.base.Recommender.arrange`). ``scores``
    (evaluated users × items, with ``tail`` for a model with less-known picks) skips the
    scoring when already computed."""
    lists: list[np.ndarray] = []
    custom = type(model).arrange is not Recommender.arrange
    for start in range(0, holdout.users.size, batch_size):
        users = holdout.users[start : start + batch_size]
        history = holdout.visible[users]
        if scores is None:
            batch, tails = model.score_many_with_tail(history)
        else:
            batch = scores[start : start + batch_size].copy()
            tails = None if tail is None else tail[start : start + batch_size]
        batch[np.repeat(np.arange(users.size), np.diff(history.indptr)), history.indices] = -np.inf
        batch[np.isnan(batch)] = -np.inf
        if custom:
            rows = [None] * len(batch) if tails is None else tails
            lists += [
                model.arrange(row, k, picks)[0] for row, picks in zip(batch, rows, strict=True)
            ]
            continue
        top = np.argpartition(-batch, k - 1, axis=1)[:, :k]
        top_scores = np.take_along_axis(batch, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        top, top_scores = (
            np.take_along_axis(top, order, 1),
            np.take_along_axis(top_scores, order, 1),
        )
        lists += [row[np.isfinite(s)] for row, s in zip(top, top_scores, strict=True)]
    return lists


def score_lists(
    lists: list[np.ndarray], holdout: Holdout, popularity: np.ndarray, k: int
) -> dict[str, float]:
    relevant = [holdout.heldout[u].indices for u in holdout.users]
    n_users = int((np.diff(holdout.visible.indptr) > 0).sum())
    return {
        "recall": mean_at_k(recall_at_k, lists, relevant, k),
        "ndcg": mean_at_k(ndcg_at_k, lists, relevant, k),
        "coverage": catalog_coverage(lists, holdout.visible.shape[1]),
        "novelty": novelty(lists, popularity, n_users),
    }


def measure(
    model: Recommender, holdout: Holdout, k: int, features=None, fitted_seconds: float | None = None
) -> Result:
    """Fit ``model`` on ``holdout.visible`` and score it on the held-out items.

    With ``fitted_seconds`` the model is taken as already fitted (that long) on that matrix.
    """
    started = time.perf_counter()
    if fitted_seconds is None:
        model.fit(holdout.visible, features)
    seconds = time.perf_counter() - started + (fitted_seconds or 0.0)
    lists = top_k_lists(model, holdout, k)
    scores = score_lists(lists, holdout, model.popularity, k)
    params = model._state()[0]
    return Result(model.name, params, **scores, fit_seconds=seconds, users=holdout.users.size)


def tune(
    make: Callable[[dict], Recommender], grid: Iterable[dict], holdout: Holdout, k: int, step: Step
) -> tuple[dict, Recommender, Result]:
    """The grid point with the best validation Recall@k, its model (fitted on validation) and
    its validation row."""
    best, best_model, best_result = {}, None, None
    for params in grid:
        model = make(params)
        step(f"tuning {model.name} {params}")
        result = measure(model, holdout, k)
        if best_result is None or result.recall > best_result.recall:
            best, best_model, best_result = params, model, result
    return best, best_model, best_result


def tune_hybrid(
    collaborative: Recommender,
    content: Recommender,
    holdout: Holdout,
    k: int,
    features=None,
    baseline: Recommender | None = None,
) -> dict[str, float]:
    """Hybrid weights for validation; the models already fitted on it (``baseline``: plain
    EASE, which the less-known picks are held to).

    ``content_weight``, ``cold_weight`` and ``popularity_damping``: the best NDCG@k, the
    measure the hybrid is held to against plain EASE. Then ``tail_share`` and ``tail_spread``:
    the widest catalog coverage among the settings whose NDCG@k lead over ``baseline`` on the
    same users is at least one standard error of the per-user differences (:func:`lead`) — the
    one-standard-error rule: picks may spend the hybrid's lead only while the validation users
    still show it with confidence. Scores are computed once per model and re-blended for each
    point.
    """
    users = holdout.users
    history = holdout.visible[users]
    cf, ct = collaborative.score_many(history), content.score_many(history)
    mapper = HybridRecommender(collaborative, content).fit_map(features)
    mapped = mapper.mapped_scores(history) if mapper.has_map else None

    def arranged(params: dict) -> tuple[HybridRecommender, list[np.ndarray]]:
        hybrid = HybridRecommender(collaborative, content, **params)
        hybrid.popularity = collaborative.popularity
        hybrid.codes, hybrid.map_weights = mapper.codes, mapper.map_weights
        if hybrid.tail_share and hybrid.tail_spread:
            hybrid.fit_spread(holdout.visible)
        personal = hybrid._personal(hybrid.blend(cf, ct, mapped))
        tail = hybrid.tail_scores(cf) if hybrid.tail_share else None
        lists = top_k_lists(hybrid, holdout, k, users.size, scores=personal, tail=tail)
        return hybrid, lists

    tails = ("tail_share", "tail_spread")
    weights = {name: values for name, values in HYBRID_GRID.items() if name not in tails}
    best, best_ndcg = {}, -1.0
    for params in grid_points(weights):
        hybrid, lists = arranged(params)
        ndcg = score_lists(lists, holdout, hybrid.popularity, k)["ndcg"]
        if ndcg > best_ndcg:
            best, best_ndcg = params, ndcg
    if baseline is None:
        return {**best, "tail_share": 0.0, "tail_spread": 0.0}
    baseline_lists = top_k_lists(baseline, holdout, k)
    chosen, widest = {"tail_share": 0.0, "tail_spread": 0.0}, -1.0
    for share in HYBRID_GRID["tail_share"]:
        for spread in HYBRID_GRID["tail_spread"] if share else (0.0,):
            point = {"tail_share": share, "tail_spread": spread}
            hybrid, lists = arranged({**best, **point})
            mean, error = lead(lists, baseline_lists, holdout, k)
            coverage = catalog_coverage(lists, holdout.visible.shape[1])
            if (not share or mean >= error) and coverage > widest:
                chosen, widest = point, coverage
    return {**best, **chosen}


def lead(
    lists: list[np.ndarray], baseline: list[np.ndarray], holdout: Holdout, k: int
) -> tuple[float, float]:
    """How far ``lists`` lead ``baseline``'s on NDCG@k, user by user: the mean difference and
    its standard error.

    >>> holdout = Holdout(sp.csr_matrix((2, 3)), sp.csr_matrix(np.eye(2, 3)), np.array([0, 1]))
    >>> lead([np.array([0]), np.array([1])], [np.array([0]), np.array([2])], holdout, 1)
    (0.5, 0.5)
    """
    relevant = [holdout.heldout[u].indices for u in holdout.users]
    ours = np.array([ndcg_at_k(a, r, k) for a, r in zip(lists, relevant, strict=True)])
    theirs = np.array([ndcg_at_k(b, r, k) for b, r in zip(baseline, relevant, strict=True)])
    difference = ours - theirs
    if difference.size < 2:
        return float(difference.mean()) if difference.size else 0.0, 0.0
    error = difference.std(ddof=1) / np.sqrt(difference.size)
    return float(difference.mean()), float(error)


def grid_points(grid: dict[str, tuple]) -> list[dict]:
    """Every combination of a grid's values, in order.

    >>> grid_points({"a": (1, 2), "b": (0,)})
    [{'a': 1, 'b': 0}, {'a': 2, 'b': 0}]
    """
    points: list[dict] = [{}]
    for name, values in grid.items():
        points = [{**point, name: value} for value in values for point in points]
    return points


def run(
    ratings: sp.csr_matrix,
    features=None,
    protocol: Protocol = Protocol(),
    step: Step = lambda _: None,
) -> list[Result]:
    """Tune on validation, then measure every model on the test split; one Result per model.

    Rows: most-popular, ALS (tuned), EASE (tuned), EASE with the dropout ridge (tuned; the
    hybrid's collaborative part), and with ``features`` content and hybrid.
    """
    k = protocol.k
    splits = make_splits(ratings, protocol)
    val = splits.validation
    als_params, *_ = tune(lambda p: ALSRecommender(**p), ALS_GRID, val, k, step)
    ease_grid = [{"l2": v} for v in EASE_GRID]
    l2, val_ease, _ = tune(lambda p: EASERecommender(**p), ease_grid, val, k, step)
    dropout, val_dropout, _ = tune(lambda p: EASERecommender(**p), DROPOUT_GRID, val, k, step)
    hybrid_params = {}
    if features is not None:
        step("tuning hybrid weights")
        content = ContentRecommender().fit(val.visible, features)
        hybrid_params = tune_hybrid(val_dropout, content, val, k, features, baseline=val_ease)
    results, collaborative = [], EASERecommender(**dropout)
    models = (PopularRecommender(), ALSRecommender(**als_params), EASERecommender(**l2))
    for model in (*models, collaborative):
        step(f"testing {model.name}")
        results.append(measure(model, splits.test, k, features))
    if features is not None:
        step("testing content")
        results.append(measure(ContentRecommender(), splits.test, k, features))
        step("testing hybrid")
        fitted = results[3].fit_seconds
        results.append(
            _measure_hybrid(collaborative, fitted, splits.test, k, features, hybrid_params)
        )
    return results


def _measure_hybrid(
    collaborative, fitted_seconds: float, test: Holdout, k: int, features, params
) -> Result:
    """The hybrid reuses the collaborative and content fits just measured (same matrix)."""
    started = time.perf_counter()
    content = ContentRecommender().fit(test.visible, features)
    hybrid = HybridRecommender(collaborative, content, **params)
    hybrid._fit_popularity(test.visible)
    hybrid.fit_map(features)
    if hybrid.tail_share and hybrid.tail_spread:
        hybrid.fit_spread(test.visible)
    seconds = time.perf_counter() - started + fitted_seconds
    return measure(hybrid, test, k, features, fitted_seconds=seconds)


def planned_steps(with_features: bool) -> int:
    """How many times :func:`run` calls ``step`` (for a progress bar)."""
    return len(ALS_GRID) + len(EASE_GRID) + len(DROPOUT_GRID) + 4 + (3 if with_features else 0)
