"""The catalog's JSON endpoints: the filtered list, one entry, and title lookup.

Every operation also answers 422 (``ValidationErrorOut``) to a bad or empty parameter; the
site-wide handler in ``kansou.api`` writes it and documents it on every operation."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from kansou.catalog.models import Anime
from kansou.catalog.schemas import (
    TEXT_PATTERN,
    AnimeDetailOut,
    AnimeListQuery,
    AnimePageOut,
    AnimeSummaryOut,
    ErrorOut,
    LookupOut,
)
from kansou.catalog.selectors import anime_detail, anime_find, anime_search

router = Router(tags=["catalog"])

MAX_PAGE_SIZE = 100
MAX_LOOKUP = 50


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get(
    "/anime",
    response={200: AnimePageOut, 404: ErrorOut},
    summary="List anime",
)
def anime_list(
    request: HttpRequest,
    filters: Query[AnimeListQuery],
    page: int = Query(1, ge=1, description="Page number, from 1."),
    page_size: int = Query(24, ge=1, le=MAX_PAGE_SIZE, description="Entries per page."),
):
    """The catalog filtered and ordered like the list page (without synopses)."""
    found = anime_search(filters=filters)
    paginator = Paginator(found.anime, page_size)
    try:
        current = paginator.page(page)
    except EmptyPage:
        raise HttpError(
            404, f"page {page} is past the last page ({paginator.num_pages})."
        ) from None
    return {
        "count": paginator.count,
        "next": _page_url(request, page + 1) if current.has_next() else None,
        "previous": _page_url(request, page - 1) if current.has_previous() else None,
        "results": [AnimeSummaryOut.of(anime) for anime in current.object_list],
    }


@router.get("/anime/lookup", response=list[LookupOut], summary="Find anime by title")
def anime_lookup(
    request: HttpRequest,
    q: str = Query(
        ..., max_length=200, pattern=TEXT_PATTERN, description="A title in any language."
    ),
    limit: int = Query(10, ge=1, le=MAX_LOOKUP, description="Most matches to return."),
):
    """Entries whose titles match ``q`` (tolerant of case, accents and typos), best first."""
    return [LookupOut.of(match) for match in anime_find(query=q, limit=limit)]


@router.get(
    "/anime/{int:anime_id}",
    response={200: AnimeDetailOut, 404: ErrorOut},
    summary="One anime",
)
def anime_get(request: HttpRequest, anime_id: int):
    """Every field of one entry; ``local_fields`` names the values corrected locally."""
    try:
        return AnimeDetailOut.of(anime_detail(anime_id=anime_id))
    except Anime.DoesNotExist:
        raise HttpError(404, f"No anime with id {anime_id}.") from None
