"""Reviews: one anime, written by one or more authors, in sections.

Every Markdown field is a pair: ``<name>_md`` holds what the author wrote and ``<name>_html`` the
sanitised HTML that ``services.review_render`` makes from it. Nothing renders in ``save()``.

Visibility is a query, not a job: a review is public when its status is *published* or
*scheduled* and its ``publish_at`` has passed, so scheduled reviews appear on time without a cron.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import repercent_broken_unicode

from kansou.catalog.models import Anime, Character
from kansou.core.models import TimeStampedModel


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"


# Statuses whose review goes public once ``publish_at`` has passed.
PUBLIC_STATUSES = (ReviewStatus.SCHEDULED, ReviewStatus.PUBLISHED)

# Editors see and change every review; an author, only the reviews they are a byline author of
# (``ReviewQuerySet.editable_by``). The ``editor`` role carries it, the ``author`` role does not.
EDITOR_PERMISSION = "reviews.change_review"


class Label(models.Model):
    """A reviewer's own label ("Hidden gem", "Comfort watch"); not a catalog tag."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=120, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReviewQuerySet(models.QuerySet):
    def published(self) -> ReviewQuerySet:
        """Reviews anyone may read: published or scheduled, with ``publish_at`` already past."""
        return self.filter(status__in=PUBLIC_STATUSES, publish_at__lte=timezone.now())

    def public_or_upcoming(self) -> ReviewQuerySet:
        """Reviews that are public or will be at their ``publish_at``: published or scheduled."""
        return self.filter(status__in=PUBLIC_STATUSES, publish_at__isnull=False)

    def drafts(self) -> ReviewQuerySet:
        return self.filter(status=ReviewStatus.DRAFT)

    def upcoming(self) -> ReviewQuerySet:
        """Scheduled (or published) reviews whose time has not come yet."""
        return self.filter(status__in=PUBLIC_STATUSES, publish_at__gt=timezone.now())

    def editable_by(self, user) -> ReviewQuerySet:
        """Reviews ``user`` may open, preview and change, whatever their status: every review
        for an editor (``EDITOR_PERMISSION``), the ones they are a byline author of for anyone
        else signed in, none for an anonymous visitor.

        The one rule behind the review page's preview (``Review.is_visible_to``) and the admin
        (its queryset and per-object permissions): they cannot disagree.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_perm(EDITOR_PERMISSION):
            return self
        return self.filter(pk__in=ReviewAuthor.objects.filter(user=user).values("review_id"))


class Review(TimeStampedModel):
    anime = models.ForeignKey(
        Anime,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
        help_text="Empty only for imports whose anime is not in the catalog yet.",
    )
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ReviewAuthor", related_name="reviews"
    )
    status = models.CharField(max_length=10, choices=ReviewStatus, default=ReviewStatus.DRAFT)
    publish_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="When the review goes (or went) public."
    )
    score = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10))],
        help_text="0–10, optional.",
    )
    labels = models.ManyToManyField(Label, blank=True, related_name="reviews")
    summary = models.TextField(blank=True, help_text="One or two plain-text sentences.")
    intro_md = models.TextField("introduction", blank=True)
    intro_html = models.TextField(blank=True, editable=False)
    final_thoughts_md = models.TextField("final thoughts", blank=True)
    final_thoughts_html = models.TextField(blank=True, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    import_id = models.CharField(
        max_length=300,
        blank=True,
        editable=False,
        help_text="The post's id on the blog it was imported from (Blogger entry id, WordPress "
        "guid); empty for reviews written here. Re-imports find the review by it.",
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["status", "publish_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["import_id"],
                condition=~models.Q(import_id=""),
                name="review_import_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:review-detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return (
            self.status in PUBLIC_STATUSES
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    def is_visible_to(self, user) -> bool:
        """Public reviews to anyone; drafts and unreached schedules to whom they are
        ``is_editable_by`` (their byline authors and editors)."""
        return self.is_public or self.is_editable_by(user)

    def is_editable_by(self, user) -> bool:
        """Whether ``user`` may preview and change this review: ``ReviewQuerySet.editable_by``."""
        if self.pk is None or not user.is_authenticated:
            return False
        return type(self).objects.editable_by(user).filter(pk=self.pk).exists()

    def ordered_authors(self) -> list:
        """Authors in byline order; no query when ``review_authors`` was prefetched."""
        if "review_authors" in getattr(self, "_prefetched_objects_cache", {}):
            return [byline.user for byline in self.review_authors.all()]
        return [byline.user for byline in self.review_authors.select_related("user")]


class ReviewAuthor(models.Model):
    """Byline order: the first author is named first."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="review_authors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_bylines"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="review_author_unique")
        ]


