"""The "Reviews" section of an anime's page: its published reviews, and only those."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kansou.catalog.panels import ANIME_PANELS
from kansou.reviews.panels import PANEL, anime_reviews, register_panels
from tests.catalog.factories import AnimeFactory

from .factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_anime_page_lists_its_reviews_with_title_author_date_and_summary(client):
    anime = AnimeFactory(title="Koe no Katachi")
    author = UserFactory(username="kaito", first_name="Kaito", last_name="Mori")
    review = ReviewFactory(
        anime=anime,
        title="A Silent Voice",
        summary="A film about a former bully.",
        publish_at=timezone.make_aware(dt.datetime(2024, 3, 2, 9)),
        authors=[author],
    )

    html = client.get(anime.get_absolute_url()).text

    assert '<h2 id="reviews-heading">Reviews</h2>' in html
    assert f'<a href="{review.get_absolute_url()}">A Silent Voice</a>' in html
    assert f'<a href="{reverse("reviews:author", args=["kaito"])}">Kaito Mori</a>' in html
    assert "2 March 2024" in html and "A film about a former bully." in html


def test_drafts_scheduled_reviews_and_other_anime_reviews_are_left_out(client):
    anime = AnimeFactory()
    ReviewFactory(anime=anime, title="Out now")
    ReviewFactory.draft(anime=anime, title="Still a draft")
    ReviewFactory.scheduled(anime=anime, title="Next week")
    ReviewFactory(title="About another show")

    html = client.get(anime.get_absolute_url()).text

    assert "Out now" in html
    for hidden in ("Still a draft", "Next week", "About another show"):
        assert hidden not in html


def test_an_anime_without_reviews_has_no_reviews_section(client):
    html = client.get(AnimeFactory().get_absolute_url()).text
    assert "reviews-heading" not in html


def test_reviews_come_newest_first_with_bylines_in_order_in_one_query(
    django_assert_num_queries,
):
    anime = AnimeFactory()
    now = timezone.now()
    first, second = UserFactory(username="aoi"), UserFactory(username="ren", first_name="Ren")
    older = ReviewFactory(anime=anime, publish_at=now - dt.timedelta(days=9), authors=[])
    newer = ReviewFactory(
        anime=anime, publish_at=now - dt.timedelta(days=1), authors=[second, first]
    )

    with django_assert_num_queries(1):
        found = anime_reviews(anime=anime)

    assert [item.review for item in found] == [newer, older]
    assert [(b.username, b.name) for b in found[0].bylines] == [("ren", "Ren"), ("aoi", "aoi")]
    assert found[1].bylines == []  # a review with no author is still listed


def test_registering_twice_keeps_one_panel():
    register_panels()
    register_panels()
    assert list(ANIME_PANELS).count(PANEL) == 1
