"""Browser editing of an entry: local corrections that win over imported values.

Every view needs the ``catalog.change_anime`` permission (anonymous visitors are sent to log in,
logged-in users without it get 403). A POST parses one small form, calls one service from
``services.corrections`` and redirects back with a notice; invalid input re-renders the page
with the errors next to the fields.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kansou.catalog.forms import (
    AnimeCorrectionForm,
    CharacterForm,
    CompanyForm,
    StaffForm,
    TagForm,
    TitleForm,
    add_service_errors,
)
from kansou.catalog.models import Anime, AnimeCompany, AnimeTag, AnimeTitle, Origin
from kansou.catalog.services import corrections
from kansou.catalog.services.corrections import STAFF_ROLE_SUGGESTIONS
from kansou.catalog.text import normalize_title

PERMISSION = "catalog.change_anime"


def _author_only(view: Callable) -> Callable:
    return login_required(permission_required(PERMISSION, raise_exception=True)(view))


@_author_only
def anime_edit(request: HttpRequest, pk: int) -> HttpResponse:
    anime = get_object_or_404(Anime, pk=pk)
    form = AnimeCorrectionForm(request.POST or None, anime=anime)
    if request.method == "POST" and form.is_valid():
        values = form.corrected_values()
        if not values:
            messages.info(request, "Nothing changed.")
            return _back(anime)
        try:
            corrections.anime_correct(anime=anime, values=values, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved corrections: {', '.join(values)}.")
            return _back(anime)
    return _page(request, anime, scalars=form)


@require_POST
@_author_only
def anime_edit_reset(request: HttpRequest, pk: int) -> HttpResponse:
    anime = get_object_or_404(Anime, pk=pk)
    field = request.POST.get("field", "")
    try:
        corrections.anime_reset_field(anime=anime, field=field, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{field}: imported value restored.")
    return _back(anime, "facts")


@require_POST
@_author_only
def anime_edit_tags(request: HttpRequest, pk: int) -> HttpResponse:
    anime = get_object_or_404(Anime, pk=pk)
    action = request.POST.get("action")
    if action == "add":
        form = TagForm(request.POST, prefix="tag")
        return _submit(
            request,
            anime,
            form,
            "tags",
            lambda data: corrections.anime_tag_add(anime=anime, by=request.user, **data),
            "Tag added.",
        )
    row = get_object_or_404(AnimeTag, anime=anime, pk=request.POST.get("row"))
    operations = {"hide": corrections.anime_tag_hide, "restore": corrections.anime_tag_restore}
    return _row_action(
        request,
        anime,
        "tags",
        operations,
        action,
        row,
        f"Tag “{row.tag}”",
        anime=anime,
        tag=row.tag,
    )


@require_POST
@_author_only
def anime_edit_companies(request: HttpRequest, pk: int) -> HttpResponse:
    anime = get_object_or_404(Anime, pk=pk)
    action = request.POST.get("action")
    if action == "add":
        form = CompanyForm(request.POST, prefix="company")
        return _submit(
            request,
            anime,
            form,
            "companies",
            lambda data: corrections.anime_company_add(anime=anime, by=request.user, **data),
            "Company added.",
        )
    row = get_object_or_404(AnimeCompany, anime=anime, pk=request.POST.get("row"))
    operations = {
        "hide": corrections.anime_company_hide,
        "restore": corrections.anime_company_restore,
    }
    return _row_action(
        request,
        anime,
        "companies",
        operations,
        action,
        row,
        f"“{row.company}”",
        anime=anime,
        company=row.company,
    )


@require_POST
@_author_only
def anime_edit_titles(request: HttpRequest, pk: int) -> HttpResponse:
    anime = get_object_or_404(Anime, pk=pk)
    action = request.POST.get("action")
    if action == "add":
        form = TitleForm(request.POST, prefix="title")
        return _submit(
            request,
            anime,
            form,
            "titles",
            lambda data: corrections.anime_title_add(anime=anime, by=request.user, **data),
            "Title added.",
        )
    row = get_object_or_404(AnimeTitle, anime=anime, pk=request.POST.get("row"))
    operations = {"hide": corrections.anime_title_hide, "restore": corrections.anime_title_restore}
    return _row_action(
        request,
        anime,
        "titles",
        operations,
        action,
        row,
        f"Title “{row.text}”",
        anime=anime,
        title=row,
    )


@require_POST
@_author_only
def anime_edit_staff(request: HttpRequest, pk: int) -> HttpResponse:
    anime = get_object_or_404(Anime, pk=pk)
    action = request.POST.get("action")
    if action == "add":
        form = StaffForm(request.POST, prefix="staff-new")
        return _submit(
            request,
            anime,
            form,
            "staff",
            lambda data: corrections.anime_staff_add(anime=anime, by=request.user, **data),
            "Staff credit added.",
        )
    credit = get_object_or_404(anime.staff.select_related("person"), pk=request.POST.get("row"))
    if action == "remove":
        corrections.anime_staff_remove(credit=credit, by=request.user)
        messages.success(request, f"Removed {credit.person}: {credit.role}.")
        return _back(anime, "staff")
    if action == "edit":
        form = StaffForm(request.POST, prefix=f"staff-{credit.pk}")
        return _submit(
            request,
            anime,
            form,
            "staff",
            lambda data: corrections.anime_staff_edit(credit=credit, by=request.user, **data),
            "Staff credit saved.",
            row=credit.pk,
        )
    return HttpResponseBadRequest("Unknown action.")


@require_POST
@_author_only
def anime_edit_characters(request: HttpRequest, pk: int) -> HttpResponse:
    anime = get_object_or_404(Anime, pk=pk)
    action = request.POST.get("action")
    if action == "add":
        form = CharacterForm(request.POST, prefix="character-new")
        return _submit(
            request,
            anime,
            form,
            "characters",
            lambda data: corrections.anime_character_add(anime=anime, by=request.user, **data),
            "Character added.",
        )
    character = get_object_or_404(anime.characters, pk=request.POST.get("row"))
    if action == "remove":
        corrections.anime_character_remove(character=character, by=request.user)
        messages.success(request, f"Removed {character.name}.")
        return _back(anime, "characters")
    if action == "edit":
        form = CharacterForm(request.POST, prefix=f"character-{character.pk}")
        return _submit(
            request,
            anime,
            form,
            "characters",
            lambda data: corrections.anime_character_edit(
                character=character, by=request.user, **data
            ),
            "Character saved.",
            row=character.pk,
        )
    return HttpResponseBadRequest("Unknown action.")


def _submit(request, anime, form, section: str, service: Callable, notice: str, row=None):
    """Validate ``form``, call ``service`` with its data, redirect; else re-render with errors."""
    if form.is_valid():
        try:
            service(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, notice)
            return _back(anime, section)
    return _page(request, anime, bound={(section, row): form})


def _row_action(
    request, anime, section: str, operations: dict, action, row, label: str, /, **target
):
    """Hide or restore one row; a local row hidden is removed, so the notice says so."""
    if action not in operations:
        return HttpResponseBadRequest("Unknown action.")
    try:
        operations[action](by=request.user, **target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        hidden = "removed" if row.origin == Origin.LOCAL else "hidden"
        done = hidden if action == "hide" else "restored"
        messages.success(request, f"{label}: {done}.")
    return _back(anime, section)


def _back(anime: Anime, section: str = "") -> HttpResponse:
    response = redirect("catalog:anime-edit", pk=anime.pk)
    if section:
        response["Location"] += f"#{section}"
    return response


def _page(request, anime: Anime, *, scalars=None, bound=None) -> HttpResponse:
    """The edit page; ``bound`` maps ``(section, row id or None)`` to a form with errors."""
    bound = bound or {}
    staff = list(anime.staff.select_related("person"))
    characters = list(anime.characters.all())
    context = {
        "anime": anime,
        "main_key": normalize_title(anime.title),
        "scalars": scalars or AnimeCorrectionForm(anime=anime),
        "tags": anime.anime_tags.shown().select_related("tag").order_by("tag__name"),
        "hidden_tags": anime.anime_tags.filter(origin=Origin.HIDDEN).select_related("tag"),
        "companies": anime.anime_companies.shown()
        .select_related("company")
        .order_by("role", "company__name"),
        "hidden_companies": anime.anime_companies.filter(origin=Origin.HIDDEN).select_related(
            "company"
        ),
        "titles": anime.titles.shown().order_by("kind", "text"),
        "hidden_titles": anime.titles.filter(origin=Origin.HIDDEN).order_by("text"),
        "staff": [
            (
                c,
                bound.get(("staff", c.pk))
                or StaffForm(
                    prefix=f"staff-{c.pk}",
                    initial={
                        "person_name": c.person.name,
                        "person_native_name": c.person.native_name,
                        "role": c.role,
                    },
                ),
            )
            for c in staff
        ],
        "characters": [
            (
                c,
                bound.get(("characters", c.pk))
                or CharacterForm(
                    prefix=f"character-{c.pk}",
                    initial={
                        "name": c.name,
                        "native_name": c.native_name,
                        "role": c.role,
                        "description": c.description,
                    },
                ),
            )
            for c in characters
        ],
        "tag_form": bound.get(("tags", None)) or TagForm(prefix="tag"),
        "company_form": bound.get(("companies", None)) or CompanyForm(prefix="company"),
        "title_form": bound.get(("titles", None)) or TitleForm(prefix="title"),
        "staff_form": bound.get(("staff", None)) or StaffForm(prefix="staff-new"),
        "character_form": bound.get(("characters", None)) or CharacterForm(prefix="character-new"),
        "role_suggestions": STAFF_ROLE_SUGGESTIONS,
        "history": anime.corrections.select_related("user")[:20],
    }
    return render(request, "catalog/anime_edit.html", context)
