"""Tiny MyAnimeList list exports for tests, built from a few keywords."""

from __future__ import annotations

import gzip
from xml.sax.saxutils import escape

DEFAULTS = {
    "series_title": "",
    "series_type": "TV",
    "series_episodes": "12",
    "my_id": "0",
    "my_watched_episodes": "12",
    "my_start_date": "0000-00-00",
    "my_finish_date": "0000-00-00",
    "my_rated": "",
    "my_score": "8",
    "my_storage": "",
    "my_storage_value": "0.00",
    "my_status": "Completed",
    "my_comments": "",
    "my_times_watched": "0",
    "my_rewatch_value": "",
    "my_priority": "LOW",
    "my_tags": "",
    "my_rewatching": "0",
    "my_rewatching_ep": "0",
    "my_discuss": "1",
    "my_sns": "default",
    "update_on_import": "1",
}
CDATA_FIELDS = {"series_title", "my_comments", "my_tags"}


def anime(mal_id: int | str, title: str = "", *, omit: tuple[str, ...] = (), **fields) -> str:
    """One ``<anime>`` element with MAL's fields in MAL's order; ``fields`` override defaults."""
    values = {"series_animedb_id": str(mal_id), **DEFAULTS}
    values["series_title"] = title or f"Anime {mal_id}"
    values.update({name: str(value) for name, value in fields.items()})
    lines = []
    for name, value in values.items():
        if name in omit:
            continue
        text = f"<![CDATA[{value}]]>" if name in CDATA_FIELDS and value else escape(value)
        lines.append(f"\t\t<{name}>{text}</{name}>")
    return "\t<anime>\n" + "\n".join(lines) + "\n\t</anime>"


def mal_xml(*entries: str, user_name: str = "ayaka", prologue: str = "") -> bytes:
    """A whole export around ``entries`` (strings from ``anime``)."""
    head = '<?xml version="1.0" encoding="UTF-8" ?>\n' + prologue
    info = (
        "\t<myinfo>\n\t\t<user_id>123456</user_id>\n"
        f"\t\t<user_name>{user_name}</user_name>\n\t\t<user_export_type>1</user_export_type>\n"
        f"\t\t<user_total_anime>{len(entries)}</user_total_anime>\n\t</myinfo>"
    )
    body = "<myanimelist>\n" + info + "\n" + "\n".join(entries) + "\n</myanimelist>\n"
    return (head + body).encode()


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)
