"""The writing desk's "Suggest who should watch", served by discovery's registered suggester."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kansou.discovery.desk import suggest_audience
from kansou.reviews.desk.registry import audience_suggestions
from tests.reviews.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_suggests_profiles_with_comparable_titles_from_the_model(trained):
    found = suggest_audience(anime=trained[1])
    assert len(found) >= 2
    assert all(s.name.startswith("For fans of ") and s.why_md for s in found)
    assert all(len(s.comparable) >= 2 for s in found)
    assert audience_suggestions(anime=trained[1]) == found  # registered for the desk


def test_suggests_nothing_without_a_model(catalog):
    assert suggest_audience(anime=catalog[1]) == []


def test_the_desk_offers_them_as_rows_to_edit_and_saves_nothing(client, trained):
    author = UserFactory(username="desk-writer")
    review = ReviewFactory.draft(anime=trained[1], authors=[author])
    client.force_login(author)
    answer = client.get(reverse("desk:suggest", args=[review.pk])).json()
    assert len(answer["profiles"]) >= 2
    first = answer["profiles"][0]
    assert first["name"].startswith("For fans of ") and first["comparable"].startswith("#")
    assert not review.audience.exists()
