from __future__ import annotations

import pytest

from kansou.reviews.desk import registry
from kansou.reviews.desk.registry import AudienceSuggestion
from tests.catalog.factories import AnimeFactory


@pytest.fixture
def suggester():
    """The desk's only suggester for the test: two profiles, the first comparing with the
    anime it returns."""
    other = AnimeFactory(title="Hibike! Euphonium")

    def suggest(*, anime):
        return [
            AudienceSuggestion("Fans of music", "Brass bands.", [other]),
            AudienceSuggestion("Fans of drama", "Tears.", []),
        ]

    saved = dict(registry.AUDIENCE_SUGGESTERS)
    registry.AUDIENCE_SUGGESTERS.clear()
    registry.AUDIENCE_SUGGESTERS["test"] = suggest
    yield other
    registry.AUDIENCE_SUGGESTERS.clear()
    registry.AUDIENCE_SUGGESTERS.update(saved)
