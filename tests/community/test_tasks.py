"""A long MyAnimeList import is queued for the worker (``kansou.community.tasks``) and the
import page tells the reader where it stands."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kansou.community.models import ListEntry
from kansou.community.tasks import KIND_LIST_IMPORT, list_import_start
from kansou.core.jobs import Job, JobStatus

from .factories import UserFactory, mal_anime
from .mal_files import anime, gzipped, mal_xml

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def reader(client, settings):
    settings.KANSOU_LIST_IMPORT_QUEUE_ENTRIES = 2  # three entries make a "long" export here
    user = UserFactory(username="mai")
    client.force_login(user)
    return user


def _upload(*mal_ids: int) -> SimpleUploadedFile:
    data = gzipped(mal_xml(*(anime(mal_id) for mal_id in mal_ids)))
    return SimpleUploadedFile("animelist.xml.gz", data, "application/gzip")


def test_an_export_past_the_threshold_is_queued_and_nothing_is_written_in_the_request(
    client, reader
):
    for mal_id in (1, 2, 3):
        mal_anime(mal_id)
    response = client.post(reverse("community:list-import"), {"file": _upload(1, 2, 3)})
    assert response.status_code == 302 and response["Location"] == reverse("community:list-import")
    job = Job.objects.get()
    assert (job.kind, job.status, job.requested_by) == (KIND_LIST_IMPORT, "queued", reader)
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"
    assert not ListEntry.objects.exists()

    page = client.get(reverse("community:list-import"))
    assert "Your import is queued" in page.text
    assert "MyAnimeList import of 3 entries for mai" in page.text
    assert 'http-equiv="refresh"' in page.text


def test_a_second_long_export_waits_until_the_first_is_done(client, reader):
    first = list_import_start(user=reader, data=mal_xml(anime(1)), entries=3, overwrite=False)
    page = client.post(reverse("community:list-import"), {"file": _upload(1, 2, 3)})
    assert page.status_code == 200
    assert "Your previous import is still queued" in page.text
    assert list(Job.objects.all()) == [first]
    Job.objects.filter(pk=first.pk).update(enqueued_at=timezone.now() - timedelta(hours=2))
    response = client.post(reverse("community:list-import"), {"file": _upload(1, 2, 3)})
    assert response.status_code == 302 and Job.objects.count() == 2  # a dead worker's is ignored


def test_an_export_within_the_threshold_still_imports_at_once(client, reader):
    mal_anime(1)
    response = client.post(reverse("community:list-import"), {"file": _upload(1)})
    assert response.status_code == 200 and response.context["report"].created == 1
    assert not Job.objects.exists()


def test_a_queued_import_that_ran_shows_its_counts(client, reader, settings):
    settings.TASKS = IMMEDIATE
    for mal_id in (1, 2):
        mal_anime(mal_id)
    client.post(reverse("community:list-import"), {"file": _upload(1, 2, 99)})
    assert Job.objects.get().status == JobStatus.DONE
    assert reader.anime_list.entries.count() == 2
    page = client.get(reverse("community:list-import"))
    assert "Your import is done" in page.text
    assert "2 added, 0 updated, 0 kept as they were, 1 not in the catalog, 0 rejected" in page.text
    assert 'http-equiv="refresh"' not in page.text


def test_a_failed_import_says_so_and_shows_the_reader_no_traceback(client, reader, settings):
    settings.TASKS = IMMEDIATE
    list_import_start(user=reader, data=b"<not-a-mal-export/>", entries=3, overwrite=False)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "MalXmlError" in job.error
    page = client.get(reverse("community:list-import"))
    assert "Your import failed" in page.text and "Traceback" not in page.text


def test_a_reader_sees_only_their_own_imports(client, reader):
    other = UserFactory(username="ren")
    list_import_start(user=other, data=mal_xml(anime(1)), entries=3, overwrite=False)
    page = client.get(reverse("community:list-import"))
    assert "Your import" not in page.text
