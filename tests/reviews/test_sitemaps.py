"""sitemap.xml is an index of sections: the fixed pages, published reviews and their labels, and
every catalog entry; robots.txt points at it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from kansou.catalog.sitemaps import AnimeSitemap
from tests.catalog.factories import AnimeFactory

from .factories import LabelFactory, ReviewFactory

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_index(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    assert root.tag == f"{NS}sitemapindex"
    return [entry.findtext(f"{NS}loc") for entry in root.iter(f"{NS}sitemap")]


def section_urls(client, location: str) -> dict[str, str | None]:
    parts = urlsplit(location)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{NS}urlset"
    return {url.findtext(f"{NS}loc"): url.findtext(f"{NS}lastmod") for url in root.iter(f"{NS}url")}


def sitemap_urls(client) -> dict[str, str | None]:
    """Every URL of every page of every section the index lists."""
    urls: dict[str, str | None] = {}
    for location in sitemap_index(client):
        urls.update(section_urls(client, location))
    return urls


def test_sitemap_lists_published_reviews_with_lastmod_and_the_fixed_pages(client):
    review = ReviewFactory(slug="mushishi")

    urls = sitemap_urls(client)

    assert urls["http://testserver/reviews/mushishi/"] == review.updated_at.date().isoformat()
    for page in ("/", "/archive/", "/anime/"):
        assert f"http://testserver{page}" in urls


def test_sitemap_lists_labels_of_published_reviews_only(client):
    LabelFactory(slug="unused")
    ReviewFactory(labels=[LabelFactory(slug="shown")])
    ReviewFactory.draft(labels=[LabelFactory(slug="hidden")])

    urls = sitemap_urls(client)

    assert "http://testserver/labels/shown/" in urls
    assert "http://testserver/labels/hidden/" not in urls
    assert "http://testserver/labels/unused/" not in urls


def test_index_lists_each_section_with_its_latest_change(client):
    review = ReviewFactory()
    newest = AnimeFactory()

    response = client.get("/sitemap.xml")

    root = ET.fromstring(response.content)
    lastmods = {
        entry.findtext(f"{NS}loc"): entry.findtext(f"{NS}lastmod")
        for entry in root.iter(f"{NS}sitemap")
    }
    assert lastmods["http://testserver/sitemap-reviews.xml"] == review.updated_at.isoformat()
    assert lastmods["http://testserver/sitemap-anime.xml"] == newest.updated_at.isoformat()
    assert response["X-Robots-Tag"].startswith("noindex")


def test_index_leaves_out_sections_with_nothing_to_list(client):
    AnimeFactory()

    assert sitemap_index(client) == [
        "http://testserver/sitemap-static.xml",
        "http://testserver/sitemap-anime.xml",
    ]


def test_anime_section_covers_the_whole_catalog_in_pages(client, monkeypatch):
    monkeypatch.setattr(AnimeSitemap, "limit", 2)
    catalog = AnimeFactory.create_batch(5)  # never reviewed: listed all the same
    ReviewFactory.draft(anime=catalog[0])

    index = sitemap_index(client)
    pages = [url for url in index if "/sitemap-anime.xml" in url]
    urls = [url for page in pages for url in section_urls(client, page)]

    assert pages == [
        "http://testserver/sitemap-anime.xml",
        "http://testserver/sitemap-anime.xml?p=2",
        "http://testserver/sitemap-anime.xml?p=3",
    ]
    assert urls == [f"http://testserver{anime.get_absolute_url()}" for anime in catalog]
    assert client.get("/sitemap-anime.xml?p=4").status_code == 404


def test_unknown_section_is_404(client):
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_drafts_and_scheduled_reviews_are_not_in_the_sitemap(client):
    ReviewFactory.draft(slug="draft")
    ReviewFactory.scheduled(slug="later")

    urls = "".join(sitemap_urls(client))

    assert "/reviews/draft/" not in urls and "/reviews/later/" not in urls


def test_sitemap_uses_the_site_url_setting(client, settings):
    settings.KANSOU_SITE_URL = "https://kansou.example"
    ReviewFactory(slug="aria")

    assert "https://kansou.example/sitemap-reviews.xml" in sitemap_index(client)
    urls = section_urls(client, "/sitemap-reviews.xml")
    assert "https://kansou.example/reviews/aria/" in urls


def test_robots_txt_allows_the_site_and_names_the_sitemap(client):
    response = client.get(reverse("robots-txt"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
