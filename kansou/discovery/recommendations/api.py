"""Recommendation endpoints: similar anime, recommendations for a list of titles or a MAL export.

Errors: 404 for an unknown anime; 400 when the request cannot be used (no titles, unreadable
export); 413 when an export is over a cap (its size, uncompressed size or entries, named in the
detail); 422 for malformed input (the site-wide validation handler), every id and number
range-checked; 429 with ``Retry-After`` past ``KANSOU_UPLOAD_RATE`` anonymous uploads from one
address; 503 when no model is trained yet (recommendations only; "similar" falls back to
shared tags).
"""

from __future__ import annotations

from functools import wraps
from typing import Literal

from django.http import HttpRequest, JsonResponse
from ninja import File, Form, Path, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import ConfigDict, Field

from kansou.catalog.importers.mal_xml import (
    MAX_COMPRESSED,
    MalXmlError,
    MalXmlTooLarge,
    read_mal_file,
)
from kansou.catalog.models import Anime, AnimeType
from kansou.catalog.schemas import ErrorOut
from kansou.community.ratelimit import wait_text
from kansou.core.params import DB_INT_MAX
from kansou.discovery.interactions import mal_anime_ids
from kansou.discovery.recommendations.views import MAX_EPISODES, TOO_MANY_UPLOADS, upload_wait
from kansou.discovery.selectors import (
    RecommendationFilters,
    Recommendations,
    Suggestion,
    anime_more_like_this,
    recommendations_for_history,
    recommendations_for_mal_export,
)

router = Router(tags=["recommendations"])
MAX_ITEMS = 500
NO_MODEL = "no trained model yet: the site operator runs `kansou train`"


class FranchiseEntryOut(Schema):
    id: int
    title: str
    url: str


class SuggestionOut(Schema):
    id: int
    title: str
    url: str
    type: str
    year: int | None
    episodes: int
    score: float
    reasons: list[str]
    also: list[FranchiseEntryOut] = Field(
        default=[], description="More entries of this title's franchise, shown with it."
    )

    @classmethod
    def of(cls, request: HttpRequest, s: Suggestion) -> SuggestionOut:
        return cls(
            id=s.anime.pk,
            title=s.anime.title,
            url=request.build_absolute_uri(s.anime.get_absolute_url()),
            type=s.anime.kind,
            year=s.anime.year,
            episodes=s.anime.episodes,
            score=round(s.score, 4),
            reasons=s.reasons,
            also=[
                FranchiseEntryOut(
                    id=a.pk, title=a.title, url=request.build_absolute_uri(a.get_absolute_url())
                )
                for a in s.also
            ],
        )


class SimilarOut(Schema):
    id: int
    title: str
    results: list[SuggestionOut]


class RecommendationsOut(Schema):
    used: int = Field(description="Titles used as taste.")
    unknown: int = Field(description="Titles not in the catalog or the model.")
    results: list[SuggestionOut]


class FiltersIn(Schema):
    type: list[Literal[tuple(k for k, _ in AnimeType.choices)]] = []  # type: ignore[misc]
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)
    max_episodes: int | None = Field(None, ge=1, le=MAX_EPISODES)

    def as_filters(self) -> RecommendationFilters:
        return RecommendationFilters(
            tuple(self.type), self.year_from, self.year_to, self.max_episodes
        )


class FormFiltersIn(FiltersIn):
    """The same filters as form fields: a form cannot send null, so the schema says integer
    (absent means no filter)."""

    year_from: int = Field(None, ge=1900, le=2100)  # type: ignore[assignment]
    year_to: int = Field(None, ge=1900, le=2100)  # type: ignore[assignment]
    max_episodes: int = Field(None, ge=1, le=MAX_EPISODES)  # type: ignore[assignment]


_SCORE = Field(None, ge=1, le=10, strict=True, description="1–10; none means loved.")


class ItemById(Schema):
    """A title by its Kansou id."""

    model_config = ConfigDict(extra="forbid")
    id: int = Field(..., ge=1, le=DB_INT_MAX, description="Kansou anime id.")
    score: float | None = _SCORE

    @property
    def mal_id(self) -> None:
        return None


class ItemByMal(Schema):
    """A title by its MyAnimeList id."""

    model_config = ConfigDict(extra="forbid")
    mal_id: int = Field(..., ge=1, le=DB_INT_MAX, description="MyAnimeList id.")
    score: float | None = _SCORE

    @property
    def id(self) -> None:
        return None


