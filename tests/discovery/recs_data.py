"""A tiny catalog with a known shape for recommendation tests, plus its ratings CSV.

Two tastes: mystery/sci-fi lovers (users 1–12) and slice-of-life lovers (users 13–24). "drama"
is on most entries (so it names no profile), "Cold Case" has no ratings at all (cold start).
"""

from __future__ import annotations

from pathlib import Path

from kansou.catalog.models import AnimeType
from tests.catalog.factories import AnimeFactory, AnimeTagFactory, ExternalIdFactory, TagFactory

ENTRIES = [
    # (mal id, title, kind, year, episodes, tags)
    (1, "Puzzle Box", "TV", 2011, 24, ["mystery", "psychological", "time travel", "sci-fi",
                                       "drama"]),
    (2, "Clockwork Mind", "TV", 2006, 37, ["mystery", "psychological", "thriller", "drama"]),
    (3, "Loop Days", "MOVIE", 2016, 1, ["time travel", "sci-fi", "drama"]),
    (4, "Mind Maze", "TV", 2013, 12, ["psychological", "mystery", "thriller"]),
    (5, "Star Gate", "TV", 2001, 26, ["sci-fi", "time travel", "drama"]),
    (6, "Band Club", "TV", 2009, 13, ["music", "school", "comedy", "slice of life", "drama"]),
    (7, "Tea Time", "TV", 2010, 12, ["slice of life", "comedy", "school", "drama"]),
    (8, "Cold Case", "TV", 2020, 12, ["mystery", "psychological", "time travel"]),
    (9, "Summer Song", "MOVIE", 2018, 1, ["music", "slice of life", "drama"]),
    (10, "Office Days", "TV", 2015, 12, ["comedy", "drama"]),
    (11, "Quiet Rain", "OVA", 2012, 2, ["drama"]),
    (12, "Long Road", "TV", 2005, 50, ["drama", "comedy"]),
]  # fmt: skip
MYSTERY = [1, 2, 3, 4, 5]
SLICE = [6, 7, 9]


def make_catalog() -> dict[int, object]:
    """The entries above, by MAL id."""
    tags = {}
    out = {}
    for mal_id, title, kind, year, episodes, names in ENTRIES:
        anime = AnimeFactory(title=title, kind=AnimeType(kind), year=year, episodes=episodes)
        for name in names:
            tag = tags.get(name) or tags.setdefault(name, TagFactory(name=name))
            AnimeTagFactory(anime=anime, tag=tag)
        ExternalIdFactory(anime=anime, external_id=str(mal_id))
        out[mal_id] = anime
    return out


def write_ratings(path: Path) -> Path:
    """Users 1–12 love the mystery titles, 13–24 the slice-of-life ones; a few low ratings."""
    lines = ["user_id,mal_id,rating"]
    for user in range(1, 13):
        lines += [f"{user},{mal},9" for mal in MYSTERY]
        lines.append(f"{user},10,4")
    for user in range(13, 25):
        lines += [f"{user},{mal},8" for mal in SLICE]
        lines += [f"{user},12,5", f"{user},999,9"]  # 999: not in the catalog
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
