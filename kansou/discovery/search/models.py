"""The search index's rows: one document per anime and per published review.

A flattened copy made by ``index.search_reindex``: folded text columns for full text (an FTS5
table kept by triggers on SQLite, a generated ``tsvector`` on PostgreSQL: migration ``0002``;
``body`` holds the synopsis, searched, never shown), type, year and tags for filters and facets.
A document goes with its anime or review (``CASCADE``): a deleted review is found no more.
"""

from __future__ import annotations

from django.db import models

from kansou.catalog.models import Anime, AnimeType, Tag
from kansou.reviews.models import Review


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        ANIME = "anime", "Anime"
        REVIEW = "review", "Review"

    kind = models.CharField(max_length=10, choices=Kind)
    anime = models.ForeignKey(
        Anime,
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The anime, or the anime a review is about.",
    )
    review = models.OneToOneField(
        Review,
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="For reviews: the review (deleting it deletes the document).",
    )
    title = models.CharField(max_length=500, help_text="Shown title.")
    url = models.CharField(max_length=500)
    titles = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    studios = models.TextField(blank=True)
    body = models.TextField(blank=True)
    anime_type = models.CharField(max_length=10, choices=AnimeType, default=AnimeType.UNKNOWN)
    year = models.PositiveSmallIntegerField(null=True)
    prior = models.FloatField(default=0.0, help_text="How widely known, in [0, 1].")
    visible_from = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A scheduled review: searches find it from this time on, without a reindex.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["anime"],
                condition=models.Q(kind="anime"),
                name="search_document_one_per_anime",
            )
        ]
        indexes = [models.Index(fields=["anime_type", "year"]), models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class SearchTag(models.Model):
    """A tag shown on a document's anime, for the tag filter and facet."""

    document = models.ForeignKey(
        SearchDocument, on_delete=models.CASCADE, related_name="search_tags"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "tag"], name="search_tag_unique")
        ]
        indexes = [models.Index(fields=["tag", "document"])]
