"""ORM rows → arrays: the catalog as an :class:`IdMap` of anime ids plus per-item records, and
``user_items`` from a ratings CSV and from readers' lists. The only place that does this.

Rules (documented in the README too):

- **Items** are every catalog entry, in primary-key order: index ``i`` is ``items.ids[i]``.
- **Ratings CSV** rows are ``user_id,mal_id,rating`` (rating 1–10). A MAL id is matched to the
  anime whose ``ExternalId(site="myanimelist")`` has it; unmatched rows are counted and skipped.
  Every rating is an interaction (a rated title was watched); its value is the rating.
- **Readers' lists** (the community app): every entry but *plan to watch* is an interaction.
  Its value is the reader's score; *completed* without a score counts as ``UNSCORED_COMPLETED``
  (a positive: finishing a show is the strongest unscored signal) and other unscored entries
  as ``UNSCORED_SEEN`` (watched, not loved).
- **Positives** ("loved") are values ``>= POSITIVE`` (7: "good" and up on MAL's scale, the same
  threshold as ``kansou evaluate``).
- Users are ``IdMap`` ids ``"csv:<user_id>"`` and ``"reader:<pk>"`` so the two never collide.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from kansou.catalog.models import Anime, AnimeCompany, AnimeTag, ExternalId, Origin, StaffCredit
from kansou.recommend.ids import IdMap
from kansou.recommend.matrix import binarize, user_items_from_triples

MAL_SITE = "myanimelist"
POSITIVE = 7.0
UNSCORED_COMPLETED = 7.0
UNSCORED_SEEN = 1.0
RATINGS_HEADER = ("user_id", "mal_id", "rating")

Progress = Callable[[int], None]


class InteractionsError(ValueError):
    """A ratings file that cannot be read; the message names the file, line and field."""


@dataclass(frozen=True)
class CatalogItems:
    """Every catalog entry as a matrix column: ids, feature records and the facts filters use.

    ``records[i]`` is a mapping for :func:`kansou.recommend.features.build_item_features`;
    ``kinds``, ``years`` (0 when unknown), ``episodes`` (0 when unknown) and ``scores`` (NaN
    when unknown) are arrays by index; ``titles`` a list by index.
    """

    items: IdMap
    records: list[dict]
    kinds: np.ndarray
    years: np.ndarray
    episodes: np.ndarray
    scores: np.ndarray
    titles: list[str] = field(default_factory=list)


def _grouped(pairs: Iterable[tuple[int, str]]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for anime_id, value in pairs:
        out.setdefault(anime_id, []).append(value)
    return out


def catalog_items(*, text: bool = False) -> CatalogItems:
    """The catalog as items, in five queries. ``text`` adds synopses (used as features only)."""
    fields = ["pk", "title", "kind", "year", "episodes", "duration_seconds", "score"]
    rows = list(Anime.objects.order_by("pk").values(*fields, *(["synopsis"] if text else [])))
    tags = _grouped(AnimeTag.objects.shown().values_list("anime_id", "tag__name"))
    studios = _grouped(
        AnimeCompany.objects.shown()
        .filter(role=AnimeCompany.Role.STUDIO)
        .values_list("anime_id", "company__name")
    )
    staff = _grouped(
        StaffCredit.objects.exclude(origin=Origin.HIDDEN).values_list("anime_id", "person__name")
    )
    records = [
        {
            "tags": tags.get(row["pk"], []),
            "studios": studios.get(row["pk"], []),
            "staff": staff.get(row["pk"], []),
            "kind": row["kind"],
            "year": row["year"],
            "episodes": row["episodes"],
            "duration_seconds": row["duration_seconds"],
            "score": row["score"],
            "synopsis": row.get("synopsis", ""),
        }
        for row in rows
    ]
    return CatalogItems(
        items=IdMap(np.array([row["pk"] for row in rows], dtype=np.int64)),
        records=records,
        kinds=np.array([row["kind"] for row in rows], dtype="<U10"),
        years=np.array([row["year"] or 0 for row in rows], dtype=np.int32),
        episodes=np.array([row["episodes"] or 0 for row in rows], dtype=np.int32),
        scores=np.array(
            [np.nan if row["score"] is None else row["score"] for row in rows], dtype=np.float32
        ),
        titles=[row["title"] for row in rows],
    )


def mal_anime_ids(mal_ids: Iterable[int] | None = None) -> dict[int, int]:
    """MAL id → anime id (the lowest anime id when two entries claim one MAL id)."""
    qs = ExternalId.objects.filter(site=MAL_SITE).order_by("-anime_id")
    if mal_ids is not None:
        qs = qs.filter(external_id__in=sorted({str(m) for m in mal_ids}))
    found = {}
    for external_id, anime_id in qs.values_list("external_id", "anime_id"):
        if external_id.isdigit():
            found[int(external_id)] = anime_id
    return found


@dataclass(frozen=True)
class RatingRows:
    user_ids: np.ndarray
    mal_ids: np.ndarray
    ratings: np.ndarray


def read_ratings_csv(path: str | Path, progress: Progress | None = None) -> RatingRows:
    """``user_id,mal_id,rating`` rows; a bad row raises :class:`InteractionsError` naming it."""
    path = Path(path)
    users, mals, ratings = [], [], []
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = tuple(h.strip() for h in next(reader, ()))
            if header != RATINGS_HEADER:
                raise InteractionsError(
                    f"{path}, line 1: expected the header {','.join(RATINGS_HEADER)}, "
                    f"got {','.join(header) or 'nothing'}"
                )
            for line, row in enumerate(reader, start=2):
                users.append(_number(path, line, row, 0, int))
                mals.append(_number(path, line, row, 1, int))
                ratings.append(_number(path, line, row, 2, float))
                if progress and line % 50_000 == 0:
                    progress(line - 1)
    except (OSError, UnicodeDecodeError) as exc:
        raise InteractionsError(f"{path}: cannot read the ratings file ({exc})") from exc
    if progress:
        progress(len(users))
    return RatingRows(
        np.array(users, np.int64), np.array(mals, np.int64), np.array(ratings, np.float32)
    )


def _number(path: Path, line: int, row: list[str], column: int, kind: type):
    name = RATINGS_HEADER[column]
    if len(row) != len(RATINGS_HEADER):
        raise InteractionsError(f"{path}, line {line}: expected 3 fields, got {len(row)}")
    try:
        value = kind(row[column])
    except ValueError:
        raise InteractionsError(
            f"{path}, line {line}: field '{name}': expected a number, got {row[column]!r}"
        ) from None
    if name == "rating" and not 1 <= value <= 10:
        raise InteractionsError(f"{path}, line {line}: field 'rating': {value:g} is not in 1–10")
    return value


def reader_rows() -> tuple[list[str], list[int], list[float]]:
    """Readers' list entries as ``("reader:<pk>", anime_id, value)`` (rules in the docstring)."""
    from kansou.community.models import ListEntry

    users, anime, values = [], [], []
    rows = ListEntry.objects.seen().values_list(
        "anime_list__user_id", "anime_id", "status", "score"
    )
    for user_id, anime_id, status, score in rows.order_by("pk"):
        users.append(f"reader:{user_id}")
        anime.append(anime_id)
        values.append(float(score) if score else entry_value(status=status, score=None))
    return users, anime, values


