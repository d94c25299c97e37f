"""Reads for recommendation pages, the API and the CLI: "more like this", audience profiles,
"you might also love" and recommendations for a history.

None of them trains or loads a model per request: they read the process's current artefact
(:func:`~kansou.discovery.artefact.artefact_current`); without one, "more like this" falls back
to shared tags in SQL, audience profiles keep only what reviews and staff credits say, and the
others return nothing.
"""

from kansou.discovery.selectors.cards import CARD_FIELDS, Suggestion
from kansou.discovery.selectors.more_like_this import (
    anime_more_like_this,
    group_franchises,
    review_also_love_ranked,
)
from kansou.discovery.selectors.personal import (
    RecommendationFilters,
    Recommendations,
    _allowed,
    _build_allowed,
    reader_recommendations,
    recommendations_for_history,
    recommendations_for_mal_export,
)
from kansou.discovery.selectors.profiles import AudienceSuggestion, anime_audience_profiles

__all__ = [
    "CARD_FIELDS",
    "AudienceSuggestion",
    "RecommendationFilters",
    "Recommendations",
    "Suggestion",
    "_allowed",
    "_build_allowed",
    "anime_audience_profiles",
    "anime_more_like_this",
    "group_franchises",
    "reader_recommendations",
    "recommendations_for_history",
    "recommendations_for_mal_export",
    "review_also_love_ranked",
]
