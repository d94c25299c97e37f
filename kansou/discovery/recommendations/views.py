"""The personal recommendations page, /discover/.

A reader uploads a MyAnimeList export or ticks titles found with the search box, sets filters,
and gets recommendations that leave out what they listed. Logged-in readers with a list get
recommendations from it without doing anything. Plain forms: no script needed.

An export is read within ``mal_xml``'s caps (413 past them, saying which); anonymous uploads are
limited per client address (``KANSOU_UPLOAD_RATE``, 429 with ``Retry-After``). Every number in
the query is range-checked (``kansou.core.params``): out of range reads as absent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kansou.catalog.importers.mal_xml import MalXmlError, MalXmlTooLarge, read_mal_file
from kansou.catalog.models import Anime, AnimeType
from kansou.catalog.selectors import anime_find
from kansou.community.ratelimit import ip_rate_hit, wait_text
from kansou.core.params import id_params, int_param
from kansou.discovery.selectors import (
    RecommendationFilters,
    Recommendations,
    reader_recommendations,
    recommendations_for_history,
    recommendations_for_mal_export,
)

RESULTS = 20
FOUND = 12
MAX_PICKED = 200
YEARS = {"low": 1900, "high": 2100}
MAX_EPISODES = 100_000
TOO_MANY_UPLOADS = "Too many uploads from your address. You can try again in {wait}."


def filters_from(data) -> RecommendationFilters:
    kinds = {k for k, _ in AnimeType.choices}
    return RecommendationFilters(
        types=tuple(t for t in data.getlist("type") if t in kinds),
        year_from=int_param(data.get("year_from"), **YEARS),
        year_to=int_param(data.get("year_to"), **YEARS),
        max_episodes=int_param(data.get("max_episodes"), high=MAX_EPISODES),
    )


def upload_wait(request: HttpRequest) -> int:
    """Count an anonymous upload against its address; the seconds to wait when over the limit.
    Signed-in readers are not counted."""
    if request.user.is_authenticated:
        return 0
    return ip_rate_hit(request, scope="upload-ip", rates=settings.KANSOU_UPLOAD_RATE)


@dataclass
class _Answer:
    result: Recommendations | None = None
    source: str = ""
    error: str = ""
    status: int = 200
    retry_after: int = 0


def _from_upload(request: HttpRequest, upload, filters: RecommendationFilters) -> _Answer:
    wait = upload_wait(request)
    if wait:
        return _Answer(
            error=TOO_MANY_UPLOADS.format(wait=wait_text(wait)), status=429, retry_after=wait
        )
    try:
        export = read_mal_file(upload.file)
    except MalXmlTooLarge as exc:
        return _Answer(error=f"{upload.name}: {exc}", status=413)
    except MalXmlError as exc:
        return _Answer(error=f"{upload.name}: {exc}", status=400)
    result = recommendations_for_mal_export(export=export, filters=filters, n=RESULTS)
    return _Answer(result, f"your MyAnimeList export ({len(export.entries)} entries)")


def discover(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    filters = filters_from(data)
    picked_ids = id_params(data.getlist("anime"), limit=MAX_PICKED)
    picked = list(Anime.objects.filter(pk__in=picked_ids).only("pk", "title", "year", "kind"))
    query = (data.get("q") or "").strip()[:200]
    found = [m.anime for m in anime_find(query=query, limit=FOUND)] if query else []
    found = [a for a in found if a.pk not in set(picked_ids)]
    answer = _Answer()
    upload = request.FILES.get("mal_export")
    if request.method == "POST" and upload is not None:
        answer = _from_upload(request, upload, filters)
    elif picked and "recommend" in data:
        answer.result = recommendations_for_history(
            entries=[(a.pk, None) for a in picked], filters=filters, n=RESULTS
        )
        answer.source = f"the {len(picked)} title{'s' if len(picked) != 1 else ''} you picked"
    elif request.user.is_authenticated and not query and not picked:
        mine = reader_recommendations(user=request.user, filters=filters, n=RESULTS)
        if mine.used:
            answer = _Answer(mine, "your list")
    context = {
        "filters": filters,
        "types": [c for c in AnimeType.choices if c[0] != AnimeType.UNKNOWN],
        "picked": picked,
        "found": found,
        "query": query,
        "result": answer.result,
        "source": answer.source,
        "error": answer.error,
    }
    response = render(request, "discovery/discover.html", context, status=answer.status)
    if answer.retry_after:
        response["Retry-After"] = str(answer.retry_after)
    return response