def entry_value(*, status: str, score: float | None) -> float:
    """The interaction value of one list entry with this status and score."""
    if score:
        return float(score)
    return UNSCORED_COMPLETED if status == "completed" else UNSCORED_SEEN


@dataclass(frozen=True)
class Interactions:
    """``user_items`` (users × items, values as in the module rules) and what was dropped."""

    user_items: sp.csr_matrix
    users: IdMap
    unmatched: int

    @property
    def positives(self) -> sp.csr_matrix:
        return binarize(self.user_items, threshold=POSITIVE)


def interactions_build(
    *, items: IdMap, ratings: RatingRows | None = None, readers: bool = True
) -> Interactions:
    """Ratings (matched by MAL id) and readers' lists as one ``user_items`` over ``items``."""
    user_ids: list = []
    anime_ids: list = []
    values: list = []
    unmatched = 0
    if ratings is not None and len(ratings.user_ids):
        mapping = mal_anime_ids()
        anime = np.array([mapping.get(int(m), -1) for m in ratings.mal_ids], dtype=np.int64)
        matched = anime >= 0
        unmatched = int((~matched).sum())
        user_ids += [f"csv:{u}" for u in ratings.user_ids[matched]]
        anime_ids += anime[matched].tolist()
        values += ratings.ratings[matched].tolist()
    if readers:
        more = reader_rows()
        user_ids += more[0]
        anime_ids += more[1]
        values += more[2]
    users = IdMap.from_values(np.array(user_ids, dtype=str)) if user_ids else IdMap([])
    matrix, users, _ = user_items_from_triples(
        np.array(user_ids, dtype=str), np.array(anime_ids, dtype=np.int64), values,
        users=users, items=items,
    )  # fmt: skip
    return Interactions(matrix, users, unmatched)


def history_indices(
    *, items: IdMap, entries: Iterable[tuple[int, float | None]]
) -> tuple[np.ndarray, np.ndarray]:
    """``(anime_id, value)`` pairs → (item indices of every known entry, indices of positives).

    Entries whose anime is not among ``items`` (added after training) are left out.
    """
    entries = list(entries)
    if not entries:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    indices = items.to_index([anime_id for anime_id, _ in entries], missing="ignore")
    values = np.array([POSITIVE if v is None else v for _, v in entries], dtype=np.float32)
    known = indices >= 0
    return indices[known], indices[known & (values >= POSITIVE)]
