"""The generated cover shown when no poster is stored: the title on a colour from the id.

An SVG in a ``data:`` URL (allowed by the site's ``img-src``), so a card without a poster costs
no request and names no third party. The colour is a hue stepped by the golden angle per id, so
neighbouring ids differ and one anime always gets the same cover. Pure: no Django.
"""

from __future__ import annotations

import textwrap
from urllib.parse import quote
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 200, 300
LINE_CHARS = 14
MAX_LINES = 6
FONT_SIZE = 20
LINE_HEIGHT = 25
GOLDEN_ANGLE = 137.508


def cover_hue(anime_id: int) -> int:
    """The cover's hue in degrees, 0–359, fixed for an id.

    >>> cover_hue(1), cover_hue(2), cover_hue(1)
    (138, 275, 138)
    """
    return round(anime_id * GOLDEN_ANGLE) % 360


def cover_lines(title: str) -> list[str]:
    """``title`` wrapped for the cover; the last line ends in "…" when it does not fit.

    >>> cover_lines("Koe no Katachi")
    ['Koe no Katachi']
    >>> cover_lines("Sen to Chihiro no Kamikakushi")
    ['Sen to Chihiro', 'no Kamikakushi']
    """
    lines = textwrap.wrap(title.strip() or "Untitled", LINE_CHARS, break_long_words=True)
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: LINE_CHARS - 1].rstrip() + "…"
    return lines


def cover_svg(title: str, anime_id: int) -> str:
    hue = cover_hue(anime_id)
    lines = cover_lines(title)
    top = HEIGHT / 2 - (len(lines) - 1) * LINE_HEIGHT / 2
    text = "".join(
        f'<tspan x="{WIDTH // 2}" y="{top + i * LINE_HEIGHT:.0f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}">'
        '<defs><linearGradient id="g" x1="0" y1="0" x2="0.4" y2="1">'
        f'<stop offset="0" stop-color="hsl({hue},42%,38%)"/>'
        f'<stop offset="1" stop-color="hsl({(hue + 30) % 360},48%,22%)"/>'
        "</linearGradient></defs>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="url(#g)"/>'
        f'<circle cx="{WIDTH - 28}" cy="36" r="70" fill="hsl({hue},60%,70%)" fill-opacity=".18"/>'
        f'<rect x="24" y="{HEIGHT - 40}" width="40" height="4" rx="2" fill="#fff" '
        'fill-opacity=".7"/>'
        '<text fill="#fff" font-family="system-ui,-apple-system,Segoe UI,Roboto,'
        f"'Noto Sans','Noto Sans CJK JP',sans-serif\" font-size=\"{FONT_SIZE}\" "
        f'font-weight="700" text-anchor="middle" dominant-baseline="middle">{text}</text>'
        "</svg>"
    )


def cover_data_url(title: str, anime_id: int) -> str:
    """The cover as a ``data:image/svg+xml`` URL for an ``<img src>``."""
    return "data:image/svg+xml," + quote(cover_svg(title, anime_id), safe="=:/,'()")
