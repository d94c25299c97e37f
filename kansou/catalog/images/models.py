"""``PosterFetch``: what the poster job did for one anime, so that running it again resumes.

One row per anime the job tried: the URL it fetched, whether the poster is stored, and for a
failure the reason, how many times it failed and when it last tried. ``kansou catalog images``
skips an anime whose current picture URL is stored already, or failed ``MAX_ATTEMPTS`` times
(``--retry-failed`` tries those again), so a dead URL is not asked for in a loop. The row is
registered with the ``catalog`` app (``kansou/catalog/models.py`` imports this module).
"""

from __future__ import annotations

from django.db import models

MAX_ATTEMPTS = 3


class PosterFetchQuerySet(models.QuerySet):
    def given_up(self) -> PosterFetchQuerySet:
        """Failures tried ``MAX_ATTEMPTS`` times: left alone until asked to retry."""
        return self.filter(stored=False, attempts__gte=MAX_ATTEMPTS)

    def failed(self) -> PosterFetchQuerySet:
        return self.filter(stored=False)


class PosterFetch(models.Model):
    anime = models.OneToOneField(
        "catalog.Anime", on_delete=models.CASCADE, primary_key=True, related_name="poster_fetch"
    )
    source_url = models.URLField(max_length=500)
    stored = models.BooleanField(default=False)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Failures in a row.")
    tried_at = models.DateTimeField()

    objects = PosterFetchQuerySet.as_manager()

    class Meta:
        app_label = "catalog"

    def __str__(self) -> str:
        return f"{self.anime_id}: {'stored' if self.stored else self.error}"
