"""``review_audience_suggest`` and the admin action that runs it."""

from __future__ import annotations

import pytest

from kansou.discovery.services import review_audience_suggest
from kansou.reviews.models import AudienceProfile
from tests.reviews.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_adds_editable_profiles_with_comparable_titles_once(trained):
    review = ReviewFactory(anime=trained[1])
    added = review_audience_suggest(review=review)
    assert added >= 2
    profiles = list(review.audience.all())
    assert all(p.name.startswith("For fans of ") and p.why_html for p in profiles)
    assert all(p.comparable_titles.count() >= 2 for p in profiles)
    assert review_audience_suggest(review=review) == 0


def test_adds_nothing_without_a_model(catalog):
    review = ReviewFactory(anime=catalog[1])
    assert review_audience_suggest(review=review) == 0
    assert not AudienceProfile.objects.exists()


def test_the_admin_action_prefills_the_review(client, trained):
    review = ReviewFactory(anime=trained[1])
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/reviews/review/",
        {"action": "suggest_audience", "_selected_action": [review.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert review.audience.count() >= 2
