"""The background jobs staff start from the admin: train, rebuild search, import the catalog.

Each is a django-tasks task run by ``kansou worker`` (see ``kansou.core.jobs``); each calls the
same code as its command (``kansou train``, ``kansou search reindex``, ``kansou catalog
import``) and reports its progress to its ``Job`` row. ``*_start`` functions record the job and
enqueue it: all a web request does.

Files a job reads come from one folder, ``KANSOU_IMPORT_DIR``, and are named by their bare file
name: a form can offer what is there, and no request can name any other file on the machine.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from kansou import conf
from kansou.core.jobs import Job, JobReporter, job_enqueue, job_running
from kansou.discovery.search.index import search_reindex

try:
    from django.tasks import task  # Django 6
except ImportError:  # Django 5.2: the backport
    from django_tasks import task

KIND_TRAIN, KIND_REINDEX, KIND_CATALOG_IMPORT = "train", "reindex", "catalog-import"
CATALOG_SUFFIXES = (".json", ".jsonl", ".json.gz", ".jsonl.gz")
RATINGS_SUFFIXES = (".csv", ".csv.gz")

# Where each step of ``models_train`` starts and ends, in percent of the whole run (measured on
# the shared catalog: neighbour tables take most of it). A step not named keeps the percent.
TRAIN_STEPS = {
    "Reading the catalog": (0, 5),
    "Reading ratings": (5, 15),
    "Matching interactions": (15, 20),
    "Fitting models": (20, 40),
    "Neighbour tables": (40, 90),
    "Counting co-lovers": (90, 95),
    "Writing the artefact": (95, 99),
}


class ImportFileError(ValueError):
    """A file name that is not a file in the import folder."""


def import_dir() -> Path:
    return Path(settings.KANSOU_IMPORT_DIR)


def import_files(suffixes: tuple[str, ...]) -> list[str]:
    """Names of the files in the import folder ending in one of ``suffixes``, sorted."""
    folder = import_dir()
    if not folder.is_dir():
        return []
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.name.endswith(suffixes)
    )


def import_file_path(name: str) -> Path:
    """The path of file ``name`` in the import folder; a name with a folder in it, or of no
    file there, is refused with an ``ImportFileError`` saying which."""
    if not name or name != Path(name).name or name.startswith("."):
        raise ImportFileError(f"{name!r} is not a plain file name in the import folder")
    path = import_dir() / name
    if not path.is_file():
        raise ImportFileError(f"no file {name!r} in the import folder {import_dir()}")
    return path


def import_file_save(upload) -> str:
    """Save an uploaded file into the import folder under a safe, unused name; returns it."""
    from django.utils.text import get_valid_filename

    name = get_valid_filename(Path(upload.name).name).lstrip(".")
    if not name.endswith(CATALOG_SUFFIXES + RATINGS_SUFFIXES):
        raise ImportFileError(
            f"{upload.name!r}: expected a catalog ({', '.join(CATALOG_SUFFIXES)}) or ratings "
            f"file ({', '.join(RATINGS_SUFFIXES)})"
        )
    folder = import_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stem, rest = name.split(".", 1)
    candidate, n = name, 1
    while (folder / candidate).exists():
        n += 1
        candidate = f"{stem}-{n}.{rest}"
    with open(folder / candidate, "xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return candidate


def _search_reindex():
    # The index may move into the search package (kansou.discovery.search); either place works.
    try:
        from kansou.discovery.search import search_reindex
    except ImportError:
        from kansou.discovery.search.index import search_reindex
    return search_reindex


@task()
def search_rebuild(job_id: int) -> str:
    """Rewrite the whole search index (``kansou search reindex``)."""
    with job_running(job_id) as job:
        job.report(0, "Rewriting every document")
        written = search_reindex()
        return job.finish(f"{written:,} documents written")


def _train_progress(job: JobReporter):
    def progress(step: str, done: int, total: int | None) -> None:
        start, end = TRAIN_STEPS.get(step, (job.job.progress, job.job.progress))
        share = done / total if total else 0.0
        job.report(start + (end - start) * min(share, 1.0), step)

    return progress


@task()
def models_retrain(job_id: int, ratings: str = "", synopsis: bool = False) -> str:
    """Train and switch the served models (``kansou train [--ratings FILE] [--synopsis]``)."""
    from kansou.discovery.training import models_train

    with job_running(job_id) as job:
        ratings_csv = import_file_path(ratings) if ratings else None
        report = models_train(ratings_csv=ratings_csv, text=synopsis, progress=_train_progress(job))
        return job.finish(
            f"Trained {report.model} on {report.items:,} anime, {report.users:,} users, "
            f"{report.interactions:,} interactions in {report.seconds:.1f} s; now serving "
            f"{report.path.name}"
        )


@task()
def catalog_import_file(job_id: int, name: str) -> str:
    """Import a catalog file from the import folder (``kansou catalog import``)."""
    from kansou.catalog.importers.offline_db import open_catalog
    from kansou.catalog.services.importing import catalog_import
    from kansou.core.pagecache import pages_changed

    with job_running(job_id) as job:
        source = open_catalog(import_file_path(name))
        job.report(0, "Reading the file")

        def on_batch(summary) -> None:
            job.fraction(source.bytes_read(), source.size, f"{summary.total:,} records")

        summary = catalog_import(
            records=source.records(),
            batch_size=int(conf.get("KANSOU_IMPORT_BATCH")),
            on_batch=on_batch,
        )
        if summary.created or summary.updated:
            pages_changed()
        lines = [
            f"{summary.total:,} records: {summary.created:,} created, {summary.updated:,} "
            f"updated, {summary.unchanged:,} unchanged, {summary.rejected:,} rejected"
        ]
        lines += [f"rejected {rejection}" for rejection in summary.rejections]
        return job.finish("\n".join(lines))


def reindex_start(*, by) -> Job:
    return job_enqueue(task=search_rebuild, kind=KIND_REINDEX, label="Rebuild search index", by=by)


def train_start(*, by, ratings: str = "", synopsis: bool = False) -> Job:
    """Queue a training run; a ratings file is checked now, so a bad name never queues."""
    if ratings:
        import_file_path(ratings)
    label = "Train recommendations" + (f" with {ratings}" if ratings else "")
    label += " (synopsis words)" if synopsis else ""
    return job_enqueue(
        task=models_retrain, kind=KIND_TRAIN, label=label, by=by,
        ratings=ratings, synopsis=synopsis,
    )  # fmt: skip


def catalog_import_start(*, by, name: str) -> Job:
    import_file_path(name)
    return job_enqueue(
        task=catalog_import_file, kind=KIND_CATALOG_IMPORT, label=f"Import catalog from {name}",
        by=by, name=name,
    )  # fmt: skip
