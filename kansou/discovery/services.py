"""Writes discovery makes: suggested audience profiles on a review (training is ``training``)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from kansou.discovery.selectors import anime_audience_profiles
from kansou.reviews.models import AudienceProfile, Review
from kansou.reviews.services import audience_set_comparable, review_render


@transaction.atomic
def review_audience_suggest(*, review: Review) -> int:
    """Add the recommender's "who should watch" profiles to ``review`` as ordinary, editable
    audience rows with their comparable titles; returns how many were added.

    Rule: a profile whose name the review already has is not added again, and existing rows are
    never changed, so running it twice adds nothing.
    """
    if review.anime_id is None:
        return 0
    existing = set(review.audience.values_list("name", flat=True))
    position = review.audience.aggregate(last=Max("position"))["last"] or 0
    added = 0
    for suggestion in anime_audience_profiles(anime=review.anime):
        if suggestion.name in existing:
            continue
        position += 1
        profile = AudienceProfile(
            review=review, name=suggestion.name, why_md=suggestion.why, position=position
        )
        profile.full_clean()
        profile.save()
        audience_set_comparable(profile=profile, anime=suggestion.comparable)
        added += 1
    if added:
        review_render(review=review)
    return added