# Exactly one of ``id`` or ``mal_id``: the schema says so (two closed objects), not only the code.
ItemIn = ItemById | ItemByMal


class RecommendIn(FiltersIn):
    items: list[ItemIn] = Field(..., min_length=1, max_length=MAX_ITEMS)
    n: int = Field(20, ge=1, le=100)


def _out(request, result: Recommendations) -> RecommendationsOut:
    if not result.available:
        raise HttpError(503, NO_MODEL)
    return RecommendationsOut(
        used=result.used,
        unknown=result.unknown,
        results=[SuggestionOut.of(request, s) for s in result.suggestions],
    )


@router.get(
    "/anime/{anime_id}/similar",
    response={200: SimilarOut, 404: ErrorOut},
    summary="Anime like this one, with reasons",
)
def anime_similar(
    request: HttpRequest,
    anime_id: int = Path(..., ge=1, le=DB_INT_MAX),
    n: int = Query(10, ge=1, le=50),
):
    anime = Anime.objects.filter(pk=anime_id).first()
    if anime is None:
        return Status(404, {"detail": f"no anime with id {anime_id}"})
    found = anime_more_like_this(anime=anime, n=n)
    return SimilarOut(
        id=anime.pk, title=anime.title, results=[SuggestionOut.of(request, s) for s in found]
    )


@router.post(
    "/recommendations",
    response={200: RecommendationsOut, 503: ErrorOut},
    summary="Recommendations for a list of titles",
)
def recommendations(request: HttpRequest, body: RecommendIn):
    """Items are Kansou ids or MAL ids, each with an optional score; listed titles are never
    recommended. Titles scored below 7 are excluded but not used as taste."""
    mal = mal_anime_ids(i.mal_id for i in body.items if i.mal_id is not None)
    entries = []
    unmatched = 0
    for item in body.items:
        anime_id = item.id if item.id is not None else mal.get(item.mal_id)
        if anime_id is None:
            unmatched += 1
        else:
            entries.append((anime_id, item.score))
    result = recommendations_for_history(entries=entries, filters=body.as_filters(), n=body.n)
    result.unknown += unmatched
    return _out(request, result)


# The file cap plus the multipart envelope around it (boundaries, the other fields).
_UPLOAD_LIMIT = MAX_COMPRESSED + 64 * 1024
_RETRY_AFTER = {
    "description": "Seconds until this address may upload again.",
    "schema": {"type": "integer"},
}


def _upload_guard(run):
    """Before the body is read: 413 when the declared body is over the file cap, 429 past the
    anonymous upload limit (counted here, whatever the file turns out to be)."""

    @wraps(run)
    def guarded(request, *args, **kwargs):
        length = (request.META.get("CONTENT_LENGTH") or "0").strip()
        too_long = length.isdigit() and (len(length) > 12 or int(length) > _UPLOAD_LIMIT)
        if too_long:
            detail = f"The upload is larger than {MAX_COMPRESSED // (1024 * 1024)} MB."
            return JsonResponse({"detail": detail}, status=413)
        wait = upload_wait(request)
        if wait:
            detail = TOO_MANY_UPLOADS.format(wait=wait_text(wait))
            return JsonResponse({"detail": detail}, status=429, headers={"Retry-After": str(wait)})
        return run(request, *args, **kwargs)

    return guarded


@router.post(
    "/recommendations/mal-export",
    response={200: RecommendationsOut, 400: ErrorOut, 413: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="Recommendations for a MyAnimeList export (multipart upload)",
    description=(
        "Anonymous uploads are limited per client address (429 with Retry-After); an export "
        "over a cap (file size, uncompressed size, number of entries) is refused with 413."
    ),
    openapi_extra={"responses": {429: {"headers": {"Retry-After": _RETRY_AFTER}}}},
)
@decorate_view(_upload_guard)
def recommendations_mal_export(
    request: HttpRequest,
    file: File[UploadedFile],
    filters: Form[FormFiltersIn] = None,
    n: int = Form(20, ge=1, le=100),
):
    try:
        export = read_mal_file(file.file)
    except MalXmlTooLarge as exc:
        return Status(413, {"detail": f"{file.name}: {exc}"})
    except MalXmlError as exc:
        return Status(400, {"detail": f"{file.name}: {exc}"})
    applied = filters.as_filters() if filters else RecommendationFilters()
    return _out(request, recommendations_for_mal_export(export=export, filters=applied, n=n))
