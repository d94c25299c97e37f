"""Discovery's JSON endpoints: search. Synopses are searched but never returned."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from kansou.discovery.search import MAX_RESULTS, Hit, SearchFilters, search

router = Router(tags=["search"])

PAGE_SIZE = 20


class SearchHitOut(Schema):
    kind: str
    id: int
    title: str
    url: str
    anime_id: int | None
    type: str
    year: int | None
    matched_title: str
    score: float

    @classmethod
    def of(cls, request: HttpRequest, hit: Hit) -> SearchHitOut:
        return cls(
            kind=hit.kind,
            id=hit.review_id if hit.kind == "review" else hit.anime_id,
            title=hit.title,
            url=request.build_absolute_uri(hit.url),
            anime_id=hit.anime_id,
            type=hit.anime_type,
            year=hit.year,
            matched_title=hit.matched_title,
            score=round(hit.score, 4),
        )


class FacetOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class SearchOut(Schema):
    count: int
    page: int
    num_pages: int
    results: list[SearchHitOut]
    facets: dict[str, list[FacetOut]]


@router.get("/search", response=SearchOut, summary="Search anime and reviews")
def search_get(
    request: HttpRequest,
    filters: Query[SearchFilters],
    page: int = Query(1, ge=1, le=MAX_RESULTS // PAGE_SIZE, description="Page, from 1."),
):
    """Anime and reviews matching ``q`` (titles in any language, typos tolerated; words and
    themes), best first, narrowed by type, years and tag; ``facets`` count the matches by
    ``type``, ``decade`` and ``tag``."""
    results = search(filters=filters, page=page, page_size=PAGE_SIZE)
    return {
        "count": results.total,
        "page": results.page,
        "num_pages": results.num_pages,
        "results": [SearchHitOut.of(request, hit) for hit in results.hits],
        "facets": {
            name: [FacetOut(**vars(facet)) for facet in group]
            for name, group in results.facets.items()
        },
    }
