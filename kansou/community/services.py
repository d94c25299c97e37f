"""Writes for accounts and readers' lists."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kansou.catalog.importers.mal_xml import EntryProblem, MalEntry, MalExport
from kansou.catalog.models import Anime, ExternalId
from kansou.catalog.text import clean_text
from kansou.community import roles
from kansou.community.models import ENTRY_FIELDS, AnimeList, ListEntry
from kansou.core.pagecache import pages_touched

User = get_user_model()

EMAIL_TAKEN = "An account with this email address already exists."
MAL_SITE = "myanimelist"
TEXT_FIELDS = ("tags", "notes")  # a reader's own words on an entry: cleaned before saving
_LOOKUP_CHUNK = 500  # stays far below SQLite's bound-parameter limit


# ---------------------------------------------------------------------------------------------
# Accounts


@transaction.atomic
def user_sign_up(*, username: str, email: str, password: str) -> User:
    """A new reader account. The password must pass Django's validators and the email must be
    unused (password reset finds accounts by email)."""
    user = User(username=username, email=User.objects.normalize_email(email))
    errors: dict[str, list[str]] = {}
    if User.objects.filter(email__iexact=user.email).exists():
        errors["email"] = [EMAIL_TAKEN]
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    user_grant_role(user=user, role=roles.READER)
    return user


@transaction.atomic
def user_grant_role(*, user: User, role: str) -> None:
    """Add ``user`` to the role's group (created if missing); admins also get ``is_staff`` so
    they can use ``/admin/``."""
    if role not in roles.ROLES:
        raise ValueError(f"unknown role {role!r}; roles are {', '.join(roles.ROLES)}")
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if role == roles.ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    _forget_cached_roles(user)


@transaction.atomic
def user_revoke_role(*, user: User, role: str) -> None:
    user.groups.remove(*Group.objects.filter(name=role))
    _forget_cached_roles(user)


def _forget_cached_roles(user: User) -> None:
    for cache in ("_kansou_roles", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


# ---------------------------------------------------------------------------------------------
# Lists


def anime_list_get(*, user: User) -> AnimeList:
    """The reader's list, created (public) on first use."""
    anime_list, _ = AnimeList.objects.get_or_create(user=user)
    return anime_list


@transaction.atomic
def anime_list_set_privacy(*, user: User, privacy: str) -> AnimeList:
    anime_list = anime_list_get(user=user)
    anime_list.privacy = privacy
    anime_list.full_clean()
    anime_list.save()
    pages_touched()  # a public list or profile page cached for anonymous readers
    return anime_list


@transaction.atomic
def list_entry_save(*, user: User, anime: Anime, values: Mapping[str, object]) -> ListEntry:
    """Add ``anime`` to the reader's list or change its entry; only the given fields change.

    Rules (``ListEntry.clean``): score 0–10, finish not before start, progress not past the
    episode count of a finished series. Tags and notes lose their control characters
    (``clean_text``) first.
    """
    unknown = set(values) - set(ENTRY_FIELDS)
    if unknown:
        raise ValueError(f"not entry fields: {', '.join(sorted(unknown))}")
    anime_list = anime_list_get(user=user)
    entry = ListEntry.objects.filter(anime_list=anime_list, anime=anime).first()
    if entry is None:
        entry = ListEntry(anime_list=anime_list, anime=anime)
    for name, value in values.items():
        setattr(entry, name, clean_text(value) if name in TEXT_FIELDS and value else value)
    entry.full_clean()
    entry.save()
    pages_touched()
    return entry


@transaction.atomic
def list_entry_delete(*, user: User, anime: Anime) -> bool:
    """Remove ``anime`` from the reader's list; False when it was not on it."""
    deleted, _ = ListEntry.objects.of_user(user).filter(anime=anime).delete()
    if deleted:
        pages_touched()
    return bool(deleted)


# ---------------------------------------------------------------------------------------------
# MAL import


