"""Discovery pages: the search page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from kansou.catalog.filters import filters_from_query
from kansou.catalog.selectors import catalog_has_synopses
from kansou.core.params import int_param
from kansou.discovery.search import MAX_RESULTS, Facet, SearchFilters, search, search_hit_items

PAGE_SIZE = 20
SEARCH_FIELDS = set(SearchFilters.model_fields)


def _facet_href(query: QueryDict, facet: Facet) -> str:
    """The page's query with this facet applied, or removed when it already is."""
    query = query.copy()
    query.pop("page", None)
    if facet.param == "decade":
        start = int(facet.value)
        if facet.selected:
            query.pop("year_from", None)
            query.pop("year_to", None)
        else:
            query["year_from"], query["year_to"] = str(start), str(start + 9)
    elif facet.selected:
        values = [v for v in query.getlist(facet.param) if v.upper() != facet.value.upper()]
        query.setlist(facet.param, values)
    elif facet.param == "type":
        query.appendlist("type", facet.value)
    else:
        query[facet.param] = facet.value
    return f"?{query.urlencode()}"


def _page_number(value: str | None) -> int:
    last = MAX_RESULTS // PAGE_SIZE
    return min(last, int_param(value, low=1) or 1)


def search_page(request: HttpRequest) -> HttpResponse:
    catalog_filters, problems = filters_from_query(request.GET)
    filters = SearchFilters.model_validate(catalog_filters.model_dump(include=SEARCH_FIELDS))
    results = search(
        filters=filters, page=_page_number(request.GET.get("page")), page_size=PAGE_SIZE
    )
    facets = {
        name: [(facet, _facet_href(request.GET, facet)) for facet in group]
        for name, group in results.facets.items()
    }
    context = {
        "results": results,
        "items": search_hit_items(results.hits),
        "facets": facets,
        "problems": [p for p in problems if p.param in SEARCH_FIELDS],
        "filters": filters,
        # Theme searches ("girls playing in a band") need synopses: say so when there are none.
        "no_synopses": bool(filters.q.strip()) and not catalog_has_synopses(),
    }
    return render(request, "discovery/search.html", context)
