"""Background jobs (``kansou.core.jobs``) and the admin's Jobs page (``kansou.core.admin``)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from kansou.core.admin import JOB_STARTERS
from kansou.core.jobs import Job, JobStatus, job_enqueue, job_running
from kansou.discovery.tasks import search_rebuild
from tests.community.factories import UserFactory

pytestmark = pytest.mark.django_db

TRACEBACK = "Traceback (most recent call last):\nOSError: disk full"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _staff(*permissions: str, username: str = "staff"):
    user = UserFactory(username=username, is_staff=True)
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


class TestJobRunning:
    def test_a_job_goes_from_running_to_done_with_progress_100_and_its_result(self):
        job = Job.objects.create(kind="test", label="A test job")
        with job_running(job.pk) as reporter:
            assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING
            reporter.fraction(1, 4, "a quarter")
            assert Job.objects.get(pk=job.pk).progress == 25
            reporter.finish("all done")
        job.refresh_from_db()
        assert (job.status, job.progress, job.result) == (JobStatus.DONE, 100, "all done")
        assert job.started_at <= job.finished_at

    def test_a_failing_job_keeps_its_error_and_the_exception_goes_on_to_the_queue(self):
        job = Job.objects.create(kind="test", label="A failing job")
        with pytest.raises(ValueError, match="no such file"):
            with job_running(job.pk) as reporter:
                reporter.report(40, "halfway")
                raise ValueError("no such file: anime.jsonl")
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED and job.finished_at is not None
        assert job.error_summary == "ValueError: no such file: anime.jsonl"
        assert "Traceback" in job.error and job.progress == 40

    def test_progress_is_written_only_when_the_percent_or_step_changes(
        self, django_assert_num_queries
    ):
        job = Job.objects.create(kind="test", label="Many records")
        with job_running(job.pk) as reporter:
            with django_assert_num_queries(3):  # the new step at 0%, then 1%, then 2%
                for done in range(1, 3000):
                    reporter.fraction(done, 100_000, "records")

    def test_only_finishing_says_100(self):
        job = Job.objects.create(kind="test", label="Rounding")
        with job_running(job.pk) as reporter:
            reporter.fraction(999, 1000)
            assert Job.objects.get(pk=job.pk).progress == 99


class TestJobEnqueue:
    def test_enqueueing_writes_the_job_and_a_waiting_task_that_names_it(self):
        job = job_enqueue(task=search_rebuild, kind="reindex", label="Rebuild search index")
        assert job.status == JobStatus.QUEUED and job.started_at is None
        task = DBTaskResult.objects.get(pk=job.task_id)
        assert task.status == "READY"
        assert task.task_path == "kansou.discovery.tasks.search_rebuild"
        assert task.args_kwargs == {"args": [], "kwargs": {"job_id": job.pk}}

    def test_with_the_immediate_backend_the_job_has_run_when_enqueue_returns(self, settings):
        settings.TASKS = IMMEDIATE
        job = job_enqueue(task=search_rebuild, kind="reindex", label="Rebuild search index")
        assert job.status == JobStatus.DONE and job.progress == 100
        assert job.task_id and job.result.endswith("documents written")


class TestJobsPage:
    def test_staff_who_may_start_jobs_see_each_job_its_progress_and_error(self, client):
        Job.objects.create(kind="train", label="Train recommendations", status="running",
                           progress=42, step="Neighbour tables")  # fmt: skip
        Job.objects.create(kind="reindex", label="Rebuild search index", status="failed",
                           error=TRACEBACK)  # fmt: skip
        client.force_login(_staff("core.run_reindex"))
        page = client.get(reverse("admin:core_job_changelist"))
        assert page.status_code == 200
        text = page.content.decode()
        assert 'value="42"' in text and "Neighbour tables" in text
        assert "OSError: disk full" in text
        assert 'http-equiv="refresh"' in text  # a job is unfinished: the page reloads itself
        assert "Rebuild search index</a>" in text  # the button this user may press
        assert "Train recommendations now" not in text  # and not the others

    def test_a_failed_job_shows_its_whole_traceback_on_its_page(self, client):
        job = Job.objects.create(kind="reindex", label="Rebuild", status="failed", error=TRACEBACK)
        client.force_login(_staff("core.view_job"))
        page = client.get(reverse("admin:core_job_change", args=[job.pk]))
        assert page.status_code == 200
        assert "<pre>Traceback (most recent call last):\nOSError: disk full</pre>" in (
            page.content.decode()
        )

    def test_nothing_refreshes_when_every_job_is_finished(self, client):
        Job.objects.create(kind="reindex", label="Rebuild", status="done", progress=100)
        client.force_login(_staff("core.view_job"))
        page = client.get(reverse("admin:core_job_changelist"))
        assert 'http-equiv="refresh"' not in page.content.decode()


@pytest.mark.parametrize("key", sorted(JOB_STARTERS))
class TestStartPermissions:
    """Every start page refuses alike on GET and POST: the log-in page for anyone not staff,
    403 for staff without the starter's permission; and queues nothing."""

    def test_anonymous_and_readers_are_sent_to_log_in(self, client, key):
        url = reverse(f"admin:core_job_start_{key}")
        for user in (None, UserFactory(username="plain-reader")):
            if user:
                client.force_login(user)
            for method in (client.get, client.post):
                response = method(url)
                assert response.status_code == 302
                assert response["Location"].startswith("/admin/login/")
        assert not Job.objects.exists()

    def test_staff_without_the_permission_get_403(self, client, key):
        others = [s.permission for k, s in JOB_STARTERS.items() if k != key]
        client.force_login(_staff("core.view_job", *others))
        url = reverse(f"admin:core_job_start_{key}")
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
        assert not Job.objects.exists()

    def test_staff_with_the_permission_see_the_form(self, client, key):
        client.force_login(_staff(JOB_STARTERS[key].permission))
        page = client.get(reverse(f"admin:core_job_start_{key}"))
        assert page.status_code == 200
        assert JOB_STARTERS[key].title in page.content.decode()
