"""Franchises from titles: sequels, movies and specials of one series share a key.

The catalog has no relations, so titles decide: a title's *key* is its main part (before a
colon or dash), lower-cased, without accents, punctuation and the words that number a season or
name a format ("2nd Season", "Movie 3", "OVA", "Specials"…). Two titles are one franchise when
one key is a whole-word prefix of the other and the shorter has at least two words or seven
letters ("Minami-ke" and "Minami-ke Okawari"; not "One Piece" and "One Punch Man").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np

_CUT = re.compile(r"\s*(?::|\s[-–—]\s|\(|\[|/\s).*$")
_FORMAT = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)\s+season|season\s*\d+|part\s*\d+|cour\s*\d+|the\s+movie|"
    r"movie|film|gekijouban|ova|oad|ona|specials?|recap|tv|final\s+season|"
    r"s\d{1,2}|[ivx]{1,4}|\d+)\b"
)
_NOT_WORD = re.compile(r"[^a-z0-9]+")
MIN_PREFIX_WORDS, MIN_PREFIX_LETTERS = 2, 7


def franchise_key(title: str) -> str:
    """The part of a title that stays the same across a franchise.

    >>> franchise_key("Dragon Ball Z Movie 02: Kono Yo de Ichiban Tsuyoi Yatsu")
    'dragon ball z'
    >>> franchise_key("Bakuman. 2nd Season"), franchise_key("Gintama°"), franchise_key("K-On!!")
    ('bakuman', 'gintama', 'k on')
    >>> franchise_key("Shingeki no Kyojin Season 3 Part 2"), franchise_key("Major S6")
    ('shingeki no kyojin', 'major')
    """
    text = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode()
    text = _CUT.sub("", text.lower())
    text = _NOT_WORD.sub(" ", text)
    stripped = " ".join(_FORMAT.sub(" ", text).split())
    return stripped or " ".join(text.split())


def franchise_ids(titles: Sequence[str]) -> np.ndarray:
    """One int per title; equal ints are one franchise (rule in the module docstring).

    >>> franchise_ids(["K-On!", "K-On! Movie", "Minami-ke", "Minami-ke Okawari", "One Piece",
    ...                "One Punch Man"]).tolist()
    [0, 0, 1, 1, 2, 3]
    """
    keys = [franchise_key(t) for t in titles]
    group_of: dict[str, int] = {}
    # Shorter keys first, so a franchise is named by its shortest title.
    for key in sorted(set(keys), key=lambda k: (len(k.split()), len(k))):
        words = key.split()
        group = None
        for end in range(1, len(words)):
            prefix = " ".join(words[:end])
            if prefix in group_of and (
                end >= MIN_PREFIX_WORDS or len(prefix) >= MIN_PREFIX_LETTERS
            ):
                group = group_of[prefix]
                break
        group_of[key] = len(group_of) if group is None else group
    # Renumber in order of first appearance.
    first: dict[int, int] = {}
    return np.array([first.setdefault(group_of[k], len(first)) for k in keys], dtype=np.int32)
