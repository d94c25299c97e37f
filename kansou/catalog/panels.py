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


@dataclass(frozen=True)
class Panel:
    template: str
    data: Any


ANIME_PANELS: dict[str, PanelSpec] = {}


def anime_panels(*, anime: Anime) -> list[Panel]:
    """Every registered panel with its data for ``anime``."""
    return [Panel(spec.template, spec.read(anime)) for spec in ANIME_PANELS.values()]
