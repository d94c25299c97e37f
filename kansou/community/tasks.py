"""A reader's large MyAnimeList import, run by ``kansou worker`` instead of in the request.

The import page parses every upload at once (bounded by ``mal_xml``'s caps) and imports a small
export in the request, as before. An export with more than ``KANSOU_LIST_IMPORT_QUEUE_ENTRIES``
entries is queued instead (``kansou.core.jobs``): writing 20,000 entries takes from 10 seconds
(new ones) to over two minutes (overwriting, on SQLite), past any request's patience. The file
travels with the queued task, gzipped, so a worker on any machine can run it; the page then
shows the reader the job's state (queued, running, done with its counts, or failed).
"""

from __future__ import annotations

import base64
import gzip
import io
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from kansou.catalog.importers.mal_xml import read_mal_file
from kansou.community.services import anime_list_import_mal
from kansou.core.jobs import Job, job_enqueue, job_running

try:
    from django.tasks import task  # Django 6
except ImportError:  # Django 5.2: the backport
    from django_tasks import task

KIND_LIST_IMPORT = "list-import"
GZIP_MAGIC = b"\x1f\x8b"
BUSY_FOR = timedelta(hours=1)


def list_import_queues(*, entries: int) -> bool:
    """Whether an export this long is imported in the background rather than in the request."""
    return entries > settings.KANSOU_LIST_IMPORT_QUEUE_ENTRIES


@task()
def list_import_mal(job_id: int, user_id: int, export_gz_b64: str, overwrite: bool) -> str:
    """Import a queued MyAnimeList export into its reader's list (``anime_list_import_mal``)."""
    with job_running(job_id) as job:
        user = get_user_model().objects.get(pk=user_id)
        export = read_mal_file(io.BytesIO(base64.b64decode(export_gz_b64)))
        job.report(0, f"Importing {len(export.entries):,} entries")
        report = anime_list_import_mal(user=user, export=export, overwrite=overwrite)
        return job.finish(str(report))


class ListImportBusy(ValueError):
    """The reader's previous queued import has not finished."""


def list_import_start(*, user, data: bytes, entries: int, overwrite: bool) -> Job:
    """Queue the import of an uploaded export (its bytes as uploaded, gzipped or not).

    Rule: one queued import per reader at a time. A previous one still unfinished after
    ``BUSY_FOR`` (its worker died) no longer blocks.
    """
    previous = list_import_latest(user=user)
    if (
        previous is not None
        and not previous.is_finished
        and previous.enqueued_at > timezone.now() - BUSY_FOR
    ):
        raise ListImportBusy(
            f"Your previous import is still {previous.status}: wait until it is done."
        )
    packed = data if data.startswith(GZIP_MAGIC) else gzip.compress(data)
    return job_enqueue(
        task=list_import_mal, kind=KIND_LIST_IMPORT, by=user,
        label=f"MyAnimeList import of {entries:,} entries for {user.get_username()}",
        user_id=user.pk, export_gz_b64=base64.b64encode(packed).decode("ascii"),
        overwrite=overwrite,
    )  # fmt: skip


def list_import_latest(*, user) -> Job | None:
    """The reader's most recent queued import, for the import page."""
    return Job.objects.filter(kind=KIND_LIST_IMPORT, requested_by=user).first()
