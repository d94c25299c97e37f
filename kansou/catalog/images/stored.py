"""Where a stored poster's files are and the ``srcset`` they make. No storage calls.

A stored poster is described by the small dict kept on ``Anime.poster`` (so every list that
loads anime rows can draw posters without another query)::

    {"stem": "posters/133/5d41402abc4b", "width": 460, "height": 650, "widths": [160, 320, 460]}

Its files, under Django's default storage, are ``<stem>-original.<ext>`` (the bytes as fetched)
and ``<stem>-<width>.webp`` / ``<stem>-<width>.jpg`` for every width. The stem holds a digest of
the fetched bytes, so a name never changes content and can be cached for a year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

POSTER_WIDTHS = (160, 320, 640)
POSTER_DIR = "posters"


def poster_stem(anime_id: int, digest: str) -> str:
    return f"{POSTER_DIR}/{anime_id}/{digest}"


@dataclass(frozen=True)
class StoredPoster:
    stem: str
    width: int
    height: int
    widths: tuple[int, ...]

    @classmethod
    def from_json(cls, value: dict | None) -> StoredPoster | None:
        """The poster ``value`` describes, or None when it is empty or malformed."""
        if not value:
            return None
        try:
            widths = tuple(int(w) for w in value["widths"])
            poster = cls(str(value["stem"]), int(value["width"]), int(value["height"]), widths)
        except (KeyError, TypeError, ValueError):
            return None
        return poster if poster.widths and poster.width > 0 and poster.height > 0 else None

    def as_json(self) -> dict:
        return {"stem": self.stem, "width": self.width, "height": self.height,
                "widths": list(self.widths)}  # fmt: skip

    def name(self, width: int, ext: str) -> str:
        return f"{self.stem}-{width}.{ext}"

    def original_name(self, ext: str) -> str:
        return f"{self.stem}-original.{ext}"

    def names(self) -> list[str]:
        return [self.name(w, ext) for w in self.widths for ext in ("webp", "jpg")]

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))

    def fallback_width(self, wanted: int) -> int:
        """The smallest stored width at least ``wanted`` (else the largest)."""
        return next((w for w in self.widths if w >= wanted), self.widths[-1])

    def srcset(self, ext: str, url: Callable[[str], str]) -> str:
        return ", ".join(f"{url(self.name(w, ext))} {w}w" for w in self.widths)
