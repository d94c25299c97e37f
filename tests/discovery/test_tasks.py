"""Discovery's background jobs (``kansou.discovery.tasks``): queued from the admin, run by a
real ``kansou worker`` process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from kansou.catalog.models import Anime
from kansou.core.jobs import Job, JobStatus
from kansou.discovery.search.models import SearchDocument
from kansou.discovery.tasks import (
    ImportFileError,
    catalog_import_start,
    import_file_path,
    train_start,
)
from tests.catalog.aod_files import record, write_jsonl
from tests.cli.conftest import database_env  # noqa: F401 (a fixture: a throwaway database)
from tests.community.factories import UserFactory
from tests.discovery.recs_data import write_ratings

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def imports(settings, tmp_path):
    settings.KANSOU_IMPORT_DIR = tmp_path / "imports"
    settings.KANSOU_IMPORT_DIR.mkdir()
    return settings.KANSOU_IMPORT_DIR


def _staff(client, *codenames: str):
    user = UserFactory(username="jobs-staff", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


@pytest.mark.django_db
class TestStartingFromTheAdmin:
    """A request records the job and queues it; the work waits for a worker."""

    def test_rebuild_search_queues_a_job_and_rewrites_nothing_in_the_request(self, client):
        Anime.objects.create(title="Already Here")
        SearchDocument.objects.all().delete()
        _staff(client, "run_reindex")
        response = client.post(reverse("admin:core_job_start_reindex"))
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:core_job_changelist")
        job = Job.objects.get()
        assert (job.kind, job.status, job.requested_by.username) == (
            "reindex", JobStatus.QUEUED, "jobs-staff"
        )  # fmt: skip
        assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"
        assert not SearchDocument.objects.exists()  # nothing heavy ran

    def test_train_queues_a_job_and_trains_nothing_in_the_request(
        self, client, catalog, models_dir, imports
    ):
        write_ratings(imports / "ratings.csv")
        _staff(client, "run_training")
        form = client.get(reverse("admin:core_job_start_train")).content.decode()
        assert '<option value="ratings.csv">' in form
        response = client.post(
            reverse("admin:core_job_start_train"), {"ratings": "ratings.csv", "synopsis": "on"}
        )
        assert response.status_code == 302
        job = Job.objects.get()
        assert job.label == "Train recommendations with ratings.csv (synopsis words)"
        kwargs = DBTaskResult.objects.get(pk=job.task_id).args_kwargs["kwargs"]
        assert kwargs == {"job_id": job.pk, "ratings": "ratings.csv", "synopsis": True}
        assert not models_dir.exists()

    def test_an_uploaded_catalog_is_saved_to_the_import_folder_and_queued(
        self, client, imports, tmp_path
    ):
        source = write_jsonl(tmp_path / "new.jsonl", [record(1, "Uploaded One")])
        _staff(client, "run_catalog_import")
        upload = SimpleUploadedFile("new.jsonl", source.read_bytes())
        response = client.post(reverse("admin:core_job_start_catalog-import"), {"upload": upload})
        assert response.status_code == 302
        assert (imports / "new.jsonl").read_bytes() == source.read_bytes()
        job = Job.objects.get()
        assert job.label == "Import catalog from new.jsonl" and job.status == JobStatus.QUEUED
        assert not Anime.objects.filter(title="Uploaded One").exists()

    def test_a_file_outside_the_import_folder_is_refused_and_nothing_queued(self, client, imports):
        _staff(client, "run_catalog_import")
        page = client.post(
            reverse("admin:core_job_start_catalog-import"), {"name": "../../etc/passwd"}
        )
        assert page.status_code == 200
        assert "Select a valid choice" in page.content.decode()
        assert not Job.objects.exists() and not DBTaskResult.objects.exists()


@pytest.mark.django_db
class TestImportFolder:
    def test_names_with_a_folder_or_of_no_file_are_refused_before_queueing(self, imports):
        refused = [
            ("../secret.jsonl", "not a plain file name"),
            ("missing.jsonl", "no file 'missing.jsonl'"),
            (".hidden", "not a plain file name"),
        ]
        for name, why in refused:
            with pytest.raises(ImportFileError, match=why):
                catalog_import_start(by=None, name=name)
        with pytest.raises(ImportFileError, match="no file 'gone.csv'"):
            train_start(by=None, ratings="gone.csv")
        assert not Job.objects.exists()

    def test_a_file_in_the_folder_is_found(self, imports):
        (imports / "a.jsonl").write_text("")
        assert import_file_path("a.jsonl") == imports / "a.jsonl"


@pytest.mark.django_db
class TestJobsRun:
    """The tasks' bodies, run at enqueue time by the ImmediateBackend."""

    def test_a_catalog_import_job_imports_and_reports_its_counts(self, settings, imports):
        settings.TASKS = IMMEDIATE
        write_jsonl(imports / "a.jsonl", [record(1, "Job One"), record(2, "Job Two")])
        job = catalog_import_start(by=None, name="a.jsonl")
        assert job.status == JobStatus.DONE and job.progress == 100
        assert job.result.startswith("2 records: 2 created, 0 updated")
        assert set(Anime.objects.values_list("title", flat=True)) == {"Job One", "Job Two"}

    def test_a_training_job_trains_and_serves_the_new_version(
        self, settings, catalog, models_dir, imports
    ):
        settings.TASKS = IMMEDIATE
        write_ratings(imports / "ratings.csv")
        job = train_start(by=None, ratings="ratings.csv")
        assert job.status == JobStatus.DONE and job.progress == 100, job.error
        assert job.result.startswith("Trained hybrid on 12 anime")
        assert (models_dir / "current").exists()


