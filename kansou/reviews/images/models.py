"""``ReviewImage``: an image a review shows, uploaded by an author or brought in by an importer.

The file itself is in Django's default storage under a name holding its digest and size
(``reviews.images.names``); the row ties it to a review with its alt text, which is required:
every image in a review is described for readers who cannot see it. Registered with the
``reviews`` app (``kansou/reviews/models.py`` imports this module).
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models

from kansou.core.models import TimeStampedModel
from kansou.reviews.images.names import main_rendition, rendition_name

ALT_MAX = 300


class ReviewImage(TimeStampedModel):
    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="images")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    alt = models.CharField(
        "alt text",
        max_length=ALT_MAX,
        help_text="What the image shows, for readers who cannot see it.",
    )
    name = models.CharField(max_length=200, help_text="Storage name of the file as uploaded.")
    digest = models.CharField(max_length=12)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    ext = models.CharField(max_length=4)
    size_bytes = models.PositiveIntegerField()
    source_url = models.URLField(
        max_length=1000, blank=True, help_text="Where an importer found it (the old blog)."
    )

    class Meta:
        app_label = "reviews"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "digest"], name="review_image_once")
        ]

    def __str__(self) -> str:
        return self.alt

    @property
    def animated(self) -> bool:
        return self.ext == "gif"

    @property
    def url(self) -> str:
        """The URL a review names: the main rendition (the file itself for a GIF)."""
        if self.animated:
            return default_storage.url(self.name)
        width = main_rendition(self.width)
        return default_storage.url(rendition_name(self.digest, self.width, self.height, width))

    @property
    def markdown(self) -> str:
        """``![alt](url)``, with the characters that would end the alt text escaped."""
        alt = (
            " ".join(self.alt.split()).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        )
        return f"![{alt}]({self.url})"
