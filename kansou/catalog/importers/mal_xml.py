"""MyAnimeList list export (XML, optionally gzipped): read it safely, write it back.

Pure: bytes in, dataclasses out, and the reverse; no Django. The format is described in
``FORMATS.md`` 3.1 (after bokusu's ``malxml-spec.md``). Reading is defensive:

- the work is bounded, not only the bytes: the raw upload is capped (``MAX_COMPRESSED``), gzip
  is decompressed as a stream that stops at ``MAX_UNCOMPRESSED``, and the XML is parsed from that
  stream event by event (``iterparse``), one ``<anime>`` in memory at a time, stopping at
  ``MAX_ENTRIES`` entries or ``MAX_ENTRY_ELEMENTS`` elements in one entry. Past a cap reading
  stops with ``MalXmlTooLarge`` (the web answers 413): a 600 kB gzip of 50 MB of entries costs
  what 20,000 entries cost (about a second), and a bomb of one huge value what 24 MB costs;
- parsing goes through ``defusedxml`` with DTDs, entity declarations and external references
  all forbidden: a MAL export has none, and billion-laughs or XXE files are refused outright;
- one bad ``<anime>`` never stops the rest: it becomes an ``EntryProblem`` naming its position,
  field and value, and the other entries are returned.

Statuses are returned as Kansou's list status values (``"plan_to_watch"``…), which
``tests/catalog/test_mal_xml.py`` checks against community's ``ListStatus``. Reading and writing
stay in one module (past 400 lines) because they share the field and status tables.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

MAX_COMPRESSED = 10 * 1024 * 1024
# A MAL export entry is about 800 bytes: 20,000 entries (more than most catalogs hold) fit.
MAX_UNCOMPRESSED = 24 * 1024 * 1024
MAX_ENTRIES = 20_000
MAX_ENTRY_ELEMENTS = 64  # an <anime> has 23 fields
MAX_OTHER_ELEMENTS = 1_000  # <myinfo> has about 10
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


class MalXmlTooLarge(MalXmlError):
    """Over a cap (bytes, entries or elements): reading stopped there."""


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


class _Capped:
    """A read-only byte stream that raises ``MalXmlTooLarge`` once more than ``cap`` bytes came
    through. ``peek`` looks ahead without consuming (for the gzip magic number)."""

    def __init__(self, stream: BinaryIO, cap: int, message: str):
        self.stream, self.cap, self.message = stream, cap, message
        self.count = 0
        self.pending = b""

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.cap + 1
        data, self.pending = self.pending[:size], self.pending[size:]
        if len(data) < size:
            # Never more than one byte past the cap: a bomb is stopped, not decompressed.
            want = min(size - len(data), self.cap + 1 - self.count)
            more = self.stream.read(want) if want > 0 else b""
            self.count += len(more)
            data += more
        if self.count > self.cap:
            raise MalXmlTooLarge(self.message)
        return data

    def peek(self, size: int) -> bytes:
        data = self.read(size)
        self.pending = data + self.pending
        return data


def _xml_stream(
    stream: BinaryIO, *, max_compressed: int | None, max_uncompressed: int | None
) -> _Capped:
    """The XML bytes of an upload as a capped stream, gunzipped on the fly when the upload
    starts with the gzip magic number. Caps left out are the module's (read at call time)."""
    max_compressed = max_compressed or MAX_COMPRESSED
    max_uncompressed = max_uncompressed or MAX_UNCOMPRESSED
    raw = _Capped(stream, max_compressed, f"The file is larger than {_mb(max_compressed)}.")
    if raw.peek(2) != GZIP_MAGIC:
        if max_uncompressed < max_compressed:
            raw.cap, raw.message = max_uncompressed, _xml_too_large(max_uncompressed, False)
        return raw
    # GzipFile.read(n) decompresses at most n bytes: memory and work stay bounded by the cap.
    unzipped = gzip.GzipFile(fileobj=raw, mode="rb")
    return _Capped(unzipped, max_uncompressed, _xml_too_large(max_uncompressed, True))


def _xml_too_large(cap: int, gzipped: bool) -> str:
    return f"The {'uncompressed ' if gzipped else ''}XML is larger than {_mb(cap)}."


def read_upload(
    stream: BinaryIO, *, max_compressed: int | None = None, max_uncompressed: int | None = None
) -> bytes:
    """The XML bytes of an upload, gunzipped when it starts with the gzip magic number.

    Raises ``MalXmlTooLarge`` past either cap, ``MalXmlError`` on a broken gzip stream.
    """
    xml = _xml_stream(stream, max_compressed=max_compressed, max_uncompressed=max_uncompressed)
    try:
        return xml.read()
    except (OSError, EOFError, zlib.error) as exc:
        raise _broken_gzip(exc) from None