@dataclass
class ListImportReport:
    """What an import did: counts, plus the entries skipped and why."""

    created: int = 0
    updated: int = 0
    kept: int = 0  # already on the list and the file says not to overwrite (update_on_import 0)
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (MAL id, title)
    rejected: list[EntryProblem] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated

    def __str__(self) -> str:
        return (
            f"{self.created} added, {self.updated} updated, {self.kept} kept as they were, "
            f"{len(self.unmatched)} not in the catalog, {len(self.rejected)} rejected"
        )


def _anime_by_mal_id(mal_ids: Iterable[int]) -> dict[int, Anime]:
    wanted = sorted({str(mal_id) for mal_id in mal_ids})
    found: dict[int, Anime] = {}
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[start : start + _LOOKUP_CHUNK]
        rows = (
            ExternalId.objects.filter(site=MAL_SITE, external_id__in=chunk)
            .select_related("anime")
            .order_by("anime_id")
        )
        for row in rows:
            found.setdefault(int(row.external_id), row.anime)
    return found


def _entry_values(entry: MalEntry) -> dict[str, object]:
    values = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    return values | {name: clean_text(values[name]) for name in TEXT_FIELDS}


def _problem(entry: MalEntry, error: ValidationError) -> EntryProblem:
    name, messages = next(iter(error.message_dict.items()))
    mal_field = {
        "episodes_watched": "my_watched_episodes",
        "finished_on": "my_finish_date",
        "started_on": "my_start_date",
        "score": "my_score",
        "notes": "my_comments",
        "tags": "my_tags",
    }.get(name, name)
    return EntryProblem(entry.position, mal_field, " ".join(messages), entry.mal_id, entry.title)


@transaction.atomic
def anime_list_import_mal(
    *, user: User, export: MalExport, overwrite: bool = False
) -> ListImportReport:
    """Import a parsed MAL export into the reader's list, in one transaction.

    Entries are matched by MAL id through the catalog's MyAnimeList ``ExternalId``; entries
    the catalog lacks are reported as *unmatched* and skipped. An entry already on the list is
    overwritten when the file says ``update_on_import`` 1 or ``overwrite`` is set, else kept.
    Entries the parser rejected, that fail ``ListEntry`` validation, or that repeat an anime
    earlier in the file are reported as *rejected*; everything else is written, tags and notes
    without their control characters (``clean_text``).
    """
    report = ListImportReport(rejected=list(export.problems))
    anime_list = anime_list_get(user=user)
    catalog = _anime_by_mal_id(entry.mal_id for entry in export.entries)
    existing = {entry.anime_id: entry for entry in anime_list.entries.all()}
    seen: dict[int, int] = {}
    to_create: list[ListEntry] = []
    to_update: list[ListEntry] = []
    for entry in export.entries:
        anime = catalog.get(entry.mal_id)
        if anime is None:
            report.unmatched.append((entry.mal_id, entry.title))
            continue
        if anime.pk in seen:
            message = f"the same anime as entry {seen[anime.pk]}"
            problem = EntryProblem(
                entry.position, "series_animedb_id", message, entry.mal_id, entry.title
            )
            report.rejected.append(problem)
            continue
        seen[anime.pk] = entry.position
        row = existing.get(anime.pk)
        if row is not None and not (overwrite or entry.update_on_import):
            report.kept += 1
            continue
        target = row or ListEntry(anime_list=anime_list, anime=anime)
        for name, value in _entry_values(entry).items():
            setattr(target, name, value)
        try:
            # The anime and list are known to exist: skip the two queries per entry that
            # validating the foreign keys would cost; uniqueness is ensured by ``seen``.
            target.full_clean(exclude=["anime", "anime_list"], validate_unique=False)
        except ValidationError as error:
            report.rejected.append(_problem(entry, error))
            if row is not None:
                row.refresh_from_db()
            continue
        (to_update if row is not None else to_create).append(target)
    ListEntry.objects.bulk_create(to_create, batch_size=_LOOKUP_CHUNK)
    if to_update:
        now = timezone.now()
        for target in to_update:
            target.updated_at = now
        ListEntry.objects.bulk_update(
            to_update, [*ENTRY_FIELDS, "updated_at"], batch_size=_LOOKUP_CHUNK
        )
    report.created, report.updated = len(to_create), len(to_update)
    report.rejected.sort(key=lambda problem: problem.position)
    pages_touched()
    return report