class ReviewPart(models.Model):
    """A row of one of the review's sections, shown in ``position`` order."""

    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class AudienceProfile(ReviewPart):
    """A "who should watch" entry: a kind of viewer, why they would like it, what they liked."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="audience")
    name = models.CharField(max_length=200)
    why_md = models.TextField("why", blank=True)
    why_html = models.TextField(blank=True, editable=False)
    comparable = models.ManyToManyField(
        Anime, through="ComparableTitle", blank=True, related_name="+"
    )

    class Meta(ReviewPart.Meta):
        pass

    def __str__(self) -> str:
        return self.name


class ComparableTitle(models.Model):
    profile = models.ForeignKey(
        AudienceProfile, on_delete=models.CASCADE, related_name="comparable_titles"
    )
    anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "anime"], name="comparable_title_unique")
        ]


class ReviewCharacter(ReviewPart):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="characters")
    name = models.CharField(max_length=200)
    character = models.ForeignKey(
        Character,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The catalog's character, when known.",
    )
    text_md = models.TextField("text", blank=True)
    text_html = models.TextField(blank=True, editable=False)

    class Meta(ReviewPart.Meta):
        pass

    def __str__(self) -> str:
        return self.name


class Theme(ReviewPart):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=200)
    text_md = models.TextField("text", blank=True)
    text_html = models.TextField(blank=True, editable=False)

    class Meta(ReviewPart.Meta):
        pass

    def __str__(self) -> str:
        return self.name


class FreeSection(ReviewPart):
    """Any other section an author wants, shown after the themes."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(max_length=200)
    body_md = models.TextField("body", blank=True)
    body_html = models.TextField(blank=True, editable=False)

    class Meta(ReviewPart.Meta):
        pass

    def __str__(self) -> str:
        return self.heading


def legacy_path_as_requested(path: str) -> str:
    """``path`` as Django's ``request.path`` has it: percent-escapes decoded as UTF-8 (broken
    sequences stay escaped). Blog exports write paths escaped (``/%E8%81%B2…``), requests
    arrive decoded (``/聲…``), and the redirect compares the two."""
    return repercent_broken_unicode(unquote_to_bytes(path)).decode()


def legacy_path_hash(path: str) -> str:
    """The key ``LegacyPath`` is unique on: SHA-256 of the path, so a path of any length fits
    (a unique index on the path itself caps its length; percent-encoded non-Latin slugs run to
    hundreds of characters)."""
    return hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()


class LegacyPathQuerySet(models.QuerySet):
    def matching(self, paths: list[str]) -> LegacyPathQuerySet:
        """The rows for any of ``paths``, found through the indexed hash."""
        return self.filter(path_hash__in=[legacy_path_hash(path) for path in paths])


class LegacyPath(models.Model):
    """A path the review had on an old blog (``/2019/04/my-review.html``): answered with a 301."""

    old_path = models.TextField(help_text="Starts with '/'; any length.")
    path_hash = models.CharField(max_length=64, unique=True, editable=False)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="legacy_paths")

    objects = LegacyPathQuerySet.as_manager()

    def __str__(self) -> str:
        return self.old_path

    def clean(self) -> None:
        self.old_path = legacy_path_as_requested(self.old_path or "")
        # ``path_hash`` is not a form field, so forms (the admin's inline) would not check it.
        self.path_hash = legacy_path_hash(self.old_path or "")
        taken = LegacyPath.objects.filter(path_hash=self.path_hash).exclude(pk=self.pk)
        if taken.exists():
            raise ValidationError({"old_path": "This old path already leads to a review."})

    def save(self, *args, **kwargs) -> None:
        # The unique key is derived from the path; it is set here so no caller can forget it.
        self.path_hash = legacy_path_hash(self.old_path or "")
        if (fields := kwargs.get("update_fields")) is not None and "old_path" in fields:
            kwargs["update_fields"] = {*fields, "path_hash"}
        super().save(*args, **kwargs)


class RevisionKind(models.TextChoices):
    SAVE = "save", "Saved"
    AUTOSAVE = "autosave", "Autosaved"
    PUBLISH = "publish", "Published"
    RESTORE = "restore", "Restored"


class Revision(models.Model):
    """A snapshot of a review as its Markdown file (``frontmatter.dump``), kept by the writing
    desk (``kansou.reviews.desk.revisions``) so an author can compare and restore.

    ``created_at`` is when the snapshot began; saves within a few minutes of it by the same
    author update it in place (``updated_at``), so a writing session is one revision, not one
    per keystroke."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    kind = models.CharField(max_length=10, choices=RevisionKind, default=RevisionKind.SAVE)
    text = models.TextField(help_text="The review as a Markdown file with front matter.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.review_id} @ {self.created_at:%Y-%m-%d %H:%M}"


from kansou.reviews.images.models import ReviewImage  # noqa: E402, F401 (registers the model)
