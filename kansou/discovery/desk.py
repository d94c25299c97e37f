"""The writing desk's "Suggest who should watch": the recommender's audience profiles for the
review's anime (the same ones the admin's "Suggest audience profiles" action adds), offered as
rows the author edits before saving.

Registered into ``kansou.reviews.desk.registry.AUDIENCE_SUGGESTERS`` from
``DiscoveryConfig.ready``: reviews cannot import discovery.
"""

from __future__ import annotations

from kansou.catalog.models import Anime
from kansou.discovery.selectors import anime_audience_profiles
from kansou.reviews.desk.registry import AUDIENCE_SUGGESTERS, AudienceSuggestion


def suggest_audience(*, anime: Anime) -> list[AudienceSuggestion]:
    """Profiles from the catalog and the model, leaving out reviews' own written ones (an
    author wants new ideas, not another review's words)."""
    return [
        AudienceSuggestion(s.name, s.why, list(s.comparable))
        for s in anime_audience_profiles(anime=anime, written=False)
    ]


def register_desk_suggester() -> None:
    """Idempotent: registering twice changes nothing."""
    AUDIENCE_SUGGESTERS["discovery.audience"] = suggest_audience
