"""A small catalog for "who should watch" tests: a romance with a franchise among its
neighbours, a director with other works (one of them a sequel, one a special), a creator whose
only other title is the same franchise, and a mystery whose synopsis names a detective.

Trained content-only (no ratings): neighbours come from shared tags, staff and studios.
"""

from __future__ import annotations

from kansou.catalog.models import AnimeType
from tests.catalog.factories import (
    AnimeFactory,
    AnimeTagFactory,
    PersonFactory,
    StaffCreditFactory,
    TagFactory,
)

SUBJECT = "Spring Letters"
ENTRIES = [
    # (title, kind, score, tags)
    (SUBJECT, "TV", 7.9, ["romance", "love polygon", "school", "comedy"]),
    ("Rival Hearts", "TV", 8.1, ["romance", "love polygon", "school"]),
    ("Rival Hearts 2nd Season", "TV", 8.3, ["romance", "love polygon", "school"]),
    ("Rival Hearts Movie", "MOVIE", 8.0, ["romance", "love polygon", "school"]),
    ("Kiss Notes", "TV", 7.2, ["romance", "love polygon", "comedy"]),
    ("Campus Crush", "TV", 7.0, ["romance", "school", "comedy"]),
    ("Steel Legion", "TV", 7.5, ["mecha", "military"]),
    ("Night Hunt", "TV", 7.0, ["horror", "gore"]),
    ("Case Files", "TV", 8.5, ["mystery", "detective", "crime"]),
    ("Case Files 2", "TV", 8.6, ["mystery", "detective", "crime"]),
    ("Cold Trail", "TV", 7.4, ["mystery", "detective", "police"]),
    ("Ghost Case", "TV", 7.1, ["mystery", "supernatural"]),
    ("Sleuth Academy", "TV", 7.8, ["detective", "crime", "school"]),
    ("Badge Seven", "TV", 7.7, ["police", "detective"]),
    ("Mori Promo", "SPECIAL", 9.9, ["romance"]),
    ("Quiet Fields", "TV", 7.6, ["slice of life", "iyashikei"]),
    ("Harbour Town", "TV", 7.3, ["slice of life", "family"]),
    ("Harbour Town Movie", "MOVIE", 7.0, ["slice of life", "family"]),
]
DIRECTOR = "Aoi Mori"  # directed the subject, Case Files, Case Files 2, Night Hunt, Mori Promo
DIRECTED = [SUBJECT, "Case Files", "Case Files 2", "Night Hunt", "Mori Promo"]
CREATOR = "Ren Solo"  # original creator of Harbour Town and its movie only
GHOST_CASE_SYNOPSIS = "A young detective investigates a haunted school."


def make_audience_catalog() -> dict[str, object]:
    """The entries above with their staff credits, by title."""
    tags: dict[str, object] = {}
    out = {}
    for title, kind, score, names in ENTRIES:
        synopsis = GHOST_CASE_SYNOPSIS if title == "Ghost Case" else ""
        anime = AnimeFactory(title=title, kind=AnimeType(kind), score=score, synopsis=synopsis)
        for name in names:
            tag = tags.get(name) or tags.setdefault(name, TagFactory(name=name))
            AnimeTagFactory(anime=anime, tag=tag)
        out[title] = anime
    director = PersonFactory(name=DIRECTOR)
    for title in DIRECTED:
        StaffCreditFactory(anime=out[title], person=director, role="Director")
    StaffCreditFactory(anime=out[SUBJECT], person=PersonFactory(), role="Music")
    creator = PersonFactory(name=CREATOR)
    for title in ("Harbour Town", "Harbour Town Movie"):
        StaffCreditFactory(anime=out[title], person=creator, role="Original creator")
    return out
