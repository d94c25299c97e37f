"""Reading list filters from a query string: bad values are dropped with a message."""

from __future__ import annotations

from django.http import QueryDict

from kansou.catalog.filters import AnimeFilters, Sort, filters_from_query


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
