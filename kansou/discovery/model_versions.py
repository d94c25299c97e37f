"""Trained artefact versions as the database knows them: one row per ``kansou train``.

The row is the record every node trusts: the version's name (its folder's name), the manifest
of its files with their sizes and SHA-256, the manifest's own checksum, what was trained and
where, and which version is *current* (at most one row, a partial unique index). The files
themselves live in a version folder on the training machine and, with ``KANSOU_MODELS_STORE``,
in the shared store every node copies from (:mod:`kansou.discovery.artefact_store`).
"""

from __future__ import annotations

from django.db import models

from kansou.core.models import TimeStampedModel


class ModelVersionQuerySet(models.QuerySet):
    def current(self) -> ModelVersion | None:
        return self.filter(is_current=True).first()


class ModelVersion(TimeStampedModel):
    version = models.CharField(
        max_length=64, unique=True, help_text="The version folder's name (a UTC time stamp)."
    )
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the manifest's JSON.")
    manifest = models.JSONField(help_text="Every file: path, size in bytes and SHA-256.")
    size_bytes = models.BigIntegerField(default=0)
    info = models.JSONField(default=dict, help_text="The version's artefact.json.")
    trained_by = models.CharField(max_length=200, help_text="user@host that trained it.")
    in_store = models.BooleanField(
        default=False, help_text="Its files are in the shared store (KANSOU_MODELS_STORE)."
    )
    is_current = models.BooleanField(default=False)

    objects = ModelVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="discovery_modelversion_one_current",
            )
        ]

    def __str__(self) -> str:
        return self.version + (" (current)" if self.is_current else "")
