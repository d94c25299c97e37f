"""One anime-offline-database record checked against the upstream schema (plus the
``synopsis`` and ``score`` extensions): :class:`AnimeRecord`, :func:`validate`, and the
:class:`Rejected` that names a bad record's field and reason. ``offline_db`` reads files of them.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from kansou.catalog.text import normalize_title

TYPES = {"TV", "MOVIE", "OVA", "ONA", "SPECIAL", "UNKNOWN"}
STATUSES = {"FINISHED", "ONGOING", "UPCOMING", "UNKNOWN"}
SEASONS = {"SPRING", "SUMMER", "FALL", "WINTER", "UNDEFINED"}
# Longest text each field's column holds (``catalog.models``): longer is a rejected record, not
# a batch the database refuses. The search form and slug made from a text are bounded too:
# compatibility characters make them longer than the text ("ﷺ" decomposes into 18 letters).
TITLE_MAX = 500
NAME_MAX = {"synonyms": TITLE_MAX, "studios": 200, "producers": 200, "tags": 100}
URL_MAX = 500
# Control characters but tab and newline (C0, DEL, C1) and lone surrogates ("\ud800" in JSON):
# no title or synopsis means one, and the database refuses NUL and surrogates. They are
# stripped from text (one stray C1 byte sits in an upstream synopsis); a URL holding one is not
# a URL and is rejected. Review files follow the same rule (``reviews.frontmatter``).
_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_REQUIRED = (
    "sources",
    "title",
    "type",
    "episodes",
    "status",
    "animeSeason",
    "picture",
    "thumbnail",
    "synonyms",
    "studios",
    "producers",
    "relatedAnime",
    "tags",
)


@dataclass(frozen=True)
class AnimeRecord:
    """One validated entry, in Kansou's terms."""

    sources: tuple[str, ...]
    title: str
    kind: str
    episodes: int
    status: str
    season: str
    year: int | None
    picture: str
    thumbnail: str
    duration_seconds: int | None
    synonyms: tuple[str, ...]
    studios: tuple[str, ...]
    producers: tuple[str, ...]
    related: tuple[str, ...]
    tags: tuple[str, ...]
    synopsis: str = ""
    score: float | None = None
    digest: str = field(default="", compare=False)

    def scalars(self) -> dict:
        """The values ``Anime``'s scalar fields take from this record."""
        return {
            "title": self.title,
            "kind": self.kind,
            "episodes": self.episodes,
            "status": self.status,
            "season": self.season,
            "year": self.year,
            "duration_seconds": self.duration_seconds,
            "score": self.score,
            "synopsis": self.synopsis,
            "picture": self.picture,
            "thumbnail": self.thumbnail,
        }


@dataclass(frozen=True)
class Rejected:
    """A record that failed validation: where it is, which field, and why."""

    location: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: field '{self.field}': {self.reason}"


class _Invalid(Exception):
    def __init__(self, field_name: str, reason: str):
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


def validate(data: object) -> AnimeRecord:
    """Turn one decoded entry into an :class:`AnimeRecord`, or raise naming the bad field."""
    if not isinstance(data, dict):
        raise _Invalid("(record)", f"expected an object, got {_type_name(data)}")
    missing = [name for name in _REQUIRED if name not in data]
    if missing:
        raise _Invalid(missing[0], "required field is missing")
    sources = _sources(data["sources"])
    title = data["title"]
    if not isinstance(title, str) or not _clean(title):
        raise _Invalid("title", f"expected a non-empty string, got {_shown(title)}")
    season, year = _season(data["animeSeason"])
    values = dict(
        sources=sources,
        title=_fitting(_clean(title), "title", TITLE_MAX),
        kind=_choice(data, "type", TYPES),
        episodes=_whole_number(data["episodes"], "episodes", minimum=0),
        status=_choice(data, "status", STATUSES),
        season=season,
        year=year,
        picture=_url(data["picture"], "picture"),
        thumbnail=_url(data["thumbnail"], "thumbnail"),
        duration_seconds=_duration(data.get("duration")),
        synonyms=_strings(data, "synonyms"),
        studios=_strings(data, "studios"),
        producers=_strings(data, "producers"),
        related=tuple(_url(u, "relatedAnime") for u in _list(data["relatedAnime"], "relatedAnime")),
        tags=_strings(data, "tags"),
        synopsis=_synopsis(data.get("synopsis")),
        score=_score(data.get("score")),
    )
    # repr() of str/int/float/None tuples is stable across runs: a cheap content fingerprint.
    digest = hashlib.sha1(repr(sorted(values.items())).encode()).hexdigest()
    return AnimeRecord(**values, digest=digest)


