""" "Who should watch": audience profiles for an anime, from the best evidence there is.

Where profiles come from (assembled by :func:`kansou.discovery.selectors.anime_audience_profiles`),
in this order, up to ``MAX_PROFILES`` in all:

1. **Written**: the profiles of the newest published review of the anime that has any, as
   written, with their comparable titles (all of them, even more than ``MAX_PROFILES``).
2. **The creator**: a person credited on the anime as original creator or director
   (``CREATOR_ROLES``; the first such credit) who has other works in the catalog: "For fans of
   <name>", their other works best known first (:func:`best_known`), one per franchise, none of
   the anime's own franchise.
3. **Generated** from what is distinctive about the anime (:func:`audience_profiles`).

Rules for generated profiles:

1. Each of the anime's tags weighs its IDF (``log(n_items / items with the tag)``), so a tag
   half the catalogue has ("comedy", "drama") weighs little and a rare one ("time travel") a lot.
   Words of the synopsis (never shown) may add a tag the anime lacks (``SYNOPSIS_TAGS``), at
   ``SYNOPSIS_WEIGHT`` of its IDF.
2. Tags are grouped into themes with readable names (``THEMES``); a tag in no theme is its own
   theme, named after the tag. Tags that describe a market rather than a taste (demographics,
   formats, "award winning") name nothing (``IGNORED``).
3. A theme's weight is the sum of its tags' weights; the heaviest themes come first.
4. Comparable titles come from the precomputed neighbour table and the anime's pairs (readers'
   and reviews' "if you liked X, watch Y"), never from the anime's own franchise, and no
   specials for a series or film. A candidate must have one of the theme's tags the anime has;
   paired titles first, then those sharing more of the theme's tags, then the well-known ones
   (many ratings, then a high score). One title per franchise in a profile; a title is used by
   one profile only. A theme with fewer than ``MIN_COMPARABLE`` titles is skipped.
5. A profile says what it is about in words made from the anime's own tags in the theme
   (:func:`describe`: "Romance with a love triangle"), never just the theme's name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kansou.discovery.artefact import Artefact
from kansou.discovery.audience.themes import (
    CONTEXT_PHRASES,
    CREATOR_ROLES,
    IGNORED,
    SYNOPSIS_TAGS,
    TAG_PHRASES,
    THEME_NOUN,
    THEME_OF,
)
from kansou.discovery.reasons import display
from kansou.recommend.neighbours import MINOR_KIND

MAX_PROFILES = 4
MIN_COMPARABLE = 2
MAX_COMPARABLE = 3
SYNOPSIS_WEIGHT = 0.5
MAX_NOUNS = 2  # noun phrases in a description ("mind-bending mystery and psychological suspense")


@dataclass(frozen=True)
class Profile:
    """One generated audience: ``name`` ("For fans of …"), the anime's ``tags`` behind it (most
    distinctive first), what it is about (``description``) and the item indices of its
    comparable titles."""

    name: str
    tags: tuple[str, ...]
    comparable: tuple[int, ...]
    description: str = ""


def describe(theme: str, tags: Sequence[str], others: Iterable[str] = ()) -> str:
    """What a theme means for this anime, from its ``tags`` in the theme (most distinctive
    first); ``others`` are the anime's other tags, which may colour a phrase.

    >>> describe("romance", ["love polygon", "romance"])
    'Romance with a love triangle'
    >>> describe("mind-bending mysteries", ["mystery", "psychological"])
    'Mind-bending mystery and psychological suspense'
    >>> describe("emotional storytelling", ["drama"], others=["slice of life"])
    'Quiet, character-driven drama'
    """
    context = set(others) | set(tags)
    nouns: list[str] = []
    details: list[str] = []
    for tag in tags:
        phrase = TAG_PHRASES.get(tag) or f"{tag} at the heart of the story"
        for other, coloured in CONTEXT_PHRASES.get(tag, ()):
            if other in context:
                phrase = coloured
                break
        kept = details if phrase.startswith("with ") else nouns
        if phrase not in kept:
            kept.append(phrase)
    nouns = nouns[:MAX_NOUNS] or [THEME_NOUN.get(theme, "a story")]
    text = " and ".join(nouns) + (" " + details[0] if details else "")
    return text[:1].upper() + text[1:]


def describe_creator(role: str, name: str) -> str:
    """What a creator credit says (``role`` one of ``CREATOR_ROLES``, any case).

    >>> describe_creator("Director", "Naoko Yamada")
    'Directed by Naoko Yamada'
    """
    return CREATOR_ROLES[role.strip().lower()].format(name=name)


def title_list(titles: Sequence[str]) -> str:
    """Titles as words.

    >>> title_list(["A", "B", "C"]), title_list(["A"])
    ('A, B or C', 'A')
    """
    if len(titles) < 2:
        return "".join(titles)
    return ", ".join(titles[:-1]) + " or " + titles[-1]


def why_sentence(description: str, titles: Sequence[str]) -> str:
    """A profile's sentence: what it is about, then its comparable titles.

    >>> why_sentence("Romance with a love triangle", ["A", "B"])
    'Romance with a love triangle, like A or B.'
    """
    return f"{description}, like {title_list(titles)}." if titles else f"{description}."


def best_known(
    kinds: Sequence[str], popularity: Sequence[float], scores: Sequence[float | None]
) -> list[int]:
    """Positions of works, best known first: series and films before specials, then many
    ratings, then a high public score (unknown last); ties keep their order.

    >>> best_known(["SPECIAL", "TV", "TV", "MOVIE"], [90, 5, 5, 40], [9.0, 7.0, 8.0, None])
    [3, 2, 1, 0]
    """
    return sorted(
        range(len(kinds)),
        key=lambda i: (kinds[i] == MINOR_KIND, -float(popularity[i]), -(scores[i] or 0.0)),
    )


def one_per_franchise(
    order: Iterable[int], franchise: Mapping[int, int], limit: int, skip: Iterable[int] = ()
) -> list[int]:
    """The first ``limit`` of ``order`` with no two of one franchise and none of ``skip``'s
    franchises; a key missing from ``franchise`` is a franchise of its own.

    >>> one_per_franchise([5, 6, 7, 8], {5: 0, 6: 0, 7: 1, 8: 2}, 2, skip=[2])
    [5, 7]
    """
    taken = set(skip)
    out = []
    for key in order:
        family = franchise.get(key, ("own", key))
        if family in taken:
            continue
        taken.add(family)
        out.append(key)
        if len(out) == limit:
            break
    return out


def _tag_columns(art: Artefact) -> dict[str, int]:
    """Tag name → feature column, built once per artefact."""

    def build() -> dict[str, int]:
        names = [str(n) for n in art.features.names]
        return {n.split(":", 1)[1]: c for c, n in enumerate(names) if n.startswith("tag:")}

    return art.memo("audience.tag_columns", build)


def _synopsis_columns(art: Artefact, synopsis: str) -> list[int]:
    text = synopsis.lower()
    columns = _tag_columns(art)
    found = {tag for pattern, tag in SYNOPSIS_TAGS if pattern.search(text)}
    return [columns[tag] for tag in sorted(found) if tag in columns]


def _themes(art: Artefact, item: int, synopsis: str = "") -> list[tuple[str, list[int]]]:
    """(theme, the item's tag columns in it, heaviest first), heaviest theme first."""
    names = art.features.names
    idf = np.asarray(art.idf)
    own = {int(c) for c in art.features.raw[item].indices}
    weights = {int(c): float(idf[c]) for c in own}
    for column in _synopsis_columns(art, synopsis):
        weights.setdefault(column, SYNOPSIS_WEIGHT * float(idf[column]))
    theme_weight: dict[str, float] = {}
    members: dict[str, list[int]] = {}
    for column in sorted(weights, key=lambda c: (-weights[c], c)):
        group, tag = str(names[column]).split(":", 1)
        if group != "tag" or tag in IGNORED:
            continue
        theme = THEME_OF.get(tag, tag)
        theme_weight[theme] = theme_weight.get(theme, 0.0) + weights[column]
        members.setdefault(theme, []).append(column)
    return [(t, members[t]) for t in sorted(theme_weight, key=lambda t: -theme_weight[t])]


def candidates(
    art: Artefact, item: int, *, paired: Iterable[int] = (), franchise: Mapping[int, int]
) -> np.ndarray:
    """Item indices that may be comparable titles for ``item``: its neighbours (table order),
    then its paired titles not among them; never the item's own franchise, and no specials
    for a series or film."""
    neighbours, _ = art.table.lookup(item, art.table.k)
    pool = list(dict.fromkeys([*map(int, neighbours), *map(int, paired)]))
    kinds = np.asarray(art.kinds)
    own = franchise.get(item, ("own", item))
    minor = kinds[item] == MINOR_KIND
    return np.array(
        [
            i
            for i in pool
            if i != item and franchise.get(i, ("own", i)) != own
            and (minor or kinds[i] != MINOR_KIND)
        ],
        dtype=np.int64,
    )  # fmt: skip


def audience_profiles(
    art: Artefact,
    item: int,
    *,
    pool: np.ndarray | None = None,
    paired: Iterable[int] = (),
    franchise: Mapping[int, int] | None = None,
    used: Iterable[int] = (),
    synopsis: str = "",
    limit: int = MAX_PROFILES,
) -> list[Profile]:
    """Up to ``limit`` generated profiles for item index ``item`` (rules in the module
    docstring). ``pool`` is from :func:`candidates` (the neighbours when None), ``paired`` the
    indices readers or reviews paired with the item, ``franchise`` index → franchise id, ``used``
    indices other profiles already name."""
    franchise = franchise or {}
    if pool is None:
        pool = candidates(art, item, paired=paired, franchise=franchise)
    raw = art.features.raw
    paired_set, used_set = set(map(int, paired)), set(map(int, used))
    fame = np.stack([np.asarray(art.popularity)[pool], np.nan_to_num(np.asarray(art.scores)[pool])])
    themes = _themes(art, item, synopsis)
    all_tags = [display(str(art.features.names[c])) for _, cols in themes for c in cols]
    profiles = []
    for theme, columns in themes:
        if len(profiles) >= limit or not len(pool):
            break
        has = np.asarray(raw[pool][:, columns].sum(axis=1)).ravel()
        order = sorted(
            (int(n) not in paired_set, -has[i], -fame[0, i], -fame[1, i], int(n))
            for i, n in enumerate(pool)
            if has[i] > 0 and int(n) not in used_set
        )
        chosen = one_per_franchise((n for *_, n in order), franchise, MAX_COMPARABLE)
        if len(chosen) < MIN_COMPARABLE:
            continue
        used_set.update(chosen)
        tags = tuple(display(str(art.features.names[c])) for c in columns)
        text = describe(theme, tags, all_tags)
        profiles.append(Profile(f"For fans of {theme}", tags, tuple(chosen), text))
    return profiles


@dataclass
class Written:
    """One profile as a review wrote it, with the anime ids of its comparable titles."""

    name: str
    why_md: str
    why_html: str
    review_title: str
    review_slug: str
    comparable: list[int]


def written_profiles(rows: Iterable[tuple]) -> list[Written]:
    """Group ``(review id, profile id, name, why_md, why_html, review title, review slug,
    comparable anime id or None)`` rows, in order, into the first review's profiles.

    >>> [(w.name, w.comparable) for w in written_profiles(
    ...     [(7, 1, "A", "", "", "R", "r", 10), (7, 1, "A", "", "", "R", "r", 11),
    ...      (7, 2, "B", "", "", "R", "r", None), (3, 9, "C", "", "", "S", "s", 12)])]
    [('A', [10, 11]), ('B', [])]
    """
    out: dict[int, Written] = {}
    first = None
    for review_id, pk, name, why_md, why_html, title, slug, anime_id in rows:
        first = review_id if first is None else first
        if review_id != first:
            break
        profile = out.setdefault(pk, Written(name, why_md, why_html, title, slug, []))
        if anime_id is not None and anime_id not in profile.comparable:
            profile.comparable.append(anime_id)
    return list(out.values())


def creator_works(rows: Iterable[tuple], anime_id: int) -> list[tuple[str, str, list[int]]]:
    """``(name, role on the anime, ids of their other works)`` per creator, in the order of
    their credit on the anime, from ``(person id, name, anime id, role, position)`` rows of
    every creator credit (``CREATOR_ROLES``) of the anime's creators.

    >>> creator_works([(1, "Ann", 5, "Director", 2), (1, "Ann", 6, "Creator", 0),
    ...                (2, "Bo", 5, "Original creator", 1)], anime_id=5)
    [('Bo', 'Original creator', []), ('Ann', 'Director', [6])]
    """
    own: dict[int, tuple[int, str, str]] = {}
    others: dict[int, list[int]] = {}
    for person_id, name, work, role, position in rows:
        if work == anime_id:
            if person_id not in own or position < own[person_id][0]:
                own[person_id] = (position, name, role)
        elif work not in others.setdefault(person_id, []):
            others[person_id].append(work)
    order = sorted(own, key=lambda p: (own[p][0], p))
    return [(own[p][1], own[p][2], others.get(p, [])) for p in order]
