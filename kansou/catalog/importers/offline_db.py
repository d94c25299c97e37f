"""Reader for the anime-offline-database format (manami-project), streaming.

Accepts the upstream JSON document (``{"data": [...]}``), its JSONL form (metadata object on the
first line, one anime per line after it) and gzipped versions of both, told apart by content, not
by file name. Records are read one at a time so memory does not grow with the file. Each record is
validated against the upstream schema (plus the ``synopsis`` and ``score`` extensions); a bad
record yields a :class:`Rejected` naming its line or index, the field and the reason, and reading
goes on (the checks live in :mod:`.records`). A file that cannot be read at all raises
:class:`UnreadableFile`.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ijson

from kansou.catalog.importers.records import AnimeRecord, Rejected, _Invalid, validate


class UnreadableFile(Exception):
    """The file as a whole cannot be read (missing, not JSON, truncated, wrong shape)."""


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


__all__ = ["AnimeRecord", "CatalogFile", "Rejected", "UnreadableFile", "open_catalog", "validate"]
