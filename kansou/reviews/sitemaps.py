"""sitemap.xml and robots.txt: what crawlers may fetch and where the public pages are.

Sections: published reviews, labels and anime entries that have a published review, and the fixed
pages. Every section starts from ``Review.objects.published()``, so no draft or scheduled review
(nor its label or anime) is listed. URLs use ``KANSOU_SITE_URL`` when set, else the request's host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from kansou.catalog.models import Anime
from kansou.reviews import seo
from kansou.reviews.listing import labels_in_use
from kansou.reviews.models import Label, Review


class SiteSitemap(Sitemap):
    """Takes scheme and host from ``KANSOU_SITE_URL`` when it is set."""

    def get_protocol(self, protocol: str | None = None) -> str:
        if settings.KANSOU_SITE_URL:
            return urlsplit(settings.KANSOU_SITE_URL).scheme
        return super().get_protocol(protocol)

    def get_domain(self, site=None) -> str:
        if settings.KANSOU_SITE_URL:
            return urlsplit(settings.KANSOU_SITE_URL).netloc
        return super().get_domain(site)


class ReviewSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self) -> QuerySet[Review]:
        return Review.objects.published().only("slug", "updated_at").order_by("-publish_at", "-pk")

    def lastmod(self, item: Review):
        return item.updated_at


class LabelSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self) -> QuerySet[Label]:
        return labels_in_use().order_by("name")

    def location(self, item: Label) -> str:
        return reverse("reviews:label", args=[item.slug])


class ReviewedAnimeSitemap(SiteSitemap):
    """Catalog entries with at least one published review; the rest of the catalog is not ours."""

    changefreq = "monthly"
    priority = 0.4

    def items(self) -> QuerySet[Anime]:
        reviewed = Review.objects.published().values("anime_id")
        return Anime.objects.filter(pk__in=reviewed).only("pk", "updated_at").order_by("pk")

    def lastmod(self, item: Anime):
        return item.updated_at


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
    "anime": ReviewedAnimeSitemap,
}


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = seo.absolute_url(reverse("sitemap"), request)
    context = {"sitemap_url": sitemap_url}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
