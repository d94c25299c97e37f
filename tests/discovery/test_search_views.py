"""The search page, the search API and ``kansou search``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kansou.catalog.models import AnimeType
from kansou.cli import cli
from kansou.discovery.search.index import search_reindex
from tests.catalog.factories import AnimeFactory, AnimeTagFactory, TagFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db

SECRET = "A synopsis only search may read: the twist is that the piano was a dream."


@pytest.fixture
def catalog(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    tag = TagFactory(name="music")
    forest = AnimeFactory(title="Piano no Mori", kind=AnimeType.TV, year=2018, synopsis=SECRET)
    AnimeTagFactory(anime=forest, tag=tag)
    AnimeFactory(title="Piano Movie", kind=AnimeType.MOVIE, year=1995)
    search_reindex()
    return forest


def test_the_page_lists_results_with_links_and_facets(client, catalog):
    response = client.get("/search/", {"q": "piano"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{catalog.get_absolute_url()}"' in html
    assert "2 results for" in html
    assert 'href="?q=piano&amp;type=MOVIE"' in html
    assert 'href="?q=piano&amp;year_from=1990&amp;year_to=1999"' in html
    assert SECRET not in html
    assert "<script" not in html


def test_the_page_without_a_query_invites_one(client, catalog):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "results for" not in response.content.decode()


def test_the_page_ignores_bad_filters_with_a_message(client, catalog):
    response = client.get("/search/", {"q": "piano", "type": "CARTOON", "year_from": "abc"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "not an anime type" in html and "2 results" in html


def test_the_api_returns_results_and_facets_without_synopses(client, catalog):
    response = client.get("/api/search", {"q": "piano", "type": "TV"})
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    assert body["results"][0]["title"] == "Piano no Mori"
    assert body["results"][0]["url"].endswith(catalog.get_absolute_url())
    assert body["facets"]["tag"] == [
        {"value": "music", "label": "music", "count": 1, "selected": False}
    ]
    assert "dream" not in response.content.decode()


def test_the_api_names_a_bad_parameter(client, catalog):
    response = client.get("/api/search", {"q": "piano", "year_from": "1800"})
    assert response.status_code == 422
    assert "year_from" in response.json()["detail"]


def test_the_command_prints_results_as_json(catalog):
    result = CliRunner().invoke(cli, ["search", "find", "piano", "--type", "MOVIE", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert [hit["title"] for hit in found["results"]] == ["Piano Movie"]
    assert found["facets"]["type"] == [{"value": "MOVIE", "label": "Movie", "count": 1}]


def facet_links(html: str) -> list[str]:
    """The facet values the page lists, as their link targets."""
    nav = html.split('class="filters facets"', 1)[1].split("</nav>", 1)[0]
    return [part.split('"', 1)[0] for part in nav.split('<a href="')[1:]]


def test_facets_that_cannot_narrow_the_results_are_left_out(client, catalog):
    # One result: every count equals the total, so no facet would change anything.
    html = client.get("/search/", {"q": "piano no mori"}).content.decode()
    assert "1 result for" in html
    assert facet_links(html) == []
    assert 'class="facet"' not in html

    # Two results: each type and decade narrows; "music" (one of two) does too.
    html = client.get("/search/", {"q": "piano"}).content.decode()
    assert len(facet_links(html)) == 5 and 'id="facet-tag"' in html


def test_an_applied_facet_stays_listed_to_remove_it(client, catalog):
    html = client.get("/search/", {"q": "piano", "type": "TV"}).content.decode()
    assert "1 result for" in html
    assert facet_links(html) == ["?q=piano"]  # TV, applied; "music" (1 of 1) is left out
    assert "Remove filter: </span>TV" in html


def test_the_search_page_has_one_search_box_with_its_button_beside_it(client, catalog):
    html = client.get("/search/", {"q": "piano"}).content.decode()
    assert html.count('role="search"') == 1 and 'id="site-search-q"' not in html
    assert 'href="/static/discovery/search.css"' in html
    # Elsewhere the header keeps its box.
    assert 'id="site-search-q"' in client.get("/discover/").content.decode()


def test_a_review_hit_shows_its_anime_poster_and_whole_title(client, catalog):
    title = "Piano no Mori, or how a forest piano taught two boys to listen to each other"
    review = ReviewFactory(anime=catalog, title=title, summary="Two pianists grow up.")
    search_reindex()

    html = client.get("/search/", {"q": "forest piano"}).content.decode()

    card = html.split('<li class="card card--review">', 1)[1].split("</li>", 1)[0]
    assert f'href="{review.get_absolute_url()}"' in card
    assert 'src="data:image/svg+xml,' in card and 'alt="Piano no Mori poster"' in card
    assert f'<span class="card__title">{title}</span>' in card
    assert f'Review of <a href="{catalog.get_absolute_url()}">Piano no Mori</a>' in card


def test_a_catalog_without_synopses_says_theme_search_reads_titles_and_tags(client, db):
    from tests.catalog.factories import AnimeFactory

    AnimeFactory(title="Band Days", synopsis="")
    html = client.get("/search/", {"q": "girls playing in a band"}).content.decode()
    assert "This catalog has no synopses" in html
    AnimeFactory(title="Other", synopsis="Four girls start a band.")
    html = client.get("/search/", {"q": "girls playing in a band"}).content.decode()
    assert "This catalog has no synopses" not in html