def parse_mal_xml(data: bytes, *, max_entries: int | None = None) -> MalExport:
    """Every ``<anime>`` of a MAL export; bad entries go to ``problems``, the rest to ``entries``.

    Raises ``MalXmlError`` when the document is not well-formed, declares a DTD or entities,
    refers to external resources, is not a ``<myanimelist>`` document, or is a manga list;
    ``MalXmlTooLarge`` past ``max_entries`` entries or the element caps.
    """
    return _parse_stream(io.BytesIO(data), max_entries=max_entries or MAX_ENTRIES)


def read_mal_file(
    stream: BinaryIO,
    *,
    max_compressed: int | None = None,
    max_uncompressed: int | None = None,
    max_entries: int | None = None,
) -> MalExport:
    """``read_upload`` then ``parse_mal_xml``, as one stream: the XML is parsed while it is
    decompressed, and reading stops at the first cap reached, so the work done on a hostile
    file is bounded by the caps, not by its size."""
    xml = _xml_stream(stream, max_compressed=max_compressed, max_uncompressed=max_uncompressed)
    try:
        return _parse_stream(xml, max_entries=max_entries or MAX_ENTRIES)
    except (OSError, EOFError, zlib.error) as exc:
        raise _broken_gzip(exc) from None


def _broken_gzip(exc: Exception) -> MalXmlError:
    return MalXmlError(f"The file looks gzipped but cannot be decompressed ({exc}).")


def _parse_stream(source, *, max_entries: int) -> MalExport:
    walk = _Walk(max_entries)
    try:
        events = iterparse(
            source,
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        for event, element in events:
            if event == "start":
                walk.start(element)
            else:
                walk.end(element)
    except DefusedXmlException as exc:
        raise MalXmlError(
            "Refused: the XML declares a DTD, entities or external references "
            f"({type(exc).__name__}); a MAL export has none."
        ) from None
    except ET.ParseError as exc:
        line, column = exc.position
        message = f"Malformed XML at line {line}, column {column + 1}: {exc.msg}."
        raise MalXmlError(message) from None
    if walk.manga and not walk.entries:
        raise MalXmlError("This is a manga list; Kansou imports anime lists.")
    return walk.export


class _Walk:
    """One streaming parse: keeps one ``<anime>`` in memory at a time and counts the work.

    Work is counted in elements: at most ``max_entries`` entries of at most
    ``MAX_ENTRY_ELEMENTS`` elements each, plus ``MAX_OTHER_ELEMENTS`` outside them
    (``<myinfo>``…), however they nest.
    """

    def __init__(self, max_entries: int):
        self.export, self.max_entries = MalExport(), max_entries
        self.root: ET.Element | None = None
        self.depth = self.entries = self.manga = self.other = self.fields = 0
        self.in_entry = False

    def start(self, element: ET.Element) -> None:
        self.depth += 1
        if self.depth == 1:
            if element.tag != "myanimelist":
                raise MalXmlError(f"Not a MyAnimeList export: the root element is <{element.tag}>.")
            self.root = element
        elif self.depth == 2 and element.tag == "anime":
            self.entries += 1
            if self.entries > self.max_entries:
                raise MalXmlTooLarge(f"The list has more than {self.max_entries:,} entries.")
            self.in_entry, self.fields = True, 0
        elif self.in_entry:
            self.fields += 1
            if self.fields > MAX_ENTRY_ELEMENTS:
                raise MalXmlTooLarge(
                    f"Entry {self.entries} has more than {MAX_ENTRY_ELEMENTS} elements."
                )
        else:
            self.manga += self.depth == 2 and element.tag == "manga"
            self.other += 1
            if self.other > MAX_OTHER_ELEMENTS:
                raise MalXmlTooLarge(
                    f"The file has more than {MAX_OTHER_ELEMENTS:,} elements outside its "
                    "<anime> entries."
                )

    def end(self, element: ET.Element) -> None:
        self.depth -= 1
        if self.depth != 1:
            return
        if self.in_entry:
            self.in_entry = False
            try:
                self.export.entries.append(_entry(self.entries, element))
            except EntryProblemError as problem:
                self.export.problems.append(problem.problem)
        elif element.tag == "myinfo" and not self.export.user_name:
            self.export.user_name = _text(element.find("user_name"))
        self.root.remove(element)  # done with it: memory holds one entry at a time


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

# Characters XML 1.0 does not allow in a document at all, escaped or not (its ``Char`` rule): C0
# controls but tab, line feed and carriage return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: object) -> str:
    return _NOT_XML_CHAR.sub("", str(value))


def write_mal_xml(entries: list[MalEntry], *, user_name: str = "", user_id: int = 0) -> bytes:
    """A MAL export of ``entries`` (UTF-8 XML). ``update_on_import`` is written as 1, so
    importing the file again restores the list to this state. Characters XML 1.0 forbids
    (control characters in old notes, say) are left out, so the file always reads back."""
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
        ET.SubElement(info, name).text = _xml_text(value)
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
        ET.SubElement(anime, name).text = _xml_text(value)
