"""JSON for readers' lists: ``GET /api/users/{username}/list``. Private lists answer 403 to
everyone but their owner (who is recognised by the session cookie)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError

from kansou.catalog.schemas import TEXT_PATTERN, ErrorOut
from kansou.community.models import ListEntry, ListStatus
from kansou.community.selectors import ListHidden, reader_list

router = Router(tags=["lists"])
User = get_user_model()
HIDDEN = "This reader's list is private."


class ListEntryOut(Schema):
    anime_id: int
    title: str
    status: str
    score: int | None
    episodes_watched: int
    episodes: int | None
    started_on: dt.date | None
    finished_on: dt.date | None
    rewatching: bool
    times_rewatched: int
    tags: list[str]
    notes: str

    @classmethod
    def of(cls, entry: ListEntry) -> ListEntryOut:
        return cls(
            anime_id=entry.anime_id,
            title=entry.anime.title,
            status=entry.status,
            score=entry.score_or_none,
            episodes_watched=entry.episodes_watched,
            episodes=entry.anime.episodes or None,
            started_on=entry.started_on,
            finished_on=entry.finished_on,
            rewatching=entry.rewatching,
            times_rewatched=entry.times_rewatched,
            tags=[tag.strip() for tag in entry.tags.split(",") if tag.strip()],
            notes=entry.notes,
        )


class ReaderListOut(Schema):
    username: str
    privacy: str
    counts: dict[str, int]
    entries: list[ListEntryOut]


@router.get(
    "/users/{username}/list",
    response={200: ReaderListOut, 403: ErrorOut, 404: ErrorOut},
    summary="A reader's anime list",
)
def reader_list_get(
    request: HttpRequest,
    username: str = Path(..., max_length=150, pattern=TEXT_PATTERN),
    status: Annotated[ListStatus | None, Query(description="Only this status.")] = None,
):
    """Every entry of a reader's list (score null when unscored); 403 when the list is private
    and you are not its owner."""
    owner = User.objects.filter(username=username, is_active=True).first()
    if owner is None:
        raise HttpError(404, "No reader with this name.")
    try:
        found = reader_list(owner=owner, viewer=request.user, status=status or "")
    except ListHidden:
        raise HttpError(403, HIDDEN) from None
    return {
        "username": owner.get_username(),
        "privacy": found.anime_list.privacy,
        "counts": found.counts,
        "entries": [ListEntryOut.of(entry) for entry in found.entries],
    }
