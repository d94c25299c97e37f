"""Readers' anime lists: one list per reader, one entry per anime on it.

The list holds the reader's privacy choice; entries hold what MyAnimeList and AniList keep per
title (status, score, progress, dates, rewatching, priority, tags, notes), so a MAL export
imports without loss of the fields Kansou models and exports back the same.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse

from kansou.catalog.models import Anime
from kansou.catalog.models import Status as AiringStatus
from kansou.core.models import TimeStampedModel

MAX_SCORE = 10
# Fields a reader edits on an entry (and an import sets).
ENTRY_FIELDS = (
    "status",
    "score",
    "episodes_watched",
    "started_on",
    "finished_on",
    "rewatching",
    "rewatching_episode",
    "times_rewatched",
    "priority",
    "tags",
    "notes",
)


class Privacy(models.TextChoices):
    PUBLIC = "public", "Public: anyone can see it"
    PRIVATE = "private", "Private: only you can see it"


class ListStatus(models.TextChoices):
    WATCHING = "watching", "Watching"
    COMPLETED = "completed", "Completed"
    ON_HOLD = "on_hold", "On hold"
    DROPPED = "dropped", "Dropped"
    PLAN_TO_WATCH = "plan_to_watch", "Plan to watch"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class AnimeListQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> AnimeListQuerySet:
        """Lists ``viewer`` may read: every public list, plus their own."""
        mine = models.Q(user_id=viewer.pk) if viewer.is_authenticated else models.Q(pk__in=[])
        return self.filter(models.Q(privacy=Privacy.PUBLIC) | mine)


class AnimeList(TimeStampedModel):
    """A reader's list settings; created on first use (``services.anime_list_get``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="anime_list"
    )
    privacy = models.CharField(max_length=10, choices=Privacy, default=Privacy.PUBLIC)

    objects = AnimeListQuerySet.as_manager()

    class Meta:
        permissions = [("moderate_community", "Can moderate readers' comments and lists")]

    def __str__(self) -> str:
        return f"{self.user}'s list"

    def get_absolute_url(self) -> str:
        return reverse("community:list", args=[self.user.get_username()])

    def is_visible_to(self, viewer) -> bool:
        return self.privacy == Privacy.PUBLIC or (
            viewer.is_authenticated and viewer.pk == self.user_id
        )


class ListEntryQuerySet(models.QuerySet):
    def of_user(self, user) -> ListEntryQuerySet:
        return self.filter(anime_list__user=user)

    def with_status(self, status: str) -> ListEntryQuerySet:
        return self.filter(status=status)

    def seen(self) -> ListEntryQuerySet:
        """Entries the reader has started: every status but *plan to watch*."""
        return self.exclude(status=ListStatus.PLAN_TO_WATCH)


class ListEntry(TimeStampedModel):
    anime_list = models.ForeignKey(AnimeList, on_delete=models.CASCADE, related_name="entries")
    anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="list_entries")
    status = models.CharField(max_length=16, choices=ListStatus, default=ListStatus.PLAN_TO_WATCH)
    score = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_SCORE)], help_text="1–10; 0 means no score."
    )
    episodes_watched = models.PositiveIntegerField("episodes watched", default=0)
    started_on = models.DateField("started", null=True, blank=True)
    finished_on = models.DateField("finished", null=True, blank=True)
    rewatching = models.BooleanField(default=False)
    rewatching_episode = models.PositiveIntegerField(default=0)
    times_rewatched = models.PositiveIntegerField(default=0)
    priority = models.CharField(max_length=6, choices=Priority, default=Priority.LOW)
    tags = models.CharField(max_length=500, blank=True, help_text="Comma-separated.")
    notes = models.TextField(blank=True, max_length=5000)

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        ordering = ["anime__title", "pk"]
        verbose_name_plural = "list entries"
        constraints = [
            models.UniqueConstraint(fields=["anime_list", "anime"], name="list_entry_unique")
        ]
        indexes = [models.Index(fields=["anime_list", "status"])]

    def __str__(self) -> str:
        return f"{self.anime_id}: {self.status}"

    @property
    def score_or_none(self) -> int | None:
        return self.score or None

    def clean(self) -> None:
        errors = {}
        if self.started_on and self.finished_on and self.finished_on < self.started_on:
            errors["finished_on"] = "The finish date is before the start date."
        anime = self.anime if self.anime_id else None
        if (
            anime is not None
            and anime.episodes
            and anime.status == AiringStatus.FINISHED
            and self.episodes_watched > anime.episodes
        ):
            # Airing shows may have more episodes than the catalog knows of yet.
            errors["episodes_watched"] = (
                f"{self.episodes_watched} episodes watched, but the series has {anime.episodes}."
            )
        if errors:
            raise ValidationError(errors)
