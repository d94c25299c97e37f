"""Reader for the anime-offline-database format (manami-project), streaming.

Accepts the upstream JSON document (``{"data": [...]}``), its JSONL form (metadata object on the
first line, one anime per line after it) and gzipped versions of both, told apart by content, not
by file name. Records are read one at a time so memory does not grow with the file. Each record is
validated against the upstream schema (plus the ``synopsis`` and ``score`` extensions); a bad
record yields a :class:`Rejected` naming its line or index, the field and the reason, and reading
goes on. A file that cannot be read at all raises :class:`UnreadableFile`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ijson

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


class UnreadableFile(Exception):
    """The file as a whole cannot be read (missing, not JSON, truncated, wrong shape)."""


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


@dataclass
class CatalogFile:
    """An open catalog file: ``metadata`` (first line or top-level keys) and its records."""

    path: Path
    metadata: dict = field(default_factory=dict)
    size: int = 0
    _raw: io.BufferedReader | None = None

    def bytes_read(self) -> int:
        """How far into the file on disk reading has got (compressed bytes for gzip)."""
        try:
            return self._raw.tell() if self._raw else 0
        except (OSError, ValueError):
            return self.size

    def records(self) -> Iterator[tuple[str, AnimeRecord | Rejected]]:
        """``(location, record)`` in file order; reading errors raise :class:`UnreadableFile`.

        The location is "line N" (JSON Lines, counting the metadata line) or "data[i]".
        """
        try:
            self._raw = open(self.path, "rb")
        except OSError as exc:
            raise UnreadableFile(f"{self.path}: cannot open: {exc.strerror or exc}") from exc
        with self._raw:
            stream = _decompressed(self._raw)
            try:
                yield from _parse(stream, self)
            except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
                raise UnreadableFile(
                    f"{self.path}: compressed data is damaged or cut short ({exc})"
                ) from exc
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"{self.path}: not UTF-8 text ({exc.reason})") from exc


def open_catalog(path: str | Path) -> CatalogFile:
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"{path}: no such file")
    return CatalogFile(path=path, size=path.stat().st_size)


def _decompressed(raw: io.BufferedReader) -> io.BufferedReader:
    magic = raw.peek(2)[:2]
    if magic == b"\x1f\x8b":
        return io.BufferedReader(gzip.GzipFile(fileobj=raw, mode="rb"))
    return raw


def _parse(stream, catalog: CatalogFile) -> Iterator[tuple[str, AnimeRecord | Rejected]]:
    first = stream.readline()
    if not first.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
        raise UnreadableFile(
            f"{catalog.path}: not an anime-offline-database file (it does not start with a "
            "JSON object)"
        )
    try:
        head = json.loads(first)
    except json.JSONDecodeError:
        head = None
    if isinstance(head, dict) and "data" not in head:
        # JSONL: a metadata line (or, leniently, a record straight away), then a record a line.
        if "sources" in head:
            yield "line 1", _checked(head, "line 1")
        else:
            catalog.metadata = head
        yield from _parse_lines(stream)
    else:
        yield from _parse_document(first, stream, catalog)


def _parse_lines(stream) -> Iterator[tuple[str, AnimeRecord | Rejected]]:
    for number, line in enumerate(stream, start=2):
        if not line.strip():
            continue
        location = f"line {number}"
        try:
            data = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield (
                location,
                Rejected(location, "(record)", f"not UTF-8 text at byte {exc.start + 1}"),
            )
            continue
        except json.JSONDecodeError as exc:
            yield (
                location,
                Rejected(location, "(record)", f"invalid JSON: {exc.msg} at column {exc.colno}"),
            )
            continue
        yield location, _checked(data, location)


def _parse_document(
    first: bytes, stream, catalog: CatalogFile
) -> Iterator[tuple[str, AnimeRecord | Rejected]]:
    state = {"data": False, "index": 0}
    events = _watch_top_level(ijson.parse(_Prepend(first, stream), use_float=True), catalog, state)
    try:
        for data in ijson.items(events, "data.item", use_float=True):
            location = f"data[{state['index']}]"
            yield location, _checked(data, location)
            state["index"] += 1
    except ijson.JSONError as exc:
        where = f"after data[{state['index'] - 1}]" if state["index"] else "before the first entry"
        raise UnreadableFile(f"{catalog.path}: invalid JSON {where}: {exc}") from exc
    if not state["data"]:
        raise UnreadableFile(
            f"{catalog.path}: not an anime-offline-database file "
            '(no JSON Lines metadata line and no top-level "data" array)'
        )


def _watch_top_level(events, catalog: CatalogFile, state: dict):
    """Pass parser events through, noting top-level metadata and whether "data" is there."""
    for prefix, event, value in events:
        if prefix == "data" and event == "start_array":
            state["data"] = True
        elif prefix and "." not in prefix and event in {"string", "number", "boolean"}:
            catalog.metadata[prefix] = value
        yield prefix, event, value


class _Prepend(io.RawIOBase):
    """A stream that replays the already-read first line before the rest."""

    def __init__(self, head: bytes, rest):
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson probes with read(0) to tell bytes from text
            return b""
        if self._head:
            chunk, self._head = self._head, b""
            return chunk
        return self._rest.read(size)

    def readinto(self, buffer) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _checked(data: object, location: str) -> AnimeRecord | Rejected:
    try:
        return validate(data)
    except _Invalid as exc:
        return Rejected(location, exc.field, exc.reason)


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
