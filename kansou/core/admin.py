"""The admin's *Jobs* page: background jobs with their progress, and buttons that start them.

A button is a ``JobStarter`` in ``JOB_STARTERS``, registered by the app that owns the work
(discovery registers training, search rebuilds and catalog imports from its ``ready``; core
cannot import it). Each button opens a page at ``/admin/core/job/start/<key>/``: GET shows its
form, POST validates it, queues the job and redirects to the list. Both need staff status and
the starter's permission (403 without it). The list reloads itself every few seconds while a
job is queued or running.

The queue's own table (django-tasks-db's task results) is not shown: a job's row says all that
staff need, with the queue's task id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from kansou.core.jobs import Job, JobStatus

try:
    from django_tasks_db.models import DBTaskResult
except ImportError:  # pragma: no cover (the dependency is always installed)
    DBTaskResult = None

# Seconds between reloads of the list while a job is unfinished.
REFRESH_SECONDS = 3


@dataclass(frozen=True)
class JobStarter:
    """A button on the Jobs page. ``start(request, form)`` queues the job from a valid form and
    returns it; a ``ValueError`` it raises is shown on the form."""

    title: str
    permission: str
    form: type[forms.Form]
    start: Callable[[HttpRequest, forms.Form], Job]
    help: str = ""


JOB_STARTERS: dict[str, JobStarter] = {}


def _starters_for(request: HttpRequest) -> dict[str, JobStarter]:
    return {k: s for k, s in JOB_STARTERS.items() if request.user.has_perm(s.permission)}


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    change_list_template = "admin/core/job/change_list.html"
    list_display = [
        "label", "status", "progress_bar", "step", "requested_by", "enqueued_at", "started_at",
        "finished_at", "error_line",
    ]  # fmt: skip
    list_filter = ["status", "kind"]
    list_select_related = ["requested_by"]
    fields = [
        "label", "kind", "status", "progress", "step", "result", "requested_by", "enqueued_at",
        "started_at", "finished_at", "task_id", "error_text",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="progress")
    def progress_bar(self, job: Job) -> str:
        return format_html('<progress max="100" value="{}"></progress> {}%', job.progress,
                           job.progress)  # fmt: skip

    @admin.display(description="error")
    def error_line(self, job: Job) -> str:
        return job.error_summary

    @admin.display(description="error")
    def error_text(self, job: Job) -> str:
        return format_html("<pre>{}</pre>", job.error) if job.error else "-"

    def has_view_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        # Whoever may start a job sees the list its button leads to.
        return super().has_view_permission(request, obj) or bool(_starters_for(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs are started by the buttons, each with its own permission

    def has_change_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False

    def get_urls(self):
        starts = [
            path(
                f"start/{key}/",
                self.admin_site.admin_view(self.start_view),
                {"key": key},
                name=f"core_job_start_{key}",
            )
            for key in JOB_STARTERS
        ]
        return starts + super().get_urls()

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        unfinished = Job.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        context = {
            **(extra_context or {}),
            "job_starters": [
                (reverse(f"admin:core_job_start_{key}"), starter)
                for key, starter in _starters_for(request).items()
            ],
            "refresh_seconds": REFRESH_SECONDS if unfinished.exists() else 0,
        }
        return super().changelist_view(request, extra_context=context)

    def start_view(self, request: HttpRequest, key: str) -> HttpResponse:
        starter = JOB_STARTERS[key]
        if not request.user.has_perm(starter.permission):
            raise PermissionDenied  # on GET as on POST
        posted = request.method == "POST"
        form = starter.form(request.POST, request.FILES) if posted else starter.form()
        if posted and form.is_valid():
            try:
                job = starter.start(request, form)
            except ValueError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Queued “{job.label}”: a worker will run it.")
                return redirect("admin:core_job_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": starter.title,
            "starter": starter,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/core/job/start.html", context)


if DBTaskResult is not None and admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
