"""Who must hear that catalog entries or reviews changed, without the writer importing them.

Writers sit low in the dependency order (``catalog`` ← ``reviews`` ← ``community``;
``discovery`` uses them all), so derived data kept by the apps above — the search index — is
refreshed through this registry: an app adds a listener from its ``AppConfig.ready`` and the
writing service calls :func:`anime_changed` or :func:`reviews_changed`. Listeners run in the
writer's transaction, in registration order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# Each listener takes a list of ids, or None for "everything may have changed".
ANIME_LISTENERS: dict[str, Callable[[list[int] | None], None]] = {}
REVIEW_LISTENERS: dict[str, Callable[[list[int] | None], None]] = {}


def anime_changed(anime_ids: Iterable[int] | None) -> None:
    ids = None if anime_ids is None else list(anime_ids)
    for listener in ANIME_LISTENERS.values():
        listener(ids)


def reviews_changed(review_ids: Iterable[int] | None) -> None:
    ids = None if review_ids is None else list(review_ids)
    for listener in REVIEW_LISTENERS.values():
        listener(ids)
