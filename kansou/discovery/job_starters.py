"""The admin's buttons for discovery's background jobs (``kansou.core.admin.JOB_STARTERS``):
*Train recommendations now*, *Rebuild search index*, *Import catalog from file…*.

Registered from ``DiscoveryConfig.ready`` (core, which owns the Jobs page, cannot import
discovery). Each form only names what the job needs; the job itself runs in ``kansou worker``.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest

from kansou.core.admin import JOB_STARTERS, JobStarter
from kansou.core.jobs import Job
from kansou.discovery.tasks import (
    CATALOG_SUFFIXES,
    RATINGS_SUFFIXES,
    catalog_import_start,
    import_dir,
    import_file_save,
    import_files,
    reindex_start,
    train_start,
)


def _choices(suffixes: tuple[str, ...], empty: str) -> list[tuple[str, str]]:
    return [("", empty)] + [(name, name) for name in import_files(suffixes)]


class ReindexForm(forms.Form):
    pass


class TrainForm(forms.Form):
    ratings = forms.ChoiceField(
        required=False,
        help_text="A user_id,mal_id,rating CSV in the import folder (as kansou train --ratings).",
    )
    synopsis = forms.BooleanField(
        required=False, help_text="Synopsis words as features (as kansou train --synopsis)."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ratings"].choices = _choices(RATINGS_SUFFIXES, "no ratings: readers' lists")


class CatalogImportForm(forms.Form):
    name = forms.ChoiceField(required=False, label="File in the import folder")
    upload = forms.FileField(required=False, label="or upload one")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = _choices(CATALOG_SUFFIXES, "—")
        self.fields["name"].help_text = f"Files in {import_dir()} (KANSOU_IMPORT_DIR)."

    def clean(self):
        data = super().clean()
        if bool(data.get("name")) == bool(data.get("upload")):
            raise forms.ValidationError("Choose a file in the import folder or upload one.")
        return data


def _reindex(request: HttpRequest, form: forms.Form) -> Job:
    return reindex_start(by=request.user)


def _train(request: HttpRequest, form: forms.Form) -> Job:
    data = form.cleaned_data
    return train_start(by=request.user, ratings=data["ratings"], synopsis=data["synopsis"])


def _catalog_import(request: HttpRequest, form: forms.Form) -> Job:
    upload = form.cleaned_data["upload"]
    name = import_file_save(upload) if upload else form.cleaned_data["name"]
    return catalog_import_start(by=request.user, name=name)


def register_job_starters() -> None:
    """Idempotent: registering twice changes nothing."""
    JOB_STARTERS["train"] = JobStarter(
        title="Train recommendations now",
        permission="core.run_training",
        form=TrainForm,
        start=_train,
        help="Trains the recommenders on the catalog and readers' lists, then serves the new "
        "version (kansou train).",
    )
    JOB_STARTERS["reindex"] = JobStarter(
        title="Rebuild search index",
        permission="core.run_reindex",
        form=ReindexForm,
        start=_reindex,
        help="Rewrites every search document (kansou search reindex).",
    )
    JOB_STARTERS["catalog-import"] = JobStarter(
        title="Import catalog from file…",
        permission="core.run_catalog_import",
        form=CatalogImportForm,
        start=_catalog_import,
        help="Imports or updates the catalog from an anime-offline-database file "
        "(kansou catalog import).",
    )
