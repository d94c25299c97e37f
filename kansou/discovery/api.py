"""Discovery's JSON endpoints: search. Synopses are searched but never returned."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from kansou.catalog.schemas import TAG_PATTERN, TEXT_PATTERN, StrictQuery
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


class SearchQuery(StrictQuery, SearchFilters):
    """``SearchFilters`` as the API takes them: an empty or blank parameter is a 422 naming it
    (``StrictQuery``), and text parameters hold no control characters."""

    q: str = Field(
        "",
        max_length=200,
        pattern=TEXT_PATTERN,
        description="Titles in any language, words or themes.",
    )
    tag: str = Field("", max_length=120, pattern=TAG_PATTERN, description="Tag slug.")


class SearchOut(Schema):
    count: int
    page: int
    num_pages: int
    results: list[SearchHitOut]
    facets: dict[str, list[FacetOut]]


@router.get("/search", response=SearchOut, summary="Search anime and reviews")
def search_get(
    request: HttpRequest,
    filters: Query[SearchQuery],
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


# Recommendation pairs ("if you liked X, watch Y"): their operations live in ``pairs.api``.
from kansou.discovery.pairs.api import router as pairs_router  # noqa: E402

router.add_router("/", pairs_router)
