"""Canonical URLs, Open Graph / X card tags and schema.org JSON-LD for a review."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from kansou.catalog.models import AnimeCompany, AnimeTitle, Origin
from kansou.reviews import seo
from tests.catalog.factories import (
    AnimeCompanyFactory,
    AnimeFactory,
    AnimeTagFactory,
    AnimeTitleFactory,
    CompanyFactory,
    ExternalIdFactory,
    TagFactory,
)

from .factories import LabelFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_():
    return RequestFactory().get("/reviews/x/")


def film(**kwargs):
    anime = AnimeFactory(title="Koe no Katachi", kind="MOVIE", episodes=1, year=2016, **kwargs)
    AnimeTitleFactory(anime=anime, text="A Silent Voice", kind=AnimeTitle.Kind.ENGLISH)
    AnimeTitleFactory(anime=anime, text="聲の形", kind=AnimeTitle.Kind.NATIVE)
    for name in ("Drama", "Romance"):
        AnimeTagFactory(anime=anime, tag=TagFactory(name=name))
    hidden = AnimeTagFactory(anime=anime, tag=TagFactory(name="Hidden tag"))
    AnimeTagFactory(anime=anime, tag=hidden.tag, origin=Origin.HIDDEN)
    AnimeCompanyFactory(anime=anime, company=CompanyFactory(name="Kyoto Animation"))
    AnimeCompanyFactory(
        anime=anime, company=CompanyFactory(name="Pony Canyon"), role=AnimeCompany.Role.PRODUCER
    )
    ExternalIdFactory(anime=anime, url="https://myanimelist.net/anime/28851")
    return anime


class TestReviewJsonLd:
    def test_review_of_a_film_reviews_a_movie_with_genres_studio_and_date(self, request_):
        review = ReviewFactory(
            anime=film(),
            title="Listening",
            score=Decimal("9.0"),
            slug="listening",
            authors=[UserFactory(username="aki", first_name="Aki", last_name="Mori")],
        )

        data = seo.review_json_ld(review, request_)

        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "Review"
        assert data["url"] == "http://testserver/reviews/listening/"
        assert data["datePublished"] == review.publish_at.isoformat()
        assert data["author"] == [
            {"@type": "Person", "name": "Aki Mori", "url": "http://testserver/authors/aki/"}
        ]
        assert data["reviewRating"] == {
            "@type": "Rating",
            "ratingValue": "9.0",
            "bestRating": 10,
            "worstRating": 0,
        }
        item = data["itemReviewed"]
        assert item["@type"] == "Movie"
        assert item["name"] == "Koe no Katachi"
        assert sorted(item["alternateName"]) == ["A Silent Voice", "聲の形"]
        assert item["genre"] == ["Drama", "Romance"]
        assert item["productionCompany"] == [{"@type": "Organization", "name": "Kyoto Animation"}]
        assert item["datePublished"] == "2016"
        assert item["sameAs"] == ["https://myanimelist.net/anime/28851"]

    def test_review_of_a_tv_series_reviews_a_tvseries_with_start_date_and_episodes(self, request_):
        anime = AnimeFactory(kind="TV", episodes=26, year=2005)
        data = seo.review_json_ld(ReviewFactory(anime=anime), request_)

        item = data["itemReviewed"]
        assert item["@type"] == "TVSeries"
        assert item["startDate"] == "2005"
        assert item["numberOfEpisodes"] == 26

    @pytest.mark.parametrize(
        ("kind", "episodes", "expected"),
        [
            ("MOVIE", 1, "Movie"),
            ("OVA", 1, "Movie"),
            ("OVA", 6, "TVSeries"),
            ("ONA", 12, "TVSeries"),
        ],
    )
    def test_schema_type_follows_the_kind_and_episode_count(self, kind, episodes, expected):
        assert seo.anime_schema_type(AnimeFactory.build(kind=kind, episodes=episodes)) == expected

    def test_unscored_review_of_an_anime_not_in_the_catalog_has_no_rating_or_item(self, request_):
        data = seo.review_json_ld(ReviewFactory(anime=None, score=None), request_)

        assert "reviewRating" not in data and "itemReviewed" not in data

    def test_script_element_parses_and_cannot_close_itself(self):
        review = ReviewFactory(title="</script><script>alert(1)</script> & more")
        html = str(seo.json_ld_script(seo.review_json_ld(review, RequestFactory().get("/"))))

        assert html.startswith('<script type="application/ld+json">')
        body = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
        assert "<" not in body and ">" not in body and "&" not in body
        assert json.loads(body)["name"] == "</script><script>alert(1)</script> & more"


class TestOpenGraph:
    def test_article_tags_for_a_review(self, request_):
        anime = AnimeFactory(title="Aria", picture="https://cdn.example.org/aria.jpg")
        review = ReviewFactory(
            anime=anime,
            title="Aria, again",
            slug="aria-again",
            summary="Water and light.",
            authors=[UserFactory(username="aki")],
            labels=[LabelFactory(name="Comfort watch")],
        )

        tags = seo.open_graph(review, request_)

        found = dict(tags)
        assert found["og:type"] == "article"
        assert found["og:title"] == "Aria, again"
        assert found["og:url"] == "http://testserver/reviews/aria-again/"
        assert found["og:image"] == "https://cdn.example.org/aria.jpg"
        assert found["og:description"] == "Water and light."
        assert found["article:published_time"] == review.publish_at.isoformat()
        assert found["article:author"] == "http://testserver/authors/aki/"
        assert found["article:section"] == "Aria"
        assert ("article:tag", "Comfort watch") in tags

    def test_twitter_card_is_large_with_an_image_and_summary_without(self, request_):
        with_image = ReviewFactory(anime=AnimeFactory(picture="https://cdn.example.org/p.jpg"))
        without = ReviewFactory(anime=AnimeFactory(picture=""))

        assert dict(seo.twitter_card(with_image, request_))["twitter:card"] == "summary_large_image"
        assert dict(seo.twitter_card(without, request_))["twitter:card"] == "summary"
        assert "twitter:image" not in dict(seo.twitter_card(without, request_))


class TestCanonicalUrl:
    def test_keeps_only_a_page_number_past_the_first(self):
        factory = RequestFactory()
        assert seo.canonical_url(factory.get("/", {"page": "2", "utm": "x"})) == (
            "http://testserver/?page=2"
        )
        assert seo.canonical_url(factory.get("/", {"page": "1"})) == "http://testserver/"
        assert seo.canonical_url(factory.get("/", {"page": "zz"})) == "http://testserver/"

    def test_site_url_setting_wins_over_the_request_host(self, settings):
        settings.KANSOU_SITE_URL = "https://kansou.example"
        request = RequestFactory().get("/archive/")

        assert seo.canonical_url(request) == "https://kansou.example/archive/"


class TestSeoHeadInclude:
    def render(self, review, request):
        template = Template('{% include "reviews/_seo_head.html" %}')
        return template.render(Context({"review": review, "request": request}))

    def test_renders_meta_tags_and_json_ld_that_parses(self, request_):
        review = ReviewFactory(anime=film(), title='"Quoted" & <b>bold</b>')

        html = self.render(review, request_)

        assert (
            '<meta property="og:title" content="&quot;Quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;">'
            in html
        )
        assert '<meta name="twitter:card"' in html
        (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        data = json.loads(script)
        assert (data["@type"], data["itemReviewed"]["@type"]) == ("Review", "Movie")

    def test_a_draft_gets_no_tags(self, request_):
        assert self.render(ReviewFactory.draft(), request_).strip() == ""


class TestReviewPage:
    def test_review_page_carries_open_graph_and_json_ld_of_the_right_types(self, client):
        ReviewFactory(anime=film(), slug="listening", title="Listening")

        html = client.get("/reviews/listening/").text

        assert '<meta property="og:type" content="article">' in html
        (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        data = json.loads(script)
        assert (data["@type"], data["itemReviewed"]["@type"]) == ("Review", "Movie")
        assert data["itemReviewed"]["productionCompany"][0]["name"] == "Kyoto Animation"
