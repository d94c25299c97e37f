"""Pages for recommendation pairs: every recent one (/recommendations/), an anime's, the form to
add one, agreeing, deleting one's own, and the moderators' queue.

Plain forms, no script needed. Each page takes the same decision on GET and on POST: a page
that changes a pair shows its confirmation (or form) on GET to whoever may change it, and 404 (or
403 for the queue) to everyone else whatever the method. A pair someone may not see is a 404,
never a hint that it exists.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from kansou.catalog.models import Anime
from kansou.community.comments.forms import ModerationForm
from kansou.community.models import CommentStatus, ModerationLog
from kansou.community.moderation import MODERATE_PERMISSION
from kansou.core.clientip import client_ip
from kansou.core.forms import errors_onto
from kansou.discovery.pairs import services as pairs
from kansou.discovery.pairs.forms import AgreeForm, PairForm
from kansou.discovery.pairs.models import AnimePair
from kansou.discovery.pairs.selectors import (
    anime_pairs,
    other_anime_lookup,
    pairs_pending,
    pairs_recent,
    with_viewer_facts,
)

PAGE_SIZE = 20
NAME_A_TITLE = "Name the title you recommend."
NO_MATCH = "No anime in the catalog is called “{query}”."
NO_SUCH_ANIME = "That anime is not in the catalog."
LOG_SIZE = 30
RELATED = ("anime_a", "anime_b", "user", "review")


def _page(request: HttpRequest, pairs_qs) -> dict:
    page = Paginator(pairs_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_viewer_facts(list(page.object_list), viewer=request.user)
    return {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
    }


def pairs_list(request: HttpRequest) -> HttpResponse:
    """Every recent recommendation anyone may see (plus the viewer's own pending ones)."""
    context = _page(request, pairs_recent(viewer=request.user))
    return render(request, "discovery/pairs/list.html", context)


def anime_pairs_page(request: HttpRequest, anime_id: int) -> HttpResponse:
    anime = get_object_or_404(Anime.objects.only("pk", "title", "kind", "year"), pk=anime_id)
    context = _page(request, anime_pairs(anime=anime, viewer=request.user))
    context.update(anime=anime, form=PairForm())
    return render(request, "discovery/pairs/anime.html", context)


def _other(anime: Anime, data: dict) -> tuple[Anime | None, list[Anime], str]:
    """The anime the form names, or the candidates to pick from, or an error."""
    if data["other"]:
        other = Anime.objects.filter(pk=data["other"]).first()
        return other, [], "" if other else NO_SUCH_ANIME
    query = data["title"].strip()
    if not query:
        return None, [], NAME_A_TITLE
    other, candidates = other_anime_lookup(anime=anime, query=query)
    if other is None and not candidates:
        return None, [], NO_MATCH.format(query=query)
    return other, candidates, ""


@login_required
def pair_add(request: HttpRequest, anime_id: int) -> HttpResponse:
    """The form: a title (resolved, or candidates offered) and a pitch."""
    anime = get_object_or_404(Anime.objects.only("pk", "title", "kind", "year"), pk=anime_id)
    form = PairForm(request.POST or None, initial={"title": request.GET.get("title", "")[:200]})
    candidates, status, retry = [], 200, 0
    if request.method == "POST" and form.is_valid():
        other, candidates, error = _other(anime, form.cleaned_data)
        if error:
            form.add_error("title" if error != NO_SUCH_ANIME else "other", error)
        if other is not None:
            try:
                submitted = pairs.pair_submit(
                    anime=anime,
                    other=other,
                    user=request.user,
                    pitch=form.cleaned_data["pitch"],
                    ip=client_ip(request),
                )
            except pairs.PairRateLimited as refusal:
                errors_onto(form, refusal)
                status, retry = 429, refusal.seconds
            except ValidationError as refusal:
                errors_onto(form, refusal)
                status = 403 if isinstance(refusal, pairs.PairForbidden) else 400
            else:
                messages.success(request, submitted.message)
                return redirect(reverse("pairs:anime", args=[anime.pk]) + "#pairs")
    if form.errors and status == 200:
        status = 400
    context = {"anime": anime, "form": form, "candidates": candidates}
    response = render(request, "discovery/pairs/add.html", context, status=status)
    if retry:
        response["Retry-After"] = str(retry)
    return response


def _next_url(request: HttpRequest, fallback: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and allowed else fallback


@login_required
def pair_agree_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Agree with a pair, or withdraw one's agreement; GET shows the pair and the button."""
    pair = get_object_or_404(AnimePair.objects.shown().select_related(*RELATED), pk=pk)
    back = _next_url(request, reverse("pairs:anime", args=[pair.anime_a_id]) + "#pairs")
    form = AgreeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["action"] == "agree":
                pairs.pair_agree(pair=pair, user=request.user)
                messages.success(request, pairs.AGREED)
            else:
                pairs.pair_withdraw(pair=pair, user=request.user)
                messages.success(request, pairs.WITHDRAWN)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        return redirect(back)
    with_viewer_facts([pair], viewer=request.user)
    context = {"pair": pair, "next": back, "agreements": pair.agreements.count()}
    return render(request, "discovery/pairs/agree.html", context)


@login_required
def pair_delete_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Its author deletes a pair; anyone else (and a pair taken down) gets 404."""
    live = (CommentStatus.PENDING, CommentStatus.APPROVED)
    own = AnimePair.objects.filter(user=request.user, status__in=live)
    pair = get_object_or_404(own.select_related(*RELATED), pk=pk)
    if request.method == "POST":
        pairs.pair_delete(pair=pair, user=request.user)
        messages.success(request, pairs.DELETED)
        return redirect(reverse("pairs:anime", args=[pair.anime_a_id]) + "#pairs")
    return render(request, "discovery/pairs/delete.html", {"pair": pair})


@permission_required(MODERATE_PERMISSION, raise_exception=True)
def pairs_moderation_page(request: HttpRequest) -> HttpResponse:
    log = (
        ModerationLog.objects.filter(comment__isnull=True, note__startswith="recommendation #")
        .select_related("actor", "subject")
        .order_by("-at")[:LOG_SIZE]
    )
    context = {"pending": pairs_pending(), "log": log, "form": ModerationForm()}
    return render(request, "discovery/pairs/moderation.html", context)


def _act(request: HttpRequest, pair: AnimePair, form: ModerationForm) -> None:
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    moderator = request.user
    if action == "approve":
        pairs.pair_approve(pair=pair, moderator=moderator)
    elif action == "hide":
        pairs.pair_hide(pair=pair, moderator=moderator, reason=reason)
    elif action == "spam":
        pairs.pair_mark_spam(pair=pair, moderator=moderator, reason=reason)
    else:
        days = form.cleaned_data["ban_days"]
        until = timezone.now() + dt.timedelta(days=days) if days else None
        pairs.pair_ban_author(pair=pair, moderator=moderator, reason=reason, until=until)


@permission_required(MODERATE_PERMISSION, raise_exception=True)
def pairs_moderation_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, hide, mark as spam, or ban the author of one pair; GET shows the pair with
    those buttons."""
    pair = get_object_or_404(AnimePair.objects.moderatable().select_related(*RELATED), pk=pk)
    if request.method != "POST":
        return render(request, "discovery/pairs/moderate.html", {"pair": pair})
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve, hide, spam or ban.")
        return redirect("pairs:moderation")
    try:
        _act(request, pair, form)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"Recommendation #{pair.pk}: {form.cleaned_data['action']} done.")
    return redirect("pairs:moderation")
