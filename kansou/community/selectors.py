"""Reads for profiles, list pages, the API, exports and the recommender."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from kansou.catalog.importers.mal_xml import MalEntry, write_mal_xml
from kansou.catalog.models import ExternalId
from kansou.community import roles
from kansou.community.list_csv import write_list_csv
from kansou.community.models import ENTRY_FIELDS, AnimeList, ListEntry, ListStatus

User = get_user_model()
MAL_SITE = "myanimelist"


def reader_history(*, user) -> list[tuple[int, float | None]]:
    """``(anime_id, score)`` for every entry the reader has started (all statuses but *plan to
    watch*), by anime id; ``score`` is None when the reader gave none (stored as 0).

    For the recommender: it reads the reader's own list whatever its privacy.
    """
    rows = ListEntry.objects.of_user(user).seen().order_by("anime_id")
    return [
        (anime_id, float(score) if score else None)
        for anime_id, score in rows.values_list("anime_id", "score")
    ]


class ListHidden(Exception):
    """The viewer may not see this reader's list (it is private)."""


@dataclass(frozen=True)
class ReaderList:
    """One reader's list as a page or the API shows it."""

    owner: User
    anime_list: AnimeList
    entries: list[ListEntry]
    counts: dict[str, int]
    status: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def tabs(self) -> list[tuple[str, str, int]]:
        """``(status value, label, count)`` for every status, in list order."""
        return [(value, label, self.counts.get(value, 0)) for value, label in ListStatus.choices]


def _entries(owner) -> QuerySet:
    return ListEntry.objects.of_user(owner).select_related("anime").order_by("anime__title", "pk")


def reader_list(*, owner, viewer, status: str = "") -> ReaderList:
    """``owner``'s list narrowed to ``status`` (any when empty), in three queries.

    Raises ``ListHidden`` when the list is private and ``viewer`` is not its owner; a reader
    without a list yet has an empty public one.
    """
    anime_list = AnimeList.objects.filter(user=owner).first() or AnimeList(user=owner)
    if not anime_list.is_visible_to(viewer):
        raise ListHidden(owner.get_username())
    counts = _status_counts(owner)
    entries = _entries(owner)
    if status:
        entries = entries.with_status(status)
    return ReaderList(owner, anime_list, list(entries), counts, status)


def _status_counts(owner) -> dict[str, int]:
    statuses = ListEntry.objects.of_user(owner).values_list("status", flat=True)
    return dict(Counter(statuses))


@dataclass(frozen=True)
class Profile:
    """A reader's public page. Reviews and comments will join here (their apps add fields)."""

    user: User
    roles: list[str]
    list_visible: bool
    counts: dict[str, int] = field(default_factory=dict)
    recent: list[ListEntry] = field(default_factory=list)

    @property
    def list_total(self) -> int:
        return sum(self.counts.values())

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """``(status value, label, count)`` for the statuses the list uses, in list order."""
        return [(v, label, self.counts[v]) for v, label in ListStatus.choices if self.counts.get(v)]


RECENT_ON_PROFILE = 12


def profile_detail(*, username: str, viewer) -> Profile:
    """Raises ``User.DoesNotExist`` for an unknown or inactive username."""
    user = User.objects.get(username=username, is_active=True)
    anime_list = AnimeList.objects.filter(user=user).first() or AnimeList(user=user)
    visible = anime_list.is_visible_to(viewer)
    if not visible:
        return Profile(user, roles.user_roles(user), False)
    recent = list(_entries(user).order_by("-updated_at", "-pk")[:RECENT_ON_PROFILE])
    return Profile(user, roles.user_roles(user), True, _status_counts(user), recent)


def _mal_ids(anime_ids: list[int]) -> dict[int, int]:
    """Each anime's MAL id (the lowest, when an entry has several)."""
    found: dict[int, int] = {}
    rows = ExternalId.objects.filter(site=MAL_SITE, anime_id__in=anime_ids).values_list(
        "anime_id", "external_id"
    )
    for anime_id, external_id in rows:
        if external_id.isdigit():
            mal_id = int(external_id)
            found[anime_id] = min(mal_id, found.get(anime_id, mal_id))
    return found


def _export_rows(owner) -> list[tuple[ListEntry, int | None]]:
    entries = list(_entries(owner))
    mal_ids = _mal_ids([entry.anime_id for entry in entries])
    return [(entry, mal_ids.get(entry.anime_id)) for entry in entries]


def anime_list_export_mal(*, owner) -> tuple[bytes, int]:
    """The list as a MAL export, and how many entries were left out for lack of a MAL id."""
    rows = _export_rows(owner)
    entries = [
        MalEntry(
            position=position,
            mal_id=mal_id,
            title=entry.anime.title,
            status=entry.status,
            score=entry.score,
            episodes_watched=entry.episodes_watched,
            started_on=entry.started_on,
            finished_on=entry.finished_on,
            rewatching=entry.rewatching,
            rewatching_episode=entry.rewatching_episode,
            times_rewatched=entry.times_rewatched,
            priority=entry.priority,
            tags=entry.tags,
            notes=entry.notes,
            series_type=_mal_type(entry.anime.kind),
            series_episodes=entry.anime.episodes,
        )
        for position, (entry, mal_id) in enumerate(rows, start=1)
        if mal_id is not None
    ]
    xml = write_mal_xml(entries, user_name=owner.get_username(), user_id=owner.pk)
    return xml, len(rows) - len(entries)


def _mal_type(kind: str) -> str:
    return {"TV": "TV", "MOVIE": "Movie", "OVA": "OVA", "ONA": "ONA", "SPECIAL": "Special"}.get(
        kind, "Unknown"
    )


def anime_list_export_csv(*, owner) -> str:
    """The list as CSV (``list_csv.COLUMNS``), every entry including those without a MAL id."""
    return write_list_csv(
        {
            "anime_id": entry.anime_id,
            "mal_id": mal_id,
            "title": entry.anime.title,
            "type": entry.anime.kind,
            "episodes": entry.anime.episodes or None,
            **{name: getattr(entry, name) for name in ENTRY_FIELDS},
        }
        for entry, mal_id in _export_rows(owner)
    )
