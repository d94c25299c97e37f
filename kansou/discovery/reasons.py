"""Why one anime is like another, in words, from facts stored in the artefact.

Every sentence is checkably true of the training snapshot: co-lover counts come from the
positives matrix (stored per neighbour-table cell), shared tags, studios and staff from the
binary item features. Tags are listed most distinctive (highest IDF) first.
"""

from __future__ import annotations

import numpy as np

from kansou.discovery.artefact import Artefact

MIN_SUPPORT = 3
MAX_TAGS = 3
_LENGTHS = {
    "single": "single-episode",
    "short": "short",
    "one-cour": "one-cour",
    "two-cour": "two-cour",
    "long": "long-running",
    "very-long": "very long-running",
}


def display(name: str) -> str:
    """``studio:kyoto animation`` → ``Kyoto Animation``; tags stay lower case."""
    group, value = name.split(":", 1)
    if group in ("studio", "staff"):
        return " ".join(word[:1].upper() + word[1:] for word in value.split(" "))
    if group == "type":
        return value.upper() if value in ("tv", "ova", "ona") else value.capitalize()
    if group == "length":
        return _LENGTHS.get(value, value)
    return value


def shared_features(art: Artefact, a: int, b: int) -> dict[str, list[str]]:
    """Feature names items ``a`` and ``b`` both have, by group; tags by descending IDF."""
    raw = art.features.raw
    shared = np.intersect1d(raw[a].indices, raw[b].indices)
    shared = shared[np.argsort(-np.asarray(art.idf)[shared], kind="stable")]
    out: dict[str, list[str]] = {}
    for name in art.features.names[shared]:
        out.setdefault(str(name).split(":", 1)[0], []).append(str(name))
    return out


def pair_reasons(
    art: Artefact, source: int, target: int, *, titles: tuple[str, str], position: int | None
) -> list[str]:
    """Reasons ``target`` is like ``source``; ``position`` is its cell in the source's table row
    (for the co-lover count), None when it is not in the table."""
    out = []
    if position is not None:
        together = int(art.colovers[source, position])
        if together >= MIN_SUPPORT:
            out.append(
                f"{together} of the {int(art.lovers[source])} readers who loved {titles[0]} "
                f"also loved {titles[1]}"
            )
    groups = shared_features(art, source, target)
    if groups.get("tag"):
        out.append("Shares tags: " + ", ".join(display(t) for t in groups["tag"][:MAX_TAGS]))
    if groups.get("studio"):
        out.append("Same studio: " + ", ".join(display(s) for s in groups["studio"]))
    if groups.get("staff"):
        out.append("Same staff: " + ", ".join(display(s) for s in groups["staff"][:MAX_TAGS]))
    if not out:
        facts = [display(n) for g in ("type", "era", "length") for n in groups.get(g, [])]
        if facts:
            out.append("Same type, era or length: " + " · ".join(facts))
    return out
