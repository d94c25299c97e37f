"""Extra sections of an anime's page, contributed by apps that build on the catalog.

The catalog cannot import the apps above it (``discovery`` uses ``catalog``, never the reverse),
so they register a panel here (from their ``AppConfig.ready``): a template and a function that
reads what it shows; the template shows nothing when the data is empty. Panels run in
registration order, each with a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kansou.catalog.models import Anime


@dataclass(frozen=True)
class PanelSpec:
    template: str
    read: Callable[[Anime], Any]
    stylesheets: tuple[str, ...] = ()  # static paths, linked from the page's <head>


@dataclass(frozen=True)
class Panel:
    template: str
    data: Any
    stylesheets: tuple[str, ...] = ()


ANIME_PANELS: dict[str, PanelSpec] = {}


def anime_panels(*, anime: Anime) -> list[Panel]:
    """Every registered panel with its data for ``anime``."""
    return [
        Panel(spec.template, spec.read(anime), spec.stylesheets) for spec in ANIME_PANELS.values()
    ]


def panel_stylesheets(panels: list[Panel]) -> list[str]:
    """The panels' stylesheets, each once, in order."""
    return list(dict.fromkeys(sheet for panel in panels for sheet in panel.stylesheets))
