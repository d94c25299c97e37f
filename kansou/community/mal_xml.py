"""MyAnimeList list export (XML, optionally gzipped): read it safely, write it back.

Pure: bytes in, dataclasses out, and the reverse; no Django. The format is described in
``FORMATS.md`` 3.1 (after bokusu's ``malxml-spec.md``). Reading is defensive:

- the raw upload is capped (``MAX_COMPRESSED``) and gzip is decompressed as a stream that stops
  at ``MAX_UNCOMPRESSED``, so a small gzip bomb cannot fill memory;
- parsing goes through ``defusedxml`` with DTDs, entity declarations and external references
  all forbidden: a MAL export has none, and billion-laughs or XXE files are refused outright;
- one bad ``<anime>`` never stops the rest: it becomes an ``EntryProblem`` naming its position,
  field and value, and the other entries are returned.

Statuses are returned as Kansou's list status values (``"plan_to_watch"``…), which
``tests/community/test_mal_xml.py`` checks against ``models.ListStatus``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MAX_COMPRESSED = 10 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"

# MAL writes these words; older exports and some tools write the numeric codes.
STATUS_FROM_MAL = {
    "watching": "watching",
    "completed": "completed",
    "on-hold": "on_hold",
    "on hold": "on_hold",
    "dropped": "dropped",
    "plan to watch": "plan_to_watch",
    "1": "watching",
    "2": "completed",
    "3": "on_hold",
    "4": "dropped",
    "6": "plan_to_watch",
}
STATUS_TO_MAL = {
    "watching": "Watching",
    "completed": "Completed",
    "on_hold": "On-Hold",
    "dropped": "Dropped",
    "plan_to_watch": "Plan to Watch",
}
PRIORITY_FROM_MAL = {"low": "low", "medium": "medium", "high": "high", "": "low"}
PRIORITY_FROM_MAL |= {"0": "low", "1": "medium", "2": "high"}
PRIORITY_TO_MAL = {"low": "LOW", "medium": "MEDIUM", "high": "HIGH"}
TRUE_WORDS, FALSE_WORDS = {"1", "yes", "true"}, {"0", "no", "false", ""}
UNKNOWN_DATE = "0000-00-00"


class MalXmlError(ValueError):
    """The file as a whole cannot be read (too big, not gzip/XML, unsafe XML, not a MAL list)."""


@dataclass(frozen=True)
class EntryProblem:
    """One ``<anime>`` left out: its 1-based position among the entries, the field and why."""

    position: int
    field: str
    message: str
    mal_id: int | None = None
    title: str = ""

    def __str__(self) -> str:
        who = f" (MAL id {self.mal_id}" + (f", {self.title!r})" if self.title else ")")
        return f"entry {self.position}{who if self.mal_id else ''}: {self.field}: {self.message}"


@dataclass(frozen=True)
class MalEntry:
    position: int
    mal_id: int
    title: str
    status: str
    score: int
    episodes_watched: int
    started_on: dt.date | None = None
    finished_on: dt.date | None = None
    rewatching: bool = False
    rewatching_episode: int = 0
    times_rewatched: int = 0
    priority: str = "low"
    tags: str = ""
    notes: str = ""
    update_on_import: bool = True
    series_type: str = ""
    series_episodes: int = 0


@dataclass
class MalExport:
    user_name: str = ""
    entries: list[MalEntry] = field(default_factory=list)
    problems: list[EntryProblem] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Reading


def read_upload(
    stream: BinaryIO,
    *,
    max_compressed: int = MAX_COMPRESSED,
    max_uncompressed: int = MAX_UNCOMPRESSED,
) -> bytes:
    """The XML bytes of an upload, gunzipped when it starts with the gzip magic number.

    Raises ``MalXmlError`` past either cap or on a broken gzip stream.
    """
    raw = stream.read(max_compressed + 1)
    if len(raw) > max_compressed:
        raise MalXmlError(f"The file is larger than {_mb(max_compressed)}.")
    if not raw.startswith(GZIP_MAGIC):
        if len(raw) > max_uncompressed:
            raise MalXmlError(f"The XML is larger than {_mb(max_uncompressed)}.")
        return raw
    try:
        # GzipFile.read(n) decompresses at most n bytes: memory stays bounded by the cap.
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as unzipped:
            data = unzipped.read(max_uncompressed + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise MalXmlError(f"The file looks gzipped but cannot be decompressed ({exc}).") from None
    if len(data) > max_uncompressed:
        raise MalXmlError(f"The uncompressed XML is larger than {_mb(max_uncompressed)}.")
    return data


def parse_mal_xml(data: bytes) -> MalExport:
    """Every ``<anime>`` of a MAL export; bad entries go to ``problems``, the rest to ``entries``.

    Raises ``MalXmlError`` when the document is not well-formed, declares a DTD or entities,
    refers to external resources, is not a ``<myanimelist>`` document, or is a manga list.
    """
    root = _parse_safely(data)
    if root.tag != "myanimelist":
        raise MalXmlError(f"Not a MyAnimeList export: the root element is <{root.tag}>.")
    export = MalExport(user_name=_text(root.find("myinfo/user_name")))
    if root.find("manga") is not None and root.find("anime") is None:
        raise MalXmlError("This is a manga list; Kansou imports anime lists.")
    for position, element in enumerate(root.iterfind("anime"), start=1):
        try:
            export.entries.append(_entry(position, element))
        except EntryProblemError as problem:
            export.problems.append(problem.problem)
    return export


def read_mal_file(stream: BinaryIO, **caps: int) -> MalExport:
    """``read_upload`` then ``parse_mal_xml``."""
    return parse_mal_xml(read_upload(stream, **caps))


def _parse_safely(data: bytes) -> ET.Element:
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MalXmlError(
            "Refused: the XML declares a DTD, entities or external references "
            f"({type(exc).__name__}); a MAL export has none."
        ) from None
    except ET.ParseError as exc:
        line, column = exc.position
        message = f"Malformed XML at line {line}, column {column + 1}: {exc.msg}."
        raise MalXmlError(message) from None


class EntryProblemError(Exception):
    def __init__(self, problem: EntryProblem):
        super().__init__(str(problem))
        self.problem = problem


def _text(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


class _Reader:
    """Reads the fields of one ``<anime>``, raising ``EntryProblemError`` on the first bad one."""

    def __init__(self, position: int, element: ET.Element):
        self.position, self.element = position, element
        self.mal_id: int | None = None
        self.title = _text(element.find("series_title"))

    def fail(self, name: str, message: str):
        problem = EntryProblem(self.position, name, message, self.mal_id, self.title)
        raise EntryProblemError(problem)

    def raw(self, name: str, *, required: bool = False) -> str:
        child = self.element.find(name)
        if child is None:
            if required:
                self.fail(name, "missing")
            return ""
        return _text(child)

    def integer(self, name: str, *, required=False, low=0, high: int | None = None) -> int:
        value = self.raw(name, required=required)
        if value == "":
            if required:
                self.fail(name, "empty")
            return 0
        try:
            number = int(value)
        except ValueError:
            self.fail(name, f"expected a whole number, got {value!r}")
        if number < low or (high is not None and number > high):
            bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
            self.fail(name, f"must be {bounds}, got {number}")
        return number

    def date(self, name: str) -> dt.date | None:
        value = self.raw(name)
        if value in ("", UNKNOWN_DATE):
            return None
        try:
            if len(value) != len(UNKNOWN_DATE):
                raise ValueError(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(name, f"expected a date YYYY-MM-DD (or {UNKNOWN_DATE}), got {value!r}")

    def choice(self, name: str, table: dict[str, str], *, required=False) -> str:
        value = self.raw(name, required=required)
        try:
            return table[value.casefold()]
        except KeyError:
            known = sorted({v for k, v in table.items() if not k.isdigit() and k})
            self.fail(name, f"unknown value {value!r} (expected one of {', '.join(known)})")

    def flag(self, name: str, *, default: bool = False) -> bool:
        if self.element.find(name) is None:
            return default
        value = self.raw(name).casefold()
        if value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        self.fail(name, f"expected 0 or 1, got {value!r}")


def _entry(position: int, element: ET.Element) -> MalEntry:
    read = _Reader(position, element)
    read.mal_id = read.integer("series_animedb_id", required=True, low=1)
    return MalEntry(
        position=position,
        mal_id=read.mal_id,
        title=read.title,
        status=read.choice("my_status", STATUS_FROM_MAL, required=True),
        score=read.integer("my_score", high=10),
        episodes_watched=read.integer("my_watched_episodes"),
        started_on=read.date("my_start_date"),
        finished_on=read.date("my_finish_date"),
        rewatching=read.flag("my_rewatching"),
        rewatching_episode=read.integer("my_rewatching_ep"),
        times_rewatched=read.integer("my_times_watched"),
        priority=read.choice("my_priority", PRIORITY_FROM_MAL),
        tags=_tags(read.raw("my_tags")),
        notes=read.raw("my_comments"),
        # Absent means "overwrite", as for files other tools write without it.
        update_on_import=read.flag("update_on_import", default=True),
        series_type=read.raw("series_type"),
        series_episodes=read.integer("series_episodes"),
    )


def _tags(value: str) -> str:
    """MAL's comma-separated tags, trimmed, empty ones and repeats dropped: ``"a, b"``."""
    seen: dict[str, None] = {}
    for tag in value.split(","):
        if tag.strip():
            seen.setdefault(tag.strip(), None)
    return ", ".join(seen)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


