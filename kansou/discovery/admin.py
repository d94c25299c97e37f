"""The review editor's "Suggest audience profiles" action.

Registered into the reviews admin's ``REVIEW_ACTIONS`` from ``DiscoveryConfig.ready`` because
discovery builds on reviews (reviews cannot import the recommender). The suggested rows are
ordinary "Who should watch" inlines the author edits.
"""

from __future__ import annotations

from django.contrib import admin, messages

from kansou.discovery.services import review_audience_suggest
from kansou.reviews.admin import REVIEW_ACTIONS


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


def register_admin_actions() -> None:
    """Idempotent: registering twice changes nothing."""
    REVIEW_ACTIONS["suggest_audience"] = suggest_audience
