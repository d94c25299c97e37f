"""The desk's pages. Every page that names a review finds it in
``Review.objects.editable_by(request.user)`` on GET and POST alike: anyone else gets a 404 (an
anonymous visitor, the log-in page). Form errors, stale versions and bad input answer with the
page (or JSON, for the page's script) saying what and where; never a 500."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from kansou.catalog.models import Anime
from kansou.catalog.selectors import anime_find
from kansou.catalog.templatetags.posters import poster_url
from kansou.reviews.desk import services
from kansou.reviews.desk.forms import (
    DeskForms,
    anime_or_none,
    initial_for,
    reference_of,
    rows_from_input,
)
from kansou.reviews.desk.preview import review_preview, review_saved_input
from kansou.reviews.desk.revisions import review_snapshot, revision_diff, revision_restore
from kansou.reviews.models import EDITOR_PERMISSION, Review, ReviewStatus, RevisionKind

LOOKUP_LIMIT = 8
QUERY_MAX = 200
SAVED = {"save": "Saved.", "publish": "Published.", "schedule": "Scheduled.",
         "unpublish": "Back to draft: the review has left the site."}  # fmt: skip
NEEDS_TIME = "Pick the time to publish at, then press Schedule."
NO_ANIME = "Choose the anime reviewed first: suggestions come from its catalog entry."
NOTHING_SUGGESTED = (
    "Saved. Nothing new to suggest for this anime (no trained model yet, too little known "
    "about it, or its suggestions are here already)."
)
NOT_AUTOSAVED = "Only drafts are saved automatically: press Update to change the public review."


def may_write(user) -> bool:
    return user.has_perm("reviews.add_review") or user.has_perm(EDITOR_PERMISSION)


def _review(request: HttpRequest, review_id: int) -> Review:
    queryset = Review.objects.editable_by(request.user).select_related("anime")
    return get_object_or_404(queryset, pk=review_id)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
def desk_index(request: HttpRequest) -> HttpResponse:
    """The signed-in author's reviews, the most recently changed first."""
    reviews = (
        Review.objects.editable_by(request.user).select_related("anime").order_by("-updated_at")
    )
    rows = [(review, services.review_state(review)) for review in reviews]
    return render(request, "reviews/desk/index.html",
                  {"rows": rows, "may_write": may_write(request.user)})  # fmt: skip


@login_required
@require_POST
def desk_new(request: HttpRequest) -> HttpResponse:
    if not may_write(request.user):
        raise PermissionDenied("Writing reviews needs the author role.")
    review = services.desk_review_create(by=request.user)
    return redirect("desk:edit", review_id=review.pk)


def _preview_document(request: HttpRequest, review: Review, data) -> str:
    article = review_preview(request=request, review=review, data=data)
    return render_to_string("reviews/desk/_preview_document.html", {"article": article}, request)


def _page(request, review, forms: DeskForms, data=None, *, notice="", status=200, conflict=False):
    data = data if data is not None else review_saved_input(review)
    context = {
        "review": review, "forms": forms, "form": forms.main, "parts": forms.parts,
        "state": services.review_state(review), "notice": notice, "conflict": conflict,
        "preview": _preview_document(request, review, data),
        "autosave": review.status == ReviewStatus.DRAFT,
    }  # fmt: skip
    return render(request, "reviews/desk/edit.html", context, status=status)


def _unbound(review: Review) -> DeskForms:
    initial, rows = initial_for(review)
    return DeskForms(review=review, initial=initial, rows=rows)


@login_required
def desk_edit(request: HttpRequest, review_id: int) -> HttpResponse:
    """The review's page; POST saves (``action``: save, autosave, preview, suggest, publish,
    schedule, unpublish)."""
    review = _review(request, review_id)
    if request.method != "POST":
        return _page(request, review, _unbound(review))
    forms = DeskForms(review=review, data=request.POST)
    action = request.POST.get("action", "save")
    if not forms.is_valid():
        return _invalid(request, review, forms)
    data = forms.review_input()
    if action == "preview":
        return _page(request, review, forms, data)
    if action == "autosave" and review.status != ReviewStatus.DRAFT:
        return JsonResponse({"message": NOT_AUTOSAVED}, status=400)
    if action == "schedule" and forms.main.cleaned_data["publish_at"] is None:
        forms.main.add_error("publish_at", NEEDS_TIME)
        return _invalid(request, review, forms)
    if action == "suggest":
        if data.anime is None:
            forms.main.add_error("anime", NO_ANIME)
            return _invalid(request, review, forms)
        had = len(data.audience)
        data.audience = services.desk_audience_suggest(data=data)
        if len(data.audience) == had:
            action = "suggest-none"
    return _save(request, review, forms, data, action)


