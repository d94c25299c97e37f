"""RSS 2.0 and Atom 1.0 feeds of published reviews: the whole site and one label.

Items come from ``listing.listed_reviews()`` (published only, bylines and labels prefetched) with
every section's rows prefetched too, so a feed runs a fixed number of queries. Links use
``KANSOU_SITE_URL`` when set, else the request's host. An item carries the review's plain-text
summary as an escaped HTML paragraph (RSS ``description``, Atom ``summary``), the whole review as
HTML (RSS ``content:encoded``, Atom ``content``: the sections' sanitised HTML with every link made
absolute, since feed readers resolve relative links each their own way), and the review's labels
as categories.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html, format_html_join

from kansou.reviews import seo
from kansou.reviews.listing import listed_reviews
from kansou.reviews.models import AudienceProfile, ComparableTitle, Label, Review

FEED_SIZE = 20
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
# Root-relative links and images in sanitised HTML (nh3 writes attributes in double quotes).
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src))="/(?!/)')


class ReviewRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the whole review in ``content:encoded``."""

    def rss_attributes(self) -> dict:
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NAMESPACE}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class ReviewAtomFeed(Atom1Feed):
    """Atom 1.0 with the whole review in ``<content type="html">``."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


def feed_reviews():
    """``listed_reviews()`` with every section's rows: five queries more (four without audience
    profiles), however many items."""
    comparable = ComparableTitle.objects.select_related("anime").order_by("position", "pk")
    audience = AudienceProfile.objects.prefetch_related(
        Prefetch("comparable_titles", queryset=comparable, to_attr="comparable_list")
    )
    return listed_reviews().prefetch_related(
        Prefetch("audience", queryset=audience), "characters", "themes", "sections"
    )


def _audience_html(review: Review) -> list[str]:
    profiles = list(review.audience.all())
    if not profiles:
        return []
    parts = ["<h2>Who should watch</h2>"]
    for profile in profiles:
        parts += [format_html("<h3>{}</h3>", profile.name), profile.why_html]
        if profile.comparable_list:
            links = format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                (
                    (row.anime.get_absolute_url(), row.anime.title)
                    for row in profile.comparable_list
                ),
            )
            parts.append(format_html("<p>If you liked {}</p>", links))
    return parts


def _titled_html(heading: str, rows: list[tuple[str, str]]) -> list[str]:
    """A section of named parts (characters, themes): an ``h2``, then an ``h3`` and text each."""
    if not rows:
        return []
    parts = [format_html("<h2>{}</h2>", heading)]
    for name, html in rows:
        parts += [format_html("<h3>{}</h3>", name), html]
    return parts


def review_content_html(review: Review) -> str:
    """The whole review as the page shows it, section by section, from the sanitised HTML the
    render service stored; links stay as written (``absolute_links`` finishes them)."""
    parts = [review.intro_html] if review.intro_html else []
    parts += _audience_html(review)
    parts += _titled_html("Characters", [(c.name, c.text_html) for c in review.characters.all()])
    parts += _titled_html("Themes", [(t.name, t.text_html) for t in review.themes.all()])
    for section in review.sections.all():
        parts += [format_html("<h2>{}</h2>", section.heading), section.body_html]
    if review.final_thoughts_html:
        parts += ["<h2>Final thoughts</h2>", review.final_thoughts_html]
    return "\n".join(str(part) for part in parts)


def absolute_links(html: str, origin: str) -> str:
    """``href="/x"`` and ``src="/x"`` made ``href="https://host/x"``."""
    return _ROOT_RELATIVE.sub(lambda m: f'{m.group(1)}="{origin}/', html)


class LatestReviewsFeed(Feed):
    feed_type = ReviewRssFeed
    title = "Kansou: latest reviews"
    description = "New anime reviews on Kansou."
    author_name = seo.SITE_NAME

    def get_feed(self, obj, request: HttpRequest):
        """Django makes the feed's and items' links absolute, not authors' or the content's."""
        feed = super().get_feed(obj, request)
        origin = seo.site_origin(request)
        if feed.feed.get("author_link"):
            feed.feed["author_link"] = seo.absolute_url(feed.feed["author_link"], request)
        for item in feed.items:
            if item.get("author_link"):
                item["author_link"] = seo.absolute_url(item["author_link"], request)
            if item.get("content"):
                item["content"] = absolute_links(item["content"], origin)
        return feed

    def _absolute(self, path: str) -> str:
        # With no KANSOU_SITE_URL, Feed itself prefixes the request's scheme and host.
        return seo.absolute_url(path) if settings.KANSOU_SITE_URL else path

    def link(self) -> str:
        return self._absolute(reverse("reviews:home"))

    def author_link(self) -> str:
        return reverse("reviews:home")

    def subtitle(self) -> str:
        return self.description

    def items(self):
        return feed_reviews()[:FEED_SIZE]

    def item_title(self, item: Review) -> str:
        return item.title

    def item_description(self, item: Review) -> str:
        return format_html("<p>{}</p>", seo.review_description(item))

    def item_extra_kwargs(self, item: Review) -> dict:
        return {"content": review_content_html(item)}

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
        return seo.author_url(authors[0]) if authors else None

    def item_categories(self, item: Review) -> list[str]:
        return [label.name for label in item.labels.all()]


class LatestReviewsAtomFeed(LatestReviewsFeed):
    feed_type = ReviewAtomFeed


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
        return feed_reviews().filter(labels=obj)[:FEED_SIZE]


class LabelReviewsAtomFeed(LabelReviewsFeed):
    feed_type = ReviewAtomFeed
