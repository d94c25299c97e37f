"""sitemap.xml lists published reviews, their labels and anime, and the fixed pages; robots.txt
points at it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.catalog.factories import AnimeFactory

from .factories import LabelFactory, ReviewFactory

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_urls(client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{NS}urlset"
    return {url.findtext(f"{NS}loc"): url.findtext(f"{NS}lastmod") for url in root.iter(f"{NS}url")}


def test_sitemap_lists_published_reviews_with_lastmod_and_the_fixed_pages(client):
    review = ReviewFactory(slug="mushishi")

    urls = sitemap_urls(client)

    assert urls["http://testserver/reviews/mushishi/"] == review.updated_at.date().isoformat()
    for page in ("/", "/archive/", "/anime/"):
        assert f"http://testserver{page}" in urls


def test_sitemap_lists_labels_and_anime_of_published_reviews_only(client):
    shown, hidden = LabelFactory(slug="shown"), LabelFactory(slug="hidden")
    reviewed = ReviewFactory(labels=[shown]).anime
    draft_only = ReviewFactory.draft(labels=[hidden]).anime
    AnimeFactory()  # never reviewed

    urls = sitemap_urls(client)

    assert "http://testserver/labels/shown/" in urls
    assert "http://testserver/labels/hidden/" not in urls
    anime_urls = {url for url in urls if "/anime/" in url and url != "http://testserver/anime/"}
    assert anime_urls == {f"http://testserver{reviewed.get_absolute_url()}"}
    assert draft_only.get_absolute_url() not in "".join(urls)


def test_drafts_and_scheduled_reviews_are_not_in_the_sitemap(client):
    ReviewFactory.draft(slug="draft")
    ReviewFactory.scheduled(slug="later")

    urls = "".join(sitemap_urls(client))

    assert "/reviews/draft/" not in urls and "/reviews/later/" not in urls


def test_sitemap_uses_the_site_url_setting(client, settings):
    settings.KANSOU_SITE_URL = "https://kansou.example"
    ReviewFactory(slug="aria")

    assert "https://kansou.example/reviews/aria/" in sitemap_urls(client)


def test_robots_txt_allows_the_site_and_names_the_sitemap(client):
    response = client.get(reverse("robots-txt"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
