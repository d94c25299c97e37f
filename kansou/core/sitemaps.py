"""The sitemap's shared parts: a ``Sitemap`` that knows the site's origin, and the index.

``/sitemap.xml`` is an index of sections (``/sitemap-<section>.xml``), each paginated at its
``limit`` (``?p=2``…), so the whole catalog fits however large it grows. Every URL, the index's
included, uses ``KANSOU_SITE_URL`` when set, else the request's scheme and host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from kansou.core.seo import absolute_url

SECTION_URL_NAME = "sitemap-section"


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


@x_robots_tag
def sitemap_index(request: HttpRequest, sitemaps: dict) -> TemplateResponse:
    """Every page of every section that has items, with the section's latest change.

    Django's own ``index`` view takes the host from the request alone; this one follows
    ``KANSOU_SITE_URL`` like the sections do, and leaves out empty sections.
    """
    entries = []
    for section, sitemap in sitemaps.items():
        site = sitemap() if isinstance(sitemap, type) else sitemap
        paginator = site.paginator  # a new one, counting again, on every access
        if not paginator.count:
            continue
        location = absolute_url(reverse(SECTION_URL_NAME, kwargs={"section": section}), request)
        lastmod = site.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        entries += [
            SitemapIndexItem(f"{location}?p={page}", lastmod)
            for page in range(2, paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
