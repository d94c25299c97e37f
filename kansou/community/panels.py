"""What the community app adds to an anime's page: the reader's list entry ("Add to your list").

Registered in the catalog's registry (``kansou.catalog.panels``) from ``CommunityConfig.ready``.
A panel's data is read without the request, and what this one shows depends on the reader, so
it reads nothing up front: the template reads the signed-in reader's entry with
``{% list_entry_for %}`` (one query; none for anonymous readers, whose page shows a log-in link
and no form, so it stays cacheable).
"""

from __future__ import annotations

from kansou.catalog.models import Anime
from kansou.catalog.panels import ANIME_PANELS, PanelSpec

PANEL = "community.list"
STYLESHEET = "community/community.css"


def _read_at_render(anime: Anime) -> None:
    """Nothing: the entry is the reader's, read by the template (see above)."""
    return None


def register_panels() -> None:
    """Idempotent. The list panel goes first among the panels, right after the catalog's own
    sections: adding the anime is what a reader came to do, before reviews and suggestions."""
    spec = PanelSpec("community/_add_to_list.html", _read_at_render, stylesheets=(STYLESHEET,))
    others = {name: other for name, other in ANIME_PANELS.items() if name != PANEL}
    ANIME_PANELS.clear()
    ANIME_PANELS[PANEL] = spec
    ANIME_PANELS.update(others)
