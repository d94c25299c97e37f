"""Pages draw posters from our storage at the right size, or a generated cover; never a
third-party image host."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from kansou.catalog.images.fetching import Fetcher
from kansou.catalog.images.services import poster_tasks, posters_fetch
from tests.catalog.factories import AnimeFactory
from tests.catalog.images.imageserver import image_bytes

pytestmark = pytest.mark.django_db


def _draw(anime, *args: str) -> str:
    tag = "{% load posters %}{% poster anime " + " ".join(args) + " %}"
    return Template(tag).render(Context({"anime": anime}))


def _store(anime, image_server):
    anime.picture = image_server.add(f"/p{anime.pk}.jpg", image_bytes(460, 650))
    anime.save()
    list(posters_fetch(tasks=poster_tasks(anime_ids=[anime.pk]), fetcher=Fetcher(rate=0)))
    anime.refresh_from_db()


def test_a_stored_poster_is_drawn_from_our_storage_with_srcset_size_and_lazy_loading(
    image_server,
):
    anime = AnimeFactory(title="Koe no Katachi")
    _store(anime, image_server)
    html = _draw(anime, '"card"')
    stem = anime.stored_poster.stem
    assert f'<source type="image/webp" srcset="/media/{stem}-160.webp 160w' in html
    assert f"/media/{stem}-460.jpg 460w" in html
    assert 'width="160" height="226"' in html and 'loading="lazy"' in html
    assert 'alt="Koe no Katachi poster"' in html
    assert image_server.base not in html


def test_the_anime_page_poster_loads_at_once_as_the_largest_image(image_server):
    anime = AnimeFactory()
    _store(anime, image_server)
    html = _draw(anime, '"detail"')
    assert 'fetchpriority="high"' in html and "loading=" not in html


def test_without_a_stored_poster_a_generated_cover_names_the_title():
    anime = AnimeFactory(title="Shirobako")
    html = _draw(anime, '"card"', 'alt=""')
    assert 'class="poster__cover"' in html and 'src="data:image/svg+xml,' in html
    assert "Shirobako" in html and 'alt=""' in html
    assert "cdn.example.org" not in html


def test_catalog_pages_hotlink_no_image_host(client, image_server):
    stored, bare = AnimeFactory(title="Stored One"), AnimeFactory(title="Bare One")
    _store(stored, image_server)
    for url in (reverse("catalog:anime-list"), stored.get_absolute_url(), bare.get_absolute_url()):
        html = client.get(url).content.decode()
        images = re.findall(r'<img[^>]*src="([^"]+)"', html)
        assert images, url
        assert all(src.startswith(("/media/posters/", "data:image/svg+xml,")) for src in images)
        assert "cdn.example.org" not in html.split("</head>")[1]  # Open Graph may name it


def test_poster_url_gives_scripts_one_local_url_or_the_cover(image_server):
    from kansou.catalog.templatetags.posters import poster_url

    stored, bare = AnimeFactory(), AnimeFactory(title="Bare")
    _store(stored, image_server)
    assert poster_url(stored, 92) == f"/media/{stored.stored_poster.stem}-160.jpg"
    assert poster_url(stored, 600) == f"/media/{stored.stored_poster.stem}-460.jpg"
    assert poster_url(bare).startswith("data:image/svg+xml,")
