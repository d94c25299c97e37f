"""Catalog pages: the filterable list and one entry's page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kansou.catalog.filters import SORT_LABELS, Sort, filters_from_query
from kansou.catalog.models import Anime, AnimeType, Status, Tag
from kansou.catalog.panels import anime_panels, panel_stylesheets
from kansou.catalog.selectors import anime_detail as select_anime_detail
from kansou.catalog.selectors import anime_search
from kansou.catalog.seo import anime_page_seo

PAGE_SIZE = 48


def anime_list(request: HttpRequest) -> HttpResponse:
    filters, problems = filters_from_query(request.GET)
    found = anime_search(filters=filters)
    page = Paginator(found.anime, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for anime in page.object_list:
        anime.matched_title = found.matched_titles.get(anime.pk, "")
    sorts = [(s.value, SORT_LABELS[s]) for s in Sort if s != Sort.RELEVANCE or filters.q]
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "filters": filters,
        "problems": problems,
        "sort": filters.effective_sort.value,
        "sorts": sorts,
        "types": AnimeType.choices,
        "statuses": Status.choices,
        "tags": Tag.objects.only("name", "slug"),
    }
    return render(request, "catalog/anime_list.html", context)


def anime_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        detail = select_anime_detail(anime_id=pk)
    except Anime.DoesNotExist:
        raise Http404("No anime with this id.") from None
    panels = anime_panels(anime=detail.anime)
    context = {
        "detail": detail,
        "anime": detail.anime,
        "panels": panels,
        "panel_stylesheets": panel_stylesheets(panels),
        "seo": anime_page_seo(detail, request),
    }
    return render(request, "catalog/anime_detail.html", context)
