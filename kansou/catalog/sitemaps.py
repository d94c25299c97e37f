"""The catalog's part of the sitemap: every anime's page, in pages of ``AnimeSitemap.limit``."""

from __future__ import annotations

from django.db.models import Max, QuerySet

from kansou.catalog.models import Anime
from kansou.core.sitemaps import SiteSitemap


class AnimeSitemap(SiteSitemap):
    """Every catalog entry, oldest id first, so a page's contents stay put as the catalog grows."""

    changefreq = "monthly"
    priority = 0.4
    limit = 5000  # Google's cap is 50,000 URLs; smaller pages render and download faster

    def items(self) -> QuerySet[Anime]:
        return Anime.objects.only("pk", "updated_at").order_by("pk")

    def lastmod(self, item: Anime):
        return item.updated_at

    def get_latest_lastmod(self):
        return Anime.objects.aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"anime": AnimeSitemap}
