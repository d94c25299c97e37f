"""Reading list filters from a query string (bad values are dropped with a message), and the
``reviewed`` filter on the list page, the selector and the API."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from kansou.catalog.filters import AnimeFilters, Sort, filters_from_query
from kansou.catalog.selectors import anime_search
from tests.catalog.factories import AnimeFactory
from tests.reviews.factories import ReviewFactory


def read(query: str):
    filters, problems = filters_from_query(QueryDict(query))
    return filters, [str(p) for p in problems]


def test_an_empty_query_is_no_filter_sorted_by_score():
    filters, problems = read("")

    assert filters == AnimeFilters()
    assert filters.effective_sort == Sort.SCORE and not filters.is_filtered
    assert problems == []


def test_every_filter_is_read():
    filters, problems = read(
        "type=TV&type=movie&year_from=2000&year_to=2010&tag=slice-of-life"
        "&status=finished&q=+Koe+&sort=title"
    )

    assert problems == []
    assert filters.type == ["TV", "MOVIE"]
    assert (filters.year_from, filters.year_to) == (2000, 2010)
    assert (filters.tag, filters.status, filters.q, filters.sort) == (
        "slice-of-life",
        "FINISHED",
        "Koe",
        Sort.TITLE,
    )


def test_blank_form_fields_mean_no_filter():
    filters, problems = read("type=&year_from=&year_to=&tag=&status=&q=&sort=")

    assert filters == AnimeFilters() and problems == []


def test_bad_values_are_dropped_and_good_ones_kept():
    filters, problems = read("year_from=abc&year_to=2010&type=TV&type=NOVEL&sort=up&status=x")

    assert (filters.year_from, filters.year_to, filters.type) == (None, 2010, ["TV"])
    assert filters.sort is None and filters.status is None
    assert problems == [
        "Type “NOVEL” is not an anime type; ignored.",
        "From year “abc” is not a year between 1900 and 2100; ignored.",
        "Status “x” is not a status; ignored.",
        "Sort “up” is not a sort order; ignored.",
    ]


def test_years_outside_the_range_are_dropped():
    filters, problems = read("year_from=1200&year_to=99999")

    assert (filters.year_from, filters.year_to) == (None, None)
    assert len(problems) == 2


def test_a_search_sorts_by_relevance_unless_told_otherwise():
    assert read("q=frieren")[0].effective_sort == Sort.RELEVANCE
    assert read("q=frieren&sort=newest")[0].effective_sort == Sort.NEWEST
    assert read("sort=relevance")[0].effective_sort == Sort.SCORE


def test_reviewed_is_read_as_yes_no_or_any():
    assert read("reviewed=true")[0].reviewed is True
    assert read("reviewed=false")[0].reviewed is False
    assert read("reviewed=")[0] == AnimeFilters()
    filters, problems = read("reviewed=perhaps")
    assert filters.reviewed is None
    assert problems == ["Reviewed “perhaps” is not yes or no; ignored."]
    assert read("reviewed=true")[0].is_filtered


@pytest.mark.django_db
class TestReviewedFilter:
    """``reviewed`` counts published reviews only: a draft or a review scheduled for later does
    not make an anime reviewed (the catalog reaches reviews through ``Anime.reviews``)."""

    @pytest.fixture
    def shows(self):
        reviewed, drafted, scheduled, bare = (
            AnimeFactory(title=title) for title in ("Reviewed", "Drafted", "Scheduled", "Bare")
        )
        ReviewFactory(anime=reviewed)
        ReviewFactory(anime=reviewed)  # two reviews: still listed once
        ReviewFactory.draft(anime=drafted)
        ReviewFactory.scheduled(anime=scheduled)
        return reviewed

    def titles(self, query: str) -> list[str]:
        filters, _ = read(query)
        return sorted(anime.title for anime in anime_search(filters=filters).anime)

    def test_reviewed_keeps_only_anime_with_a_published_review(self, shows):
        assert self.titles("reviewed=true") == ["Reviewed"]
        assert self.titles("reviewed=false") == ["Bare", "Drafted", "Scheduled"]
        assert len(self.titles("")) == 4

    def test_the_list_page_offers_and_applies_it(self, client, shows):
        page = client.get(reverse("catalog:anime-list"), {"reviewed": "true"})

        assert [anime.title for anime in page.context["page"].object_list] == ["Reviewed"]
        assert '<option value="true" selected>Reviewed here</option>' in page.text

    def test_the_api_takes_it_and_documents_it(self, client, shows):
        body = client.get("/api/anime", {"reviewed": "true"}).json()
        assert [anime["title"] for anime in body["results"]] == ["Reviewed"]
        assert client.get("/api/anime", {"reviewed": ""}).status_code == 422

        schema = client.get("/api/openapi.json").json()
        params = schema["paths"]["/api/anime"]["get"]["parameters"]
        reviewed = next(p for p in params if p["name"] == "reviewed")
        assert "published review" in reviewed["description"]