# ---------------------------------------------------------------------------------------------
# Writing


def write_mal_xml(entries: list[MalEntry], *, user_name: str = "", user_id: int = 0) -> bytes:
    """A MAL export of ``entries`` (UTF-8 XML). ``update_on_import`` is written as 1, so
    importing the file again restores the list to this state."""
    root = ET.Element("myanimelist")
    info = ET.SubElement(root, "myinfo")
    counts = {status: sum(1 for e in entries if e.status == status) for status in STATUS_TO_MAL}
    for name, value in (
        ("user_id", user_id),
        ("user_name", user_name),
        ("user_export_type", 1),
        ("user_total_anime", len(entries)),
        ("user_total_watching", counts["watching"]),
        ("user_total_completed", counts["completed"]),
        ("user_total_onhold", counts["on_hold"]),
        ("user_total_dropped", counts["dropped"]),
        ("user_total_plantowatch", counts["plan_to_watch"]),
    ):
        ET.SubElement(info, name).text = str(value)
    for entry in entries:
        _write_entry(ET.SubElement(root, "anime"), entry)
    ET.indent(root, space="\t")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8" ?>\n' + body + "\n").encode("utf-8")


def _write_entry(anime: ET.Element, entry: MalEntry) -> None:
    def date(value: dt.date | None) -> str:
        return value.isoformat() if value else UNKNOWN_DATE

    for name, value in (
        ("series_animedb_id", entry.mal_id),
        ("series_title", entry.title),
        ("series_type", entry.series_type),
        ("series_episodes", entry.series_episodes),
        ("my_id", 0),
        ("my_watched_episodes", entry.episodes_watched),
        ("my_start_date", date(entry.started_on)),
        ("my_finish_date", date(entry.finished_on)),
        ("my_rated", ""),
        ("my_score", entry.score),
        ("my_storage", ""),
        ("my_storage_value", "0.00"),
        ("my_status", STATUS_TO_MAL[entry.status]),
        ("my_comments", entry.notes),
        ("my_times_watched", entry.times_rewatched),
        ("my_rewatch_value", ""),
        ("my_priority", PRIORITY_TO_MAL[entry.priority]),
        ("my_tags", entry.tags),
        ("my_rewatching", int(entry.rewatching)),
        ("my_rewatching_ep", entry.rewatching_episode),
        ("my_discuss", 1),
        ("my_sns", "default"),
        ("update_on_import", 1),
    ):
        ET.SubElement(anime, name).text = str(value)