def _sources(value: object) -> tuple[str, ...]:
    urls = _list(value, "sources")
    if not urls:
        raise _Invalid("sources", "empty: at least one source URL is needed to key the entry")
    checked = [_url(url, "sources") for url in urls]
    if len(set(checked)) != len(checked):
        raise _Invalid("sources", "lists the same URL twice")
    return tuple(sorted(checked))


def _season(value: object) -> tuple[str, int | None]:
    if not isinstance(value, dict):
        raise _Invalid("animeSeason", f"expected an object, got {_type_name(value)}")
    season = value.get("season")
    if season not in SEASONS:
        raise _Invalid(
            "animeSeason.season", f"expected one of {sorted(SEASONS)}, got {_shown(season)}"
        )
    year = value.get("year")
    if year is None:
        return season, None
    return season, _whole_number(year, "animeSeason.year", minimum=1907, maximum=2200)


def _duration(value: object) -> int | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _Invalid("duration", f"expected an object, got {_type_name(value)}")
    if value.get("unit") != "SECONDS":
        raise _Invalid("duration.unit", f"expected 'SECONDS', got {_shown(value.get('unit'))}")
    return _whole_number(value.get("value"), "duration.value", minimum=1)


def _score(value: object) -> float | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _Invalid("score", f"expected an object, got {_type_name(value)}")
    for key in ("arithmeticMean", "median", "arithmeticGeometricMean"):
        number = value.get(key)
        if number is None:
            continue
        if isinstance(number, bool) or not isinstance(number, int | float) or not 0 <= number <= 10:
            raise _Invalid(f"score.{key}", f"expected a number from 0 to 10, got {_shown(number)}")
        return round(float(number), 3)
    return None


def _synopsis(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Invalid("synopsis", f"expected a string, got {_type_name(value)}")
    return _clean(value)


def _clean(text: str) -> str:
    """``text`` without control characters (but tab and newline) or lone surrogates, trimmed."""
    return _UNWANTED.sub("", text).strip()


def _fitting(text: str, name: str, limit: int) -> str:
    """``text`` when it, and the keys made from it, fit in ``limit`` characters: its search form
    (``normalize_title``) and its slug (NFKC, lower case, as ``slugify`` makes it)."""
    if len(text) > limit:
        raise _Invalid(name, f"longer than {limit} characters ({len(text):,}): {_shown(text)}")
    keys = (normalize_title(text), unicodedata.normalize("NFKC", text).lower())
    if any(len(key) > limit for key in keys):
        raise _Invalid(name, f"longer than {limit} characters once normalised: {_shown(text)}")
    return text


def _choice(data: dict, name: str, allowed: set[str]) -> str:
    value = data[name]
    if value not in allowed:
        raise _Invalid(name, f"expected one of {sorted(allowed)}, got {_shown(value)}")
    return value


def _whole_number(value: object, name: str, *, minimum: int, maximum: int = 2**31 - 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise _Invalid(name, f"expected a whole number, got {_shown(value)}")
    if not minimum <= value <= maximum:
        raise _Invalid(name, f"expected a number from {minimum} to {maximum}, got {_shown(value)}")
    return int(value)


def _url(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise _Invalid(name, f"expected an http(s) URL, got {_shown(value)}")
    if len(value) > URL_MAX:
        raise _Invalid(name, f"URL longer than {URL_MAX} characters")
    if _UNWANTED.search(value) or any(ch.isspace() for ch in value):
        raise _Invalid(name, f"URL contains a space or control character: {_shown(value)}")
    return value


def _list(value: object, name: str) -> list:
    if not isinstance(value, list):
        raise _Invalid(name, f"expected a list, got {_type_name(value)}")
    return value


def _strings(data: dict, name: str) -> tuple[str, ...]:
    items = _list(data[name], name)
    for item in items:
        if not isinstance(item, str):
            raise _Invalid(name, f"expected a list of strings, found {_type_name(item)}")
    cleaned = [_fitting(text, name, NAME_MAX[name]) for item in items if (text := _clean(item))]
    return tuple(dict.fromkeys(cleaned))


def _type_name(value: object) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        type(None): "null",
    }.get(type(value), "a number")


def _shown(value: object) -> str:
    text = (
        json.dumps(value, ensure_ascii=False) if not isinstance(value, float | int) else str(value)
    )
    return text if len(text) <= 60 else text[:57] + "…"
