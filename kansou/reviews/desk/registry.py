"""What other apps add to the writing desk. Reviews cannot import ``discovery``, so discovery
registers its "who should watch" suggester here from its ``AppConfig.ready`` (as it registers
the admin's action in ``kansou.reviews.admin.REVIEW_ACTIONS``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kansou.catalog.models import Anime


@dataclass(frozen=True)
class AudienceSuggestion:
    """One suggested "who should watch" profile, as the author will edit it."""

    name: str
    why_md: str = ""
    comparable: list[Anime] = field(default_factory=list)


# Suggesters by name; each takes ``anime=`` and returns suggestions (empty when it has nothing
# to say, e.g. no trained model). The desk asks them in registration order and keeps the first
# answer that is not empty.
AUDIENCE_SUGGESTERS: dict[str, Callable[..., list[AudienceSuggestion]]] = {}


def audience_suggestions(*, anime: Anime) -> list[AudienceSuggestion]:
    for suggest in AUDIENCE_SUGGESTERS.values():
        if found := suggest(anime=anime):
            return list(found)
    return []
