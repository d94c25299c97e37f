"""The review lists: home, label, author and monthly archive pages. Only published reviews show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kansou.reviews.listing import PAGE_SIZE

from .factories import LabelFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def titles_on(response) -> list[str]:
    assert response.status_code == 200
    return [review.title for review in response.context["page"].object_list]


def at(year: int, month: int, day: int = 15) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 12))


class TestHome:
    def test_home_lists_the_latest_reviews_with_summary_anime_labels_date_and_authors(self, client):
        ReviewFactory(title="Older", publish_at=timezone.now() - dt.timedelta(days=5))
        review = ReviewFactory(
            title="Newest",
            summary="A quiet triumph.",
            publish_at=at(2024, 3, 9),
            authors=[UserFactory(username="aki", first_name="Aki", last_name="Mori")],
            labels=[LabelFactory(name="Hidden gem", slug="hidden-gem")],
        )

        response = client.get("/")

        assert titles_on(response) == ["Older", "Newest"]
        for text in (
            "A quiet triumph.",
            review.anime.title,
            'href="/labels/hidden-gem/">Hidden gem</a>',
            'href="/authors/aki/">Aki Mori</a>',
            '<time datetime="2024-03-09T12:00:00+00:00">9 March 2024</time>',
            '<link rel="canonical" href="http://testserver/">',
            'type="application/atom+xml"',
        ):
            assert text in response.text

    def test_home_paginates(self, client):
        now = timezone.now()
        for n in range(PAGE_SIZE + 2):
            ReviewFactory(title=f"R{n:02}", publish_at=now - dt.timedelta(hours=n + 1))

        assert len(titles_on(client.get("/"))) == PAGE_SIZE
        page_two = client.get("/", {"page": 2})
        assert titles_on(page_two) == [f"R{PAGE_SIZE:02}", f"R{PAGE_SIZE + 1:02}"]
        assert '<link rel="canonical" href="http://testserver/?page=2">' in page_two.text

    def test_nav_links_the_reviews_home(self, client):
        response = client.get("/")

        assert '<a href="/" aria-current="page">Reviews</a>' in response.text

    def test_more_reviews_cost_no_more_queries(self, client, django_assert_num_queries):
        ReviewFactory(labels=[LabelFactory()])
        # count, reviews, bylines with users, labels of the page, labels in use
        with django_assert_num_queries(5):
            client.get("/")

        for _ in range(6):
            ReviewFactory(
                labels=[LabelFactory(), LabelFactory()], authors=[UserFactory(), UserFactory()]
            )
        with django_assert_num_queries(5):
            assert len(titles_on(client.get("/"))) == 7


class TestNothingUnpublishedIsListed:
    """Drafts and scheduled reviews stay off every list, and so do their labels and months."""

    @pytest.fixture
    def hidden(self):
        secret = LabelFactory(name="Secret label", slug="secret")
        author = UserFactory(username="ghost")
        ReviewFactory.draft(title="Draft review", labels=[secret], authors=[author])
        ReviewFactory.scheduled(
            title="Scheduled review",
            publish_at=timezone.now() + dt.timedelta(days=40),
            labels=[secret],
            authors=[author],
        )
        return secret, author

    def test_home(self, client, hidden):
        shown = ReviewFactory(title="Public review")

        response = client.get("/")

        assert titles_on(response) == [shown.title]
        assert "Draft review" not in response.text and "Scheduled review" not in response.text
        assert "Secret label" not in response.text

    def test_label_and_author_pages_are_404(self, client, hidden):
        assert client.get(reverse("reviews:label", args=["secret"])).status_code == 404
        assert client.get(reverse("reviews:author", args=["ghost"])).status_code == 404

    def test_label_and_author_pages_list_only_published_reviews(self, client, hidden):
        secret, author = hidden
        ReviewFactory(title="Public one", labels=[secret], authors=[author])

        assert titles_on(client.get(reverse("reviews:label", args=["secret"]))) == ["Public one"]
        assert titles_on(client.get(reverse("reviews:author", args=["ghost"]))) == ["Public one"]

    def test_archive(self, client, hidden):
        ReviewFactory(title="Public", publish_at=at(2023, 5))
        future = timezone.now() + dt.timedelta(days=40)

        index = client.get(reverse("reviews:archive"))

        assert [row["month"].date() for row in index.context["months"]] == [dt.date(2023, 5, 1)]
        future_month = reverse("reviews:archive-month", args=[future.year, future.month])
        assert client.get(future_month).status_code == 404


class TestLabelPage:
    def test_lists_the_labels_reviews_and_links_its_feeds(self, client):
        gem = LabelFactory(name="Hidden gem", slug="hidden-gem")
        ReviewFactory(title="A gem", labels=[gem])
        ReviewFactory(title="Not a gem")

        response = client.get(reverse("reviews:label", args=["hidden-gem"]))

        assert titles_on(response) == ["A gem"]
        assert "<h1>" in response.text and "Hidden gem</h1>" in response.text
        assert 'href="/labels/hidden-gem/atom/"' in response.text

    def test_unicode_slug(self, client):
        ReviewFactory(title="Iyashikei", labels=[LabelFactory(name="癒し", slug="癒し")])

        assert titles_on(client.get(reverse("reviews:label", args=["癒し"]))) == ["Iyashikei"]


class TestAuthorPage:
    def test_lists_reviews_the_author_wrote_or_co_wrote(self, client):
        aki, ren = UserFactory(username="aki"), UserFactory(username="ren")
        ReviewFactory(title="Alone", authors=[aki], publish_at=at(2024, 1))
        ReviewFactory(title="Together", authors=[ren, aki], publish_at=at(2024, 2))
        ReviewFactory(title="Someone else's", authors=[ren])

        assert titles_on(client.get(reverse("reviews:author", args=["aki"]))) == [
            "Together",
            "Alone",
        ]


class TestArchive:
    def test_index_counts_reviews_per_month_newest_first(self, client):
        ReviewFactory(publish_at=at(2023, 11, 2))
        ReviewFactory(publish_at=at(2023, 11, 28))
        ReviewFactory(publish_at=at(2024, 2))

        response = client.get(reverse("reviews:archive"))

        rows = [(row["month"].date(), row["n_reviews"]) for row in response.context["months"]]
        assert rows == [(dt.date(2024, 2, 1), 1), (dt.date(2023, 11, 1), 2)]
        assert 'href="/archive/2023/11/">November</a>' in response.text

    def test_month_page_holds_that_months_reviews_only(self, client):
        ReviewFactory(
            title="Last of October",
            publish_at=timezone.make_aware(dt.datetime(2023, 10, 31, 23, 59, 59)),
        )
        ReviewFactory(
            title="First of November",
            publish_at=timezone.make_aware(dt.datetime(2023, 11, 1, 0, 0)),
        )
        ReviewFactory(title="December", publish_at=at(2023, 12, 1))

        response = client.get(reverse("reviews:archive-month", args=[2023, 11]))

        assert titles_on(response) == ["First of November"]
        assert "Reviews from November 2023" in response.text

    def test_december_ends_at_new_year(self, client):
        ReviewFactory(title="New Year's Eve", publish_at=at(2023, 12, 31))

        assert titles_on(client.get("/archive/2023/12/")) == ["New Year's Eve"]

    def test_zero_padded_month_redirects_to_the_one_url(self, client):
        response = client.get("/archive/2023/04/")

        assert (response.status_code, response["Location"]) == (301, "/archive/2023/4/")

    @pytest.mark.parametrize("path", ["/archive/2023/13/", "/archive/2023/0/", "/archive/1999/5/"])
    def test_impossible_or_empty_month_is_404(self, client, path):
        assert client.get(path).status_code == 404
