"""The card every suggestion shows: an anime, how strongly, and why."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kansou.catalog.models import Anime
from kansou.discovery.pairs.selectors import PairFacts

CARD_FIELDS = (
    "pk", "title", "kind", "year", "episodes", "score", "thumbnail", "picture", "poster"
)  # fmt: skip


@dataclass
class Suggestion:
    """An anime to watch, how strongly, and why (each reason a sentence)."""

    anime: Anime
    score: float
    reasons: list[str] = field(default_factory=list)
    pair: PairFacts | None = None  # readers' or a review's recommendation ("more like this")
    also: list[Anime] = field(default_factory=list)  # more entries of its franchise, shown with it


def _cards(anime_ids: Iterable[int]) -> dict[int, Anime]:
    return Anime.objects.only(*CARD_FIELDS).in_bulk(list(anime_ids))