def _kansou(env, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "kansou", *args], env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done


def _python(env, code: str) -> str:
    return _kansou(env, "manage", "shell", "-c", code).stdout.strip().splitlines()[-1]


JOBS_JSON = (
    "import json; from kansou.core.jobs import Job; print(json.dumps([dict(label=j.label, "
    "status=j.status, progress=j.progress, result=j.result, error=j.error) "
    "for j in Job.objects.order_by('pk')]))"
)


def test_a_worker_process_runs_queued_jobs_to_the_end_and_records_failures(
    tmp_path,
    database_env,  # noqa: F811
):
    imports = tmp_path / "imports"
    imports.mkdir()
    env = {**database_env, "KANSOU_IMPORT_DIR": str(imports)}
    write_jsonl(imports / "first.jsonl", [record(1, "Worker One"), record(2, "Worker Two")])
    write_jsonl(imports / "more.jsonl", [record(3, "Worker Three")])
    (imports / "broken.jsonl.gz").write_bytes(b"this is not gzip")
    _kansou(env, "catalog", "import", str(imports / "first.jsonl"), "--quiet")
    enqueue = (
        "from kansou.discovery.search.models import SearchDocument; "
        "SearchDocument.objects.all().delete(); "
        "from kansou.discovery.tasks import reindex_start, catalog_import_start as c; "
        "reindex_start(by=None); c(by=None, name='more.jsonl'); c(by=None, name='broken.jsonl.gz')"
    )
    queued = json.loads(_python(env, f"{enqueue}; {JOBS_JSON}"))
    assert [job["status"] for job in queued] == ["queued"] * 3

    _kansou(env, "worker", "--batch")

    reindex, more, broken = json.loads(_python(env, JOBS_JSON))
    assert (reindex["status"], reindex["progress"]) == ("done", 100)
    assert reindex["result"] == "2 documents written"
    assert (more["status"], more["progress"]) == ("done", 100)
    assert more["result"].startswith("1 records: 1 created")
    assert broken["status"] == "failed" and broken["progress"] < 100
    assert "broken.jsonl.gz" in broken["error"] and "Traceback" in broken["error"]
    found = json.loads(_kansou(env, "search", "find", "Worker", "--json").stdout)
    assert {hit["title"] for hit in found["results"]} >= {"Worker One", "Worker Three"}
