"""The poster job behind ``kansou catalog images``: each anime's picture fetched once, stored
through Django's default storage with its resized renditions, described on ``Anime.poster``.

Rules:

- an anime's source is its ``picture`` URL (the large poster), else its ``thumbnail``;
- an anime is skipped when its ``PosterFetch`` row says that same URL is stored, or failed
  ``MAX_ATTEMPTS`` times in a row (unless ``retry_failed``): running the job again resumes where
  it stopped and never asks a dead URL again and again;
- a failure (network, HTTP status, size cap, not an image) is recorded with its reason and the
  anime keeps its generated cover; one failure never stops the job;
- files are named by a digest of the fetched bytes, so a stored name never changes content; a
  poster replaced by a new picture URL has its old files deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from kansou.catalog.images.fetching import Fetcher, FetchError
from kansou.catalog.images.models import MAX_ATTEMPTS, PosterFetch
from kansou.catalog.images.pictures import ImageProblem, picture_open, renditions
from kansou.catalog.images.stored import POSTER_WIDTHS, StoredPoster, poster_stem
from kansou.catalog.models import Anime


@dataclass(frozen=True)
class PosterTask:
    anime_id: int
    title: str
    url: str


@dataclass(frozen=True)
class PosterOutcome:
    task: PosterTask
    stored: bool
    error: str = ""


def poster_tasks(
    *, retry_failed: bool = False, anime_ids: list[int] | None = None
) -> list[PosterTask]:
    """The anime whose poster is still to fetch, in id order (rules in the module docstring)."""
    done = {
        row["anime_id"]: row
        for row in PosterFetch.objects.values("anime_id", "source_url", "stored", "attempts")
    }
    rows = Anime.objects.exclude(picture="", thumbnail="").order_by("pk")
    if anime_ids is not None:
        rows = rows.filter(pk__in=anime_ids)
    tasks = []
    for pk, title, picture, thumbnail in rows.values_list("pk", "title", "picture", "thumbnail"):
        url = picture or thumbnail
        fetch = done.get(pk)
        if fetch and fetch["source_url"] == url:
            if fetch["stored"] or (fetch["attempts"] >= MAX_ATTEMPTS and not retry_failed):
                continue
        tasks.append(PosterTask(pk, title, url))
    return tasks


def posters_fetch(
    *,
    tasks: list[PosterTask],
    fetcher: Fetcher,
    storage: Storage | None = None,
    on_each: Callable[[PosterOutcome], None] | None = None,
) -> Iterator[PosterOutcome]:
    """Fetch and store each task's poster in turn, yielding what happened to it."""
    for task in tasks:
        outcome = poster_fetch(task=task, fetcher=fetcher, storage=storage)
        if on_each is not None:
            on_each(outcome)
        yield outcome


def poster_fetch(
    *, task: PosterTask, fetcher: Fetcher, storage: Storage | None = None
) -> PosterOutcome:
    """One anime's poster: fetched, checked, resized, stored and recorded (or the failure)."""
    storage = storage or default_storage
    try:
        picture = picture_open(fetcher.get(task.url), max_bytes=fetcher.max_bytes)
        poster = _store(task.anime_id, picture, storage)
    except (FetchError, ImageProblem) as exc:
        _record_failure(task, str(exc))
        return PosterOutcome(task, stored=False, error=str(exc))
    previous = StoredPoster.from_json(
        Anime.objects.filter(pk=task.anime_id).values_list("poster", flat=True).first()
    )
    Anime.objects.filter(pk=task.anime_id).update(poster=poster.as_json())
    PosterFetch.objects.update_or_create(
        anime_id=task.anime_id,
        defaults={"source_url": task.url, "stored": True, "error": "", "attempts": 0,
                  "tried_at": timezone.now()},
    )  # fmt: skip
    if previous is not None and previous.stem != poster.stem:
        for name in previous.names():
            storage.delete(name)
    return PosterOutcome(task, stored=True)


def _store(anime_id: int, picture, storage: Storage) -> StoredPoster:
    stem = poster_stem(anime_id, picture.digest)
    made = renditions(picture, widths=POSTER_WIDTHS)
    poster = StoredPoster(stem, picture.width, picture.height,
                          tuple(sorted({r.width for r in made})))  # fmt: skip
    _save(storage, poster.original_name(picture.ext), picture.data)
    for rendition in made:
        _save(storage, poster.name(rendition.width, rendition.ext), rendition.data)
    return poster


def _save(storage: Storage, name: str, data: bytes) -> None:
    """Save under exactly ``name``: names are content-addressed, so one already there is this."""
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(data))
        if saved != name:  # a backend that renamed it: the URL would not match
            storage.delete(saved)
            raise ImageProblem(f"the storage would not keep the name {name!r}")


def _record_failure(task: PosterTask, error: str) -> None:
    previous = PosterFetch.objects.filter(anime_id=task.anime_id).first()
    attempts = 1
    if previous and previous.source_url == task.url and not previous.stored:
        attempts = previous.attempts + 1
    PosterFetch.objects.update_or_create(
        anime_id=task.anime_id,
        defaults={"source_url": task.url, "stored": False, "error": error[:500],
                  "attempts": attempts, "tried_at": timezone.now()},
    )  # fmt: skip
