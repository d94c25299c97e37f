""" "Who should watch": audience profiles named from what is distinctive about an anime.

Rules:

1. Each of the anime's tags weighs its IDF (``log(n_items / items with the tag)``), so a tag
   half the catalogue has ("comedy", "drama") weighs little and a rare one ("time travel") a lot.
2. Tags are grouped into themes with readable names (``THEMES``); a tag in no theme is its own
   theme, named after the tag. Tags that describe a market rather than a taste (demographics,
   formats, "award winning") name nothing (``IGNORED``).
3. A theme's weight is the sum of its tags' weights; the heaviest themes come first.
4. Each theme needs at least ``MIN_COMPARABLE`` comparable titles: neighbours of the anime (from
   the precomputed table) that really have one of the theme's tags the anime has. Among them,
   those sharing more of the theme's tags come first, then the well-known ones (many ratings,
   then a high score). A title is used for one profile only. A theme without enough comparable
   titles is skipped. At most ``MAX_PROFILES`` profiles are returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kansou.discovery.artefact import Artefact
from kansou.discovery.reasons import display

MAX_PROFILES = 4
MIN_COMPARABLE = 2
MAX_COMPARABLE = 3

THEMES: dict[str, tuple[str, ...]] = {
    "emotional storytelling": ("drama", "tragedy", "soap"),
    "romance": ("romance", "love polygon", "love status quo", "reverse harem", "harem"),
    "love stories between girls or between boys": (
        "girls love", "boys love", "shoujo ai", "shounen ai", "yuri", "yaoi",
    ),
    "mind-bending mysteries": (
        "mystery", "psychological", "suspense", "thriller", "dementia", "avant garde",
    ),
    "crime and detective stories": ("crime", "organized crime", "police", "detective", "law"),
    "dark and horror": ("horror", "gore", "zombies", "vampire", "demons", "survival"),
    "big action and battles": (
        "action", "martial arts", "super power", "action & adventure", "samurai",
    ),
    "fantasy worlds and adventure": (
        "fantasy", "adventure", "magic", "mythology", "isekai", "reincarnation",
        "urban fantasy", "sci-fi & fantasy", "villainess", "supernatural",
    ),
    "science fiction": ("sci-fi", "science fiction", "space", "time travel"),
    "giant robots": ("mecha",),
    "war, history and politics": (
        "military", "war", "war & politics", "political", "historical", "history",
    ),
    "gentle slice of life": ("slice of life", "iyashikei", "cgdct"),
    "food and cooking": ("gourmet", "food", "cooking"),
    "family and everyday warmth": ("family", "childcare", "pets"),
    "school life and growing up": ("school", "youth", "friendship", "delinquents"),
    "comedy": ("comedy", "gag humor", "parody"),
    "sports": ("sports", "sport", "team sports", "racing", "cars", "combat sports"),
    "music and performance": (
        "music", "idols (female)", "idols (male)", "performing arts", "showbiz", "musical",
    ),
    "games and high-stakes strategy": ("game", "strategy game", "high stakes game", "video game"),
    "magical girls": ("mahou shoujo", "mahou shounen"),
    "grown-up working life": ("adult cast", "workplace", "medical"),
    "art, creators and otaku culture": ("visual arts", "otaku culture", "anime influenced"),
}  # fmt: skip
IGNORED = frozenset(
    "shounen seinen shoujo josei kids short award winning tv movie doujinshi adult erotica "
    "mature educational documentary biography ecchi".split(" ")
) | {"award winning", "tv movie"}
THEME_OF = {tag: theme for theme, tags in THEMES.items() for tag in tags}


@dataclass(frozen=True)
class Profile:
    """One audience: ``name`` ("For fans of …"), the anime's ``tags`` behind it (most
    distinctive first) and the item indices of its comparable titles."""

    name: str
    tags: tuple[str, ...]
    comparable: tuple[int, ...]

    @property
    def why(self) -> str:
        return "It has " + ", ".join(self.tags) + "."


def _themes(art: Artefact, item: int) -> list[tuple[str, list[int]]]:
    """(theme, the item's tag columns in it, heaviest first), heaviest theme first."""
    names = art.features.names
    columns = np.asarray(art.features.raw[item].indices)
    idf = np.asarray(art.idf)
    weights: dict[str, float] = {}
    members: dict[str, list[int]] = {}
    for column in columns[np.argsort(-idf[columns], kind="stable")]:
        group, tag = str(names[column]).split(":", 1)
        if group != "tag" or tag in IGNORED:
            continue
        theme = THEME_OF.get(tag, tag)
        weights[theme] = weights.get(theme, 0.0) + float(idf[column])
        members.setdefault(theme, []).append(int(column))
    return [(theme, members[theme]) for theme in sorted(weights, key=lambda t: -weights[t])]


def audience_profiles(art: Artefact, item: int) -> list[Profile]:
    """Up to ``MAX_PROFILES`` profiles for item index ``item`` (rules in the module docstring)."""
    neighbours, _ = art.table.lookup(item, art.table.k)
    raw = art.features.raw
    fame = np.stack(
        [np.asarray(art.popularity)[neighbours], np.nan_to_num(np.asarray(art.scores)[neighbours])]
    )
    used: set[int] = set()
    profiles = []
    for theme, columns in _themes(art, item):
        has = np.asarray(raw[neighbours][:, columns].sum(axis=1)).ravel()
        candidates = [
            (-has[i], -fame[0, i], -fame[1, i], int(n))
            for i, n in enumerate(neighbours)
            if has[i] > 0 and int(n) not in used
        ]
        chosen = [n for *_, n in sorted(candidates)[:MAX_COMPARABLE]]
        if len(chosen) < MIN_COMPARABLE:
            continue
        used.update(chosen)
        tags = tuple(display(str(art.features.names[c])) for c in columns)
        profiles.append(Profile(f"For fans of {theme}", tags, tuple(chosen)))
        if len(profiles) == MAX_PROFILES:
            break
    return profiles
