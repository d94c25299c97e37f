"""Readers' anime lists (one list per reader, one entry per anime on it) and comments on reviews.

The list holds the reader's privacy choice; entries hold what MyAnimeList and AniList keep per
title (status, score, progress, dates, rewatching, priority, tags, notes), so a MAL export
imports without loss of the fields Kansou models and exports back the same.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

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


class AnimeList(TimeStampedModel):
    """A reader's list settings; created on first use (``services.anime_list_get``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="anime_list"
    )
    privacy = models.CharField(max_length=10, choices=Privacy, default=Privacy.PUBLIC)

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


# ---------------------------------------------------------------------------------------------
# Comments on reviews (services in ``comments.py`` and ``moderation.py``)

COMMENT_MIN_LENGTH = 2
COMMENT_MAX_LENGTH = 5000
ALL_COMMENTS = "comments=all"  # the query string of a review page showing its whole thread
AUTHOR_NAME_MAX_LENGTH = 100


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Awaiting moderation"
    APPROVED = "approved", "Approved"
    HIDDEN = "hidden", "Hidden"
    SPAM = "spam", "Spam"


class CommentQuerySet(models.QuerySet):
    def visible(self) -> CommentQuerySet:
        """Comments anyone may read: approved ones."""
        return self.filter(status=CommentStatus.APPROVED)

    def pending(self) -> CommentQuerySet:
        return self.filter(status=CommentStatus.PENDING)

    def for_review(self, review) -> CommentQuerySet:
        return self.filter(review=review)

    def with_reviewer_fact(self) -> CommentQuerySet:
        """Annotate ``by_reviewer`` (the author is one of the review's authors) in the same
        query, so a thread costs one query however long it is."""
        from kansou.reviews.models import ReviewAuthor

        bylines = ReviewAuthor.objects.filter(
            review=models.OuterRef("review"), user=models.OuterRef("author")
        )
        return self.annotate(by_reviewer=models.Exists(bylines))


class Comment(models.Model):
    """A reader's comment on a review, or one imported from an old blog.

    ``author`` is empty for imported comments, which carry ``author_name``/``author_url``
    instead. Replies are one level deep: ``parent`` is always a top-level comment.
    ``body_md`` is what the reader wrote (empty for imported HTML) and ``body_html`` the
    sanitised HTML ``comments.markdown`` made from it; nothing renders in ``save()``.
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    author_name = models.CharField(max_length=AUTHOR_NAME_MAX_LENGTH, blank=True)
    author_url = models.URLField(max_length=500, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body_md = models.TextField("body", blank=True, max_length=COMMENT_MAX_LENGTH)
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(
        max_length=10, choices=CommentStatus, default=CommentStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="Deleted by its author; kept as a marker for replies."
    )
    ip_hash = models.CharField(max_length=64, blank=True, help_text="Keyed hash, never the IP.")
    source_id = models.CharField(
        max_length=200, blank=True, help_text="Id on the blog it was imported from."
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [("moderate_comment", "Can moderate comments")]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "source_id"],
                condition=~models.Q(source_id=""),
                name="comment_source_unique",
            )
        ]
        indexes = [models.Index(fields=["review", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.display_name} on {self.review_id}"

    @property
    def display_name(self) -> str:
        if self.author_id is not None:
            return self.author.get_username()
        return self.author_name or "Anonymous"

    @property
    def is_by_reviewer(self) -> bool:
        """The author is one of the review's authors (the "Reviewer" badge)."""
        annotated = getattr(self, "by_reviewer", None)
        if annotated is not None:
            return annotated
        if self.author_id is None:
            return False
        return self.review.review_authors.filter(user_id=self.author_id).exists()

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def editable_until(self):
        return self.created_at + dt.timedelta(minutes=int(settings.KANSOU_COMMENT_EDIT_MINUTES))

    def can_be_changed_by(self, user, *, now=None) -> bool:
        """Its author may edit or delete it within ``KANSOU_COMMENT_EDIT_MINUTES``."""
        return (
            user.is_authenticated
            and self.author_id == user.pk
            and not self.is_deleted
            and (now or timezone.now()) <= self.editable_until()
        )

    def get_absolute_url(self) -> str:
        """On the review's whole thread, which holds every comment however old."""
        return f"{self.review.get_absolute_url()}?{ALL_COMMENTS}#comment-{self.pk}"


class CommentReport(models.Model):
    """A reader's "this comment breaks the rules"; one per reader per comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="comment_report_unique")
        ]


class BanQuerySet(models.QuerySet):
    def active(self, *, now=None) -> BanQuerySet:
        """Bans in force: no end date, or an end date still ahead."""
        now = now or timezone.now()
        return self.filter(models.Q(until__isnull=True) | models.Q(until__gt=now))


class Ban(models.Model):
    """A user who may not post comments, until ``until`` (or for good when empty)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bans"
    )
    reason = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"ban of {self.user_id}"


class ModerationAction(models.TextChoices):
    APPROVE = "approve", "Approved"
    HIDE = "hide", "Hidden"
    SPAM = "spam", "Marked as spam"
    BAN = "ban", "Banned"
    HOLD = "hold", "Held (automatic)"
    REPORT = "report", "Reported"


class ModerationLog(models.Model):
    """Who did what to which comment or user, and when. ``actor`` is empty for automatic
    holds (enough reports)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=ModerationAction)
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="log"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The user acted on (the comment's author, the banned user).",
    )
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"
