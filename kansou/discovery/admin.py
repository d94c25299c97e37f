"""The review editor's "Suggest audience profiles" action.

Added to the reviews admin from here because discovery builds on reviews (reviews cannot import
the recommender). The suggested rows are ordinary "Who should watch" inlines the author edits.
"""

from __future__ import annotations

from django.contrib import admin, messages

from kansou.discovery.services import review_audience_suggest
from kansou.reviews.admin import ReviewAdmin


@admin.action(description="Suggest audience profiles (from the recommender)")
def suggest_audience(modeladmin, request, queryset):
    added = sum(review_audience_suggest(review=review) for review in queryset)
    if added:
        modeladmin.message_user(
            request,
            f"Added {added} audience profile(s); edit them under “Who should watch”.",
            messages.SUCCESS,
        )
    else:
        modeladmin.message_user(
            request,
            "Nothing to suggest: no trained model yet, or the profiles are already there.",
            messages.WARNING,
        )


if "suggest_audience" not in [getattr(a, "__name__", a) for a in ReviewAdmin.actions]:
    ReviewAdmin.actions = [*ReviewAdmin.actions, suggest_audience]
