"""What discovery adds to other apps' pages: "Who should watch" and "More like this" (readers'
and reviews' recommendations first, then the model's) on an anime's page, and the recommender's
"You might also love" ranking on a review's page."""

from __future__ import annotations

from kansou.catalog.panels import ANIME_PANELS, PanelSpec
from kansou.discovery.selectors import (
    anime_audience_profiles,
    anime_more_like_this,
    review_also_love_ranked,
)
from kansou.reviews.selectors import ALSO_LOVE_RANKERS

MORE_LIKE_THIS = 10
STYLESHEET = "discovery/recs.css"


def _more_like_this(anime):
    return anime_more_like_this(anime=anime, n=MORE_LIKE_THIS)


def _audience(anime):
    return anime_audience_profiles(anime=anime)


def register_panels() -> None:
    """Idempotent: registering twice changes nothing."""
    ANIME_PANELS["discovery.audience"] = PanelSpec(
        "discovery/_audience.html", _audience, stylesheets=(STYLESHEET,)
    )
    # Readers' and reviews' recommendation pairs first, with their pitch, submitter,
    # agreements and the form to add one; then the model's neighbours (one query for both).
    ANIME_PANELS["discovery.more_like_this"] = PanelSpec(
        "discovery/pairs/_more_like_this.html", _more_like_this, stylesheets=(STYLESHEET,)
    )
    if review_also_love_ranked not in ALSO_LOVE_RANKERS:
        ALSO_LOVE_RANKERS.append(review_also_love_ranked)