def _save(request, review, forms: DeskForms, data, action: str) -> HttpResponse:
    version = forms.main.cleaned_data["version"]
    args = {"review": review, "data": data, "version": version, "by": request.user}
    try:
        if action in ("publish", "schedule"):
            at = forms.main.cleaned_data["publish_at"] if action == "schedule" else None
            review = services.desk_review_publish(**args, at=at)
        elif action == "unpublish":
            review = services.desk_review_unpublish(**args)
        else:
            kind = RevisionKind.AUTOSAVE if action == "autosave" else RevisionKind.SAVE
            review = services.desk_review_save(**args, kind=kind)
    except services.StaleVersion as stale:
        if _wants_json(request):
            return JsonResponse({"message": stale.message, "conflict": True}, status=409)
        return _page(request, review, forms, data, notice=stale.message, status=409, conflict=True)
    except ValidationError as exc:
        _attach(forms, exc)
        return _invalid(request, review, forms)
    if _wants_json(request):
        return JsonResponse({
            "version": services.review_version(review),
            "saved_at": timezone.now().isoformat(),  # the page shows it in the reader's time
            "state": services.review_state(review),
            "slug": review.slug,
        })  # fmt: skip
    if action == "suggest":
        messages.success(request, "Suggested profiles added under “Who should watch”: edit them.")
    elif action == "suggest-none":
        messages.warning(request, NOTHING_SUGGESTED)
    else:
        messages.success(request, SAVED.get(action, SAVED["save"]))
    return redirect("desk:edit", review_id=review.pk)


def _attach(forms: DeskForms, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for name, messages_ in errors.items():
        field = name if name in forms.main.fields else None
        for message in messages_:
            forms.main.add_error(field, message if field else f"{name}: {message}")


def _invalid(request, review, forms: DeskForms) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"message": "Not saved: correct the fields marked.", "errors": forms.errors_by_field()},
            status=400,
        )
    return _page(request, review, forms, notice="Not saved: correct the fields marked below.")


@login_required
def desk_preview(request: HttpRequest, review_id: int) -> HttpResponse:
    """The preview document: of the posted form (the page's script), else of the saved review."""
    review = _review(request, review_id)
    data = None
    if request.method == "POST":
        forms = DeskForms(review=review, data=request.POST)
        if forms.is_valid():
            data = forms.review_input()
        else:
            errors = forms.errors_by_field()
            return JsonResponse({"message": "Preview waits for valid fields.", "errors": errors},
                                status=400)  # fmt: skip
    return HttpResponse(_preview_document(request, review, data or review_saved_input(review)))


@login_required
def desk_suggest(request: HttpRequest, review_id: int) -> HttpResponse:
    """Suggested "who should watch" rows for the anime in the form (or the saved one), as
    JSON for the page's script to append; nothing is saved."""
    review = _review(request, review_id)
    anime = review.anime
    if request.method == "POST":
        anime = anime_or_none(request.POST.get("anime", ""))
    if anime is None:
        return JsonResponse({"message": NO_ANIME, "profiles": []}, status=400)
    data = review_saved_input(review)
    data.anime, data.audience = anime, []
    data.audience = services.desk_audience_suggest(data=data)
    return JsonResponse({"profiles": rows_from_input(data)["audience"]})


@login_required
def desk_revisions(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    revisions = review.revisions.select_related("author")
    return render(request, "reviews/desk/revisions.html",
                  {"review": review, "revisions": revisions,
                   "state": services.review_state(review)})  # fmt: skip


@login_required
def desk_revision(request: HttpRequest, review_id: int, revision_id: int) -> HttpResponse:
    """One revision compared with the review as it is now; POST restores it."""
    review = _review(request, review_id)
    revision = get_object_or_404(review.revisions.select_related("author"), pk=revision_id)
    if request.method == "POST":
        try:
            revision_restore(revision=revision, by=request.user)
        except ValidationError as exc:
            messages.error(request, "Not restored: " + " ".join(exc.messages))
            return redirect("desk:revision", review_id=review.pk, revision_id=revision.pk)
        messages.success(request, f"Restored the revision of {revision.created_at:%-d %b %H:%M}.")
        return redirect("desk:edit", review_id=review.pk)
    diff = revision_diff(revision.text, review_snapshot(review=review))
    return render(request, "reviews/desk/revision.html",
                  {"review": review, "revision": revision, "diff": diff,
                   "state": services.review_state(review)})  # fmt: skip


def _poster(anime: Anime) -> str:
    return poster_url(anime, 92)  # our stored copy or the generated cover: never a hotlink


@login_required
def desk_anime_lookup(request: HttpRequest) -> HttpResponse:
    """Catalog titles for the pickers, best first (the catalog's own title ranking)."""
    if not may_write(request.user):
        raise PermissionDenied("Writing reviews needs the author role.")
    query = request.GET.get("q", "").strip()[:QUERY_MAX]
    matches = anime_find(query=query, limit=LOOKUP_LIMIT) if query else []
    results = [
        {"id": m.anime.pk, "title": m.anime.title, "reference": reference_of(m.anime),
         "matched": m.matched_title if m.matched_title != m.anime.title else "",
         "kind": m.anime.get_kind_display(), "year": m.anime.year, "poster": _poster(m.anime)}
        for m in matches
    ]  # fmt: skip
    return JsonResponse({"query": query, "results": results})


@login_required
def desk_characters(request: HttpRequest) -> HttpResponse:
    """The catalog's characters of ``?anime=<id>``, for the character pickers."""
    if not may_write(request.user):
        raise PermissionDenied("Writing reviews needs the author role.")
    raw = request.GET.get("anime", "")
    if not raw.isdigit():
        return JsonResponse({"message": "anime: expected a catalog id, e.g. ?anime=133"},
                            status=400)  # fmt: skip
    anime = Anime.objects.filter(pk=int(raw)).first()
    if anime is None:
        return JsonResponse({"message": f"anime: no anime with id #{raw}"}, status=404)
    characters = [{"id": c.pk, "name": c.name, "role": c.get_role_display()}
                  for c in anime.characters.all()]  # fmt: skip
    return JsonResponse({"anime": anime.pk, "characters": characters})
