"""RSS and Atom feeds: valid XML with the required elements, the whole review, published reviews
only, fixed cost."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from kansou.reviews.models import (
    AudienceProfile,
    ComparableTitle,
    FreeSection,
    ReviewCharacter,
    Theme,
)
from tests.catalog.factories import AnimeFactory

from .factories import LabelFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def rss_items(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required), f"channel has no <{required}>"
    return channel.findall("item")


def atom_entries(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{required}"), f"feed has no <{required}>"
    return root.findall(f"{ATOM}entry")


def full_review(**kwargs):
    """A review with every kind of section, its text linking inside the site."""
    review = ReviewFactory(
        intro_html=(
            '<p>See <a href="/anime/1/">the entry</a> and <a href="//cdn.example/x">x</a>.</p>'
        ),
        final_thoughts_html="<p>Watch it.</p>",
        **kwargs,
    )
    profile = AudienceProfile.objects.create(
        review=review, name="Slow-life fans", why_html="<p>It breathes.</p>"
    )
    ComparableTitle.objects.create(profile=profile, anime=AnimeFactory(title="Aria"))
    ReviewCharacter.objects.create(review=review, name="Ginko", text_html="<p>Calm.</p>")
    Theme.objects.create(review=review, name="Grief & time", text_html="<p>Quietly.</p>")
    FreeSection.objects.create(review=review, heading="Music", body_html="<p>Sparse.</p>")
    return review


class TestSiteFeeds:
    def test_rss_item_carries_title_link_summary_authors_labels_and_date(self, client):
        published = timezone.now() - dt.timedelta(days=2)
        review = ReviewFactory(
            title="Mushishi, slowly",
            summary="Quiet <and> patient & kind.",
            publish_at=published,
            authors=[UserFactory(first_name="Aki", last_name="Mori"), UserFactory(username="ren")],
            labels=[LabelFactory(name="Comfort watch"), LabelFactory(name="Hidden gem")],
        )

        (item,) = rss_items(client.get(reverse("reviews:feed")))

        assert item.findtext("title") == "Mushishi, slowly"
        assert item.findtext("link") == f"http://testserver{review.get_absolute_url()}"
        assert item.findtext("description") == "<p>Quiet &lt;and&gt; patient &amp; kind.</p>"
        assert "Aki Mori, ren" in item.findtext("{http://purl.org/dc/elements/1.1/}creator")
        assert [c.text for c in item.findall("category")] == ["Comfort watch", "Hidden gem"]
        pubdate = item.findtext("pubDate")
        assert pubdate == published.strftime("%a, %d %b %Y %H:%M:%S +0000")

    def test_atom_entry_has_id_updated_author_and_categories(self, client):
        ReviewFactory(title="Aria", authors=[UserFactory(username="aki")], labels=[LabelFactory()])

        (entry,) = atom_entries(client.get(reverse("reviews:atom")))

        assert entry.findtext(f"{ATOM}id").endswith("/reviews/aria/")
        assert entry.findtext(f"{ATOM}updated")
        assert entry.findtext(f"{ATOM}published")
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == "aki"
        assert entry.find(f"{ATOM}link").get("href") == "http://testserver/reviews/aria/"
        assert len(entry.findall(f"{ATOM}category")) == 1

    def test_feeds_list_newest_first(self, client):
        now = timezone.now()
        for days, title in ((3, "Old"), (1, "New"), (2, "Middle")):
            ReviewFactory(title=title, publish_at=now - dt.timedelta(days=days))

        items = rss_items(client.get(reverse("reviews:feed")))

        assert [item.findtext("title") for item in items] == ["New", "Middle", "Old"]

    @pytest.mark.parametrize("feed", ["reviews:feed", "reviews:atom"])
    def test_drafts_and_scheduled_reviews_are_not_in_the_feeds(self, client, feed):
        ReviewFactory(title="Out now")
        ReviewFactory.draft(title="Still a draft")
        ReviewFactory.scheduled(title="Out next week")

        body = client.get(reverse(feed)).text

        assert "Out now" in body
        assert "Still a draft" not in body and "Out next week" not in body

    def test_site_url_setting_makes_the_links(self, client, settings):
        settings.KANSOU_SITE_URL = "https://kansou.example"
        review = ReviewFactory()

        (item,) = rss_items(client.get(reverse("reviews:feed")))

        assert item.findtext("link") == f"https://kansou.example{review.get_absolute_url()}"

    @pytest.mark.parametrize("feed", ["reviews:feed", "reviews:atom"])
    def test_more_reviews_cost_no_more_queries(self, client, django_assert_num_queries, feed):
        label = LabelFactory()
        full_review(labels=[label])
        # reviews, bylines with users, labels, audience, comparable titles with anime,
        # characters, themes, free sections
        with django_assert_num_queries(8):
            client.get(reverse(feed))

        for _ in range(5):
            full_review(labels=[label, LabelFactory()], authors=[UserFactory(), UserFactory()])
        with django_assert_num_queries(8):
            response = client.get(reverse(feed))
        assert len(rss_items(response) if feed == "reviews:feed" else atom_entries(response)) == 6


class TestWholeReviewInFeeds:
    def test_rss_item_carries_the_whole_review_as_html_with_absolute_links(self, client):
        review = full_review()

        (item,) = rss_items(client.get(reverse("reviews:feed")))

        html = item.findtext(CONTENT)
        assert html.startswith('<p>See <a href="http://testserver/anime/1/">the entry</a>')
        assert 'href="//cdn.example/x"' in html  # another host's link is left alone
        assert "<h2>Who should watch</h2>\n<h3>Slow-life fans</h3>\n<p>It breathes.</p>" in html
        aria = ComparableTitle.objects.get(profile__review=review).anime
        assert f'If you liked <a href="http://testserver{aria.get_absolute_url()}">Aria</a>' in html
        assert "<h2>Characters</h2>\n<h3>Ginko</h3>\n<p>Calm.</p>" in html
        assert "<h2>Themes</h2>\n<h3>Grief &amp; time</h3>" in html
        assert "<h2>Music</h2>\n<p>Sparse.</p>" in html
        assert html.endswith("<h2>Final thoughts</h2>\n<p>Watch it.</p>")
        # The summary stays the description.
        assert item.findtext("description") == f"<p>{review.summary}</p>"

    def test_atom_entry_has_html_content_beside_the_summary(self, client):
        full_review()

        (entry,) = atom_entries(client.get(reverse("reviews:atom")))

        content = entry.find(f"{ATOM}content")
        assert content.get("type") == "html"
        assert "<h2>Final thoughts</h2>" in content.text
        assert entry.find(f"{ATOM}summary").text.startswith("<p>What I thought of")

    def test_review_with_only_an_introduction_has_only_that(self, client):
        ReviewFactory(intro_html="<p>Short.</p>")

        (item,) = rss_items(client.get(reverse("reviews:feed")))

        assert item.findtext(CONTENT) == "<p>Short.</p>"

    def test_site_url_setting_makes_the_content_links(self, client, settings):
        settings.KANSOU_SITE_URL = "https://kansou.example"
        full_review()

        (entry,) = atom_entries(client.get(reverse("reviews:atom")))

        assert 'href="https://kansou.example/anime/1/"' in entry.find(f"{ATOM}content").text


class TestAtomAuthors:
    def test_entry_and_feed_author_uris_are_absolute(self, client):
        ReviewFactory(authors=[UserFactory(username="aki")])

        response = client.get(reverse("reviews:atom"))

        root = ET.fromstring(response.content)
        (entry,) = root.findall(f"{ATOM}entry")
        assert entry.findtext(f"{ATOM}author/{ATOM}uri") == "http://testserver/authors/aki/"
        assert root.findtext(f"{ATOM}author/{ATOM}uri") == "http://testserver/"

    def test_author_uri_follows_the_site_url_setting(self, client, settings):
        settings.KANSOU_SITE_URL = "https://kansou.example"
        ReviewFactory(authors=[UserFactory(username="aki")])

        (entry,) = atom_entries(client.get(reverse("reviews:atom")))

        assert entry.findtext(f"{ATOM}author/{ATOM}uri") == "https://kansou.example/authors/aki/"


class TestLabelFeeds:
    def test_label_feeds_hold_only_that_labels_published_reviews(self, client):
        gem = LabelFactory(name="Hidden gem", slug="hidden-gem")
        ReviewFactory(title="A gem", labels=[gem])
        ReviewFactory(title="Not a gem")
        ReviewFactory.draft(title="Draft gem", labels=[gem])
        ReviewFactory.scheduled(title="Future gem", labels=[gem])

        rss = rss_items(client.get(reverse("reviews:label-feed", args=["hidden-gem"])))
        atom = atom_entries(client.get(reverse("reviews:label-atom", args=["hidden-gem"])))

        assert [item.findtext("title") for item in rss] == ["A gem"]
        assert [entry.findtext(f"{ATOM}title") for entry in atom] == ["A gem"]

    def test_label_feed_title_names_the_label(self, client):
        ReviewFactory(labels=[LabelFactory(name="Comfort watch", slug="comfort-watch")])

        response = client.get(reverse("reviews:label-feed", args=["comfort-watch"]))

        assert "Comfort watch" in ET.fromstring(response.content).findtext("channel/title")

    def test_unknown_label_or_one_only_drafts_carry_is_404(self, client):
        ReviewFactory.draft(labels=[LabelFactory(name="Secret", slug="secret")])

        assert client.get(reverse("reviews:label-feed", args=["secret"])).status_code == 404
        assert client.get(reverse("reviews:label-atom", args=["nope"])).status_code == 404

    def test_label_feed_costs_no_more_queries_with_more_reviews(
        self, client, django_assert_num_queries
    ):
        label = LabelFactory(slug="many")
        for _ in range(4):
            ReviewFactory(labels=[label], authors=[UserFactory(), UserFactory()])
        # label, exists check, reviews, bylines with users, labels, the four kinds of section
        # (no comparable titles without an audience profile)
        with django_assert_num_queries(9):
            client.get(reverse("reviews:label-atom", args=["many"]))
