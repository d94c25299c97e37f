"""The reviews' part of the sitemap, and robots.txt: what crawlers may fetch and where the public
pages are.

Sections: the fixed pages, published reviews and labels in use (the catalog's anime pages are
``kansou.catalog.sitemaps``; ``kansou.urls`` puts the sections together behind the index of
``kansou.core.sitemaps``). Every section starts from ``Review.objects.published()``, so no draft
or scheduled review (nor its label) is listed. URLs use ``KANSOU_SITE_URL`` when set, else the
request's host.
"""

from __future__ import annotations

from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from kansou.core.sitemaps import SiteSitemap  # noqa: F401 (re-exported)
from kansou.reviews import seo
from kansou.reviews.listing import labels_in_use
from kansou.reviews.models import Label, Review


class ReviewSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self) -> QuerySet[Review]:
        return Review.objects.published().only("slug", "updated_at").order_by("-publish_at", "-pk")

    def lastmod(self, item: Review):
        return item.updated_at

    def get_latest_lastmod(self):
        return Review.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class LabelSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self) -> QuerySet[Label]:
        return labels_in_use().order_by("name")

    def location(self, item: Label) -> str:
        return reverse("reviews:label", args=[item.slug])


class StaticSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self) -> list[str]:
        return ["reviews:home", "reviews:archive", "catalog:anime-list"]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str):
        if item == "catalog:anime-list":
            return None
        return Review.objects.published().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {
    "static": StaticSitemap,
    "reviews": ReviewSitemap,
    "labels": LabelSitemap,
}


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = seo.absolute_url(reverse("sitemap"), request)
    context = {"sitemap_url": sitemap_url}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
