"""List pages: a reader's list, inline and full entry edits, privacy, MAL import and exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from kansou.catalog.models import Anime
from kansou.community.accounts import safe_next
from kansou.community.forms import (
    SCORE_CHOICES,
    EntryForm,
    MalImportForm,
    PrivacyForm,
    QuickEntryForm,
)
from kansou.community.models import ListEntry, ListStatus
from kansou.community.selectors import (
    ListHidden,
    anime_list_export_csv,
    anime_list_export_mal,
    reader_list,
)
from kansou.community.services import (
    anime_list_get,
    anime_list_import_mal,
    anime_list_set_privacy,
    list_entry_delete,
    list_entry_save,
)
from kansou.community.tasks import (
    ListImportBusy,
    list_import_latest,
    list_import_queues,
    list_import_start,
)

User = get_user_model()
PAGE_SIZE = 100


@login_required
def my_list(request: HttpRequest) -> HttpResponse:
    return redirect("community:list", request.user.get_username())


def reader_list_page(request: HttpRequest, username: str) -> HttpResponse:
    owner = get_object_or_404(User, username=username, is_active=True)
    status = request.GET.get("status", "")
    if status not in ListStatus.values:
        status = ""
    try:
        found = reader_list(owner=owner, viewer=request.user, status=status)
    except ListHidden:
        return render(request, "community/list_private.html", {"owner": owner}, status=403)
    page = Paginator(found.entries, PAGE_SIZE).get_page(request.GET.get("page"))
    is_owner = request.user.is_authenticated and request.user.pk == owner.pk
    context = {
        "found": found,
        "owner": owner,
        "page": page,
        "is_owner": is_owner,
        "statuses": ListStatus.choices,
        "scores": SCORE_CHOICES,
        "privacy_form": PrivacyForm(initial={"privacy": found.anime_list.privacy}),
    }
    return render(request, "community/list.html", context)


def _back(request: HttpRequest) -> HttpResponse:
    return redirect(safe_next(request, "community:my-list"))


def _error_text(form) -> str:
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}".lstrip(": ")
        for name, errors in form.errors.items()
    )


def _save(request, form, anime) -> bool:
    """Validate ``form`` and save through the service; errors go onto the form."""
    if not form.is_valid():
        return False
    try:
        list_entry_save(user=request.user, anime=anime, values=form.values())
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
        return False
    return True


@login_required
@require_POST
def entry_save(request: HttpRequest, anime_id: int) -> HttpResponse:
    """The inline form: status, score and progress of one entry (added when new)."""
    anime = get_object_or_404(Anime, pk=anime_id)
    entry = ListEntry.objects.of_user(request.user).filter(anime=anime).first()
    form = QuickEntryForm(request.POST, anime=anime, entry=entry)
    if _save(request, form, anime):
        verb = "Updated" if entry else "Added to your list:"
        messages.success(request, f"{verb} {anime.title}.")
    else:
        messages.error(request, f"{anime.title} not saved. {_error_text(form)}")
    return _back(request)


@login_required
def entry_edit(request: HttpRequest, anime_id: int) -> HttpResponse:
    anime = get_object_or_404(Anime, pk=anime_id)
    entry = ListEntry.objects.of_user(request.user).filter(anime=anime).first()
    form = EntryForm(request.POST or None, anime=anime, entry=entry)
    if request.method == "POST" and _save(request, form, anime):
        messages.success(request, f"Saved {anime.title}.")
        return _back(request)
    back = safe_next(request, "community:my-list")
    context = {"form": form, "anime": anime, "entry": entry, "next": back}
    return render(request, "community/entry_edit.html", context)


@login_required
@require_POST
def entry_delete(request: HttpRequest, anime_id: int) -> HttpResponse:
    anime = get_object_or_404(Anime, pk=anime_id)
    if list_entry_delete(user=request.user, anime=anime):
        messages.success(request, f"Removed {anime.title} from your list.")
    return redirect("community:my-list")


@login_required
@require_POST
def list_privacy(request: HttpRequest) -> HttpResponse:
    form = PrivacyForm(request.POST)
    if form.is_valid():
        anime_list = anime_list_set_privacy(user=request.user, privacy=form.cleaned_data["privacy"])
        messages.success(request, f"Your list is now {anime_list.privacy}.")
    return redirect("community:my-list")


@login_required
def list_import(request: HttpRequest) -> HttpResponse:
    form = MalImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        export, overwrite = form.cleaned_data["export"], form.cleaned_data["overwrite"]
        if not list_import_queues(entries=len(export.entries)):
            report = anime_list_import_mal(user=request.user, export=export, overwrite=overwrite)
            form = MalImportForm()
        else:  # a long one runs in the worker
            upload = form.cleaned_data["file"]
            upload.seek(0)
            try:
                list_import_start(user=request.user, data=upload.read(),
                                  entries=len(export.entries), overwrite=overwrite)  # fmt: skip
            except ListImportBusy as busy:
                form.add_error(None, str(busy))
            else:
                messages.success(
                    request, f"Your import of {len(export.entries):,} entries is queued."
                )
                return redirect("community:list-import")
    context = {"form": form, "report": report, "anime_list": anime_list_get(user=request.user),
               "job": list_import_latest(user=request.user)}  # fmt: skip
    return render(request, "community/list_import.html", context)


@login_required
def list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    name = f"animelist_kansou_{request.user.get_username()}"
    if fmt == "xml":
        body, _left_out = anime_list_export_mal(owner=request.user)
        response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    elif fmt == "csv":
        body = anime_list_export_csv(owner=request.user)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        raise Http404("Exports are .xml or .csv.")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return response
