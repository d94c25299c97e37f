"""RSS 2.0 and Atom 1.0 feeds of published reviews: the whole site and one label.

Items come from ``listing.listed_reviews()`` (published only, bylines and labels prefetched), so a
feed runs a fixed number of queries. Links use ``KANSOU_SITE_URL`` when set, else the request's
host (Django's ``add_domain``). An item's description is the review's plain-text summary as
an escaped HTML paragraph; its categories are the review's labels.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html

from kansou.reviews import seo
from kansou.reviews.listing import listed_reviews
from kansou.reviews.models import Label, Review

FEED_SIZE = 20


class LatestReviewsFeed(Feed):
    feed_type = Rss201rev2Feed
    title = "Kansou: latest reviews"
    description = "New anime reviews on Kansou."
    author_name = seo.SITE_NAME

    def _absolute(self, path: str) -> str:
        # With no KANSOU_SITE_URL, Feed itself prefixes the request's scheme and host.
        return seo.absolute_url(path) if settings.KANSOU_SITE_URL else path

    def link(self) -> str:
        return self._absolute(reverse("reviews:home"))

    def subtitle(self) -> str:
        return self.description

    def items(self):
        return listed_reviews()[:FEED_SIZE]

    def item_title(self, item: Review) -> str:
        return item.title

    def item_description(self, item: Review) -> str:
        return format_html("<p>{}</p>", seo.review_description(item))

    def item_link(self, item: Review) -> str:
        return self._absolute(item.get_absolute_url())

    def item_pubdate(self, item: Review):
        return item.publish_at

    def item_updateddate(self, item: Review):
        return max(item.updated_at, item.publish_at)

    def item_author_name(self, item: Review) -> str | None:
        names = [seo.author_name(user) for user in seo.review_authors(item)]
        return ", ".join(names) or None

    def item_author_link(self, item: Review) -> str | None:
        authors = seo.review_authors(item)
        return self._absolute(seo.author_url(authors[0])) if authors else None

    def item_categories(self, item: Review) -> list[str]:
        return [label.name for label in item.labels.all()]


class LatestReviewsAtomFeed(LatestReviewsFeed):
    feed_type = Atom1Feed


class LabelReviewsFeed(LatestReviewsFeed):
    """One label's reviews; 404 while no published review carries the label."""

    def get_object(self, request: HttpRequest, slug: str) -> Label:
        label = get_object_or_404(Label, slug=slug)
        if not listed_reviews().filter(labels=label).exists():
            raise Http404("No published review has this label.")
        return label

    def title(self, obj: Label) -> str:
        return f"Kansou: reviews labelled “{obj.name}”"

    def description(self, obj: Label) -> str:
        return f"Anime reviews on Kansou labelled “{obj.name}”."

    def subtitle(self, obj: Label) -> str:
        return self.description(obj)

    def link(self, obj: Label) -> str:
        return self._absolute(reverse("reviews:label", args=[obj.slug]))

    def items(self, obj: Label):
        return listed_reviews().filter(labels=obj)[:FEED_SIZE]


class LabelReviewsAtomFeed(LabelReviewsFeed):
    feed_type = Atom1Feed
