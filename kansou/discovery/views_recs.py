"""The personal recommendations page, /discover/.

A reader uploads a MyAnimeList export or ticks titles found with the search box, sets filters,
and gets recommendations that leave out what they listed. Logged-in readers with a list get
recommendations from it without doing anything. Plain forms: no script needed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kansou.catalog.models import Anime, AnimeType
from kansou.catalog.selectors import anime_find
from kansou.community.mal_xml import MalXmlError, read_mal_file
from kansou.discovery.selectors import (
    RecommendationFilters,
    Recommendations,
    reader_recommendations,
    recommendations_for_history,
    recommendations_for_mal_export,
)

RESULTS = 20
FOUND = 12


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def filters_from(data) -> RecommendationFilters:
    kinds = {k for k, _ in AnimeType.choices}
    return RecommendationFilters(
        types=tuple(t for t in data.getlist("type") if t in kinds),
        year_from=_int(data.get("year_from")),
        year_to=_int(data.get("year_to")),
        max_episodes=_int(data.get("max_episodes")),
    )


def discover(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    filters = filters_from(data)
    picked_ids = [int(v) for v in data.getlist("anime") if v.isdigit()][:200]
    picked = list(Anime.objects.filter(pk__in=picked_ids).only("pk", "title", "year", "kind"))
    query = (data.get("q") or "").strip()[:200]
    found = [m.anime for m in anime_find(query=query, limit=FOUND)] if query else []
    found = [a for a in found if a.pk not in set(picked_ids)]
    result: Recommendations | None = None
    source, error = "", ""
    upload = request.FILES.get("mal_export")
    if request.method == "POST" and upload is not None:
        try:
            export = read_mal_file(upload.file)
        except MalXmlError as exc:
            error = f"{upload.name}: {exc}"
        else:
            result = recommendations_for_mal_export(export=export, filters=filters, n=RESULTS)
            source = f"your MyAnimeList export ({len(export.entries)} entries)"
    elif picked and "recommend" in data:
        result = recommendations_for_history(
            entries=[(a.pk, None) for a in picked], filters=filters, n=RESULTS
        )
        source = f"the {len(picked)} title{'s' if len(picked) != 1 else ''} you picked"
    elif request.user.is_authenticated and not query and not picked:
        result = reader_recommendations(user=request.user, filters=filters, n=RESULTS)
        source = "your list" if result.used else ""
        if not result.used:
            result = None
    context = {
        "filters": filters,
        "types": [c for c in AnimeType.choices if c[0] != AnimeType.UNKNOWN],
        "picked": picked,
        "found": found,
        "query": query,
        "result": result,
        "source": source,
        "error": error,
    }
    return render(request, "discovery/discover.html", context, status=400 if error else 200)
