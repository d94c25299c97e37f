"""Background jobs: heavy work started from the web runs in ``kansou worker``, never in a request.

Two records per job, each with one owner:

- the **queue** is django-tasks' (``TASKS`` in settings): its database backend stores each
  enqueued task as a row that ``kansou worker`` (django-tasks-db's ``db_worker``) claims, runs
  and marks finished, so any number of workers on any machine share one queue;
- the **job** (``Job``, here) is what people see: what was asked, by whom, its status, its
  progress in percent with the step it is on, its times, its result line and its error.

A task takes the job's id as its first argument and runs its work inside ``job_running``, which
marks the job running, hands the work a ``JobReporter`` for progress, and marks it done, or
failed with the error's text (then re-raises, so the queue records the failure too)::

    @task()
    def search_rebuild(job_id: int) -> str:
        with job_running(job_id) as job:
            written = search_reindex()
            return job.finish(f"{written:,} documents written")

``job_enqueue`` writes the job row, then enqueues the task with the row's id: the request that
asks does nothing heavier than two inserts. Tests may set the ``ImmediateBackend``, which runs
the task inside ``enqueue``; every deployment runs the database backend and a worker.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

# What a failed job keeps of its traceback: the end, where the error is.
MAX_ERROR_CHARS = 20_000


class JobStatus(models.TextChoices):
    QUEUED = "queued", "queued"
    RUNNING = "running", "running"
    DONE = "done", "done"
    FAILED = "failed", "failed"


class Job(models.Model):
    """One piece of background work as people see it (the queue's own row is the task's)."""

    kind = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="percent done")
    step = models.CharField(max_length=200, blank=True)
    result = models.TextField(blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="the queue's task id")
    enqueued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-enqueued_at", "-pk"]
        indexes = [models.Index(fields=["kind", "requested_by", "-enqueued_at"])]
        permissions = [
            ("run_training", "Can start training the recommendations"),
            ("run_reindex", "Can start a rebuild of the search index"),
            ("run_catalog_import", "Can start a catalog import"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def error_summary(self) -> str:
        """The error's last line (``ValueError: …``), the part a list has room for."""
        lines = [line for line in self.error.strip().splitlines() if line.strip()]
        return lines[-1].strip() if lines else ""


def job_enqueue(*, task: Any, kind: str, label: str, by=None, **kwargs: Any) -> Job:
    """Record a job and put its task on the queue; returns the job as it is after enqueueing.

    ``task`` is a django-tasks ``Task`` whose first parameter is ``job_id``; ``kwargs`` are its
    other arguments (JSON values: the database backend stores them).
    """
    job = Job.objects.create(kind=kind, label=label[:200], requested_by=by)
    queued = task.enqueue(job_id=job.pk, **kwargs)
    # Only the task id: with the ImmediateBackend the task has already written the rest.
    Job.objects.filter(pk=job.pk).update(task_id=str(queued.id))
    job.refresh_from_db()
    return job


class JobReporter:
    """Progress of one running job, written to its row only when the percent or step changes
    (a loop may report every record: the row is written at most about a hundred times a step)."""

    def __init__(self, job: Job):
        self.job = job

    def report(self, percent: float, step: str | None = None) -> None:
        percent_int = max(0, min(99, int(percent)))  # 100 means finished: only finish() says it
        step = self.job.step if step is None else step[:200]
        if percent_int == self.job.progress and step == self.job.step:
            return
        self.job.progress, self.job.step = percent_int, step
        Job.objects.filter(pk=self.job.pk).update(progress=percent_int, step=step)

    def fraction(self, done: float, total: float, step: str | None = None) -> None:
        """``done`` of ``total`` (a total of 0 or less reports nothing new but the step)."""
        self.report(100 * done / total if total > 0 else self.job.progress, step)

    def finish(self, result: str) -> str:
        """The job's result line, shown in the admin; returned so the task can return it."""
        self.job.result = result
        return result


@contextmanager
def job_running(job_id: int) -> Iterator[JobReporter]:
    """Run a job's work: running while inside, then done (progress 100) or failed.

    A failed job keeps the error's message and traceback, and the exception goes on to the
    queue, which records the task as failed too.
    """
    job = Job.objects.get(pk=job_id)
    job.status, job.started_at, job.progress = JobStatus.RUNNING, timezone.now(), 0
    job.finished_at, job.error = None, ""
    job.save(update_fields=["status", "started_at", "progress", "finished_at", "error"])
    reporter = JobReporter(job)
    try:
        yield reporter
    except BaseException as exc:
        text = "".join(traceback.format_exception(exc))
        job.status, job.error = JobStatus.FAILED, text[-MAX_ERROR_CHARS:]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    job.status, job.progress, job.finished_at = JobStatus.DONE, 100, timezone.now()
    job.save(update_fields=["status", "progress", "step", "result", "finished_at"])
