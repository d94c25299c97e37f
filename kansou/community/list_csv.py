"""A reader's list as CSV (UTF-8, header row), for spreadsheets.

Pure: rows of plain values in, text out. Cells that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) are prefixed with ``'``, as
OWASP advises against CSV injection; numbers are written as numbers and are never prefixed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

COLUMNS = (
    "anime_id",
    "mal_id",
    "title",
    "type",
    "episodes",
    "status",
    "score",
    "episodes_watched",
    "started_on",
    "finished_on",
    "rewatching",
    "rewatching_episode",
    "times_rewatched",
    "priority",
    "tags",
    "notes",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_list_csv(rows: Iterable[Mapping[str, object]]) -> str:
    """``COLUMNS`` as the header, then one line per row (missing keys are empty cells)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in COLUMNS])
    return out.getvalue()
