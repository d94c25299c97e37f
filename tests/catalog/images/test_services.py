"""The poster job: fetched once, politely, into storage; resumable; failures recorded."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from kansou.catalog.images.fetching import USER_AGENT, Fetcher
from kansou.catalog.images.models import MAX_ATTEMPTS, PosterFetch
from kansou.catalog.images.services import poster_tasks, posters_fetch
from kansou.catalog.models import Anime
from tests.catalog.factories import AnimeFactory
from tests.catalog.images.imageserver import image_bytes

pytestmark = pytest.mark.django_db


class FakeClock:
    """Time that moves only when the fetcher sleeps: the rate limit is checked by counting."""

    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _fetcher(**kwargs) -> Fetcher:
    clock = FakeClock()
    return Fetcher(clock=clock, sleep=clock.sleep, **kwargs)


def _run(**kwargs) -> list:
    fetcher = kwargs.pop("fetcher", None) or _fetcher()
    return list(posters_fetch(tasks=poster_tasks(**kwargs), fetcher=fetcher))


def test_a_poster_is_stored_with_its_sizes_and_described_on_the_anime(image_server):
    anime = AnimeFactory(picture=image_server.add("/a/large.jpg", image_bytes(460, 650)))
    [outcome] = _run()
    assert outcome.stored
    anime.refresh_from_db()
    poster = anime.stored_poster
    assert (poster.width, poster.height, poster.widths) == (460, 650, (160, 320, 460))
    assert poster.stem.startswith(f"posters/{anime.pk}/")
    for name in [*poster.names(), poster.original_name("jpg")]:
        assert default_storage.exists(name), name
    assert PosterFetch.objects.get(anime=anime).stored


def test_every_request_names_kansou_in_its_user_agent(image_server):
    AnimeFactory(picture=image_server.add("/ua.jpg", image_bytes()))
    _run()
    [seen] = image_server.requests
    assert seen.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("Kansou/") and "(+http" in USER_AGENT


def test_running_again_skips_what_is_stored(image_server):
    AnimeFactory(picture=image_server.add("/once.jpg", image_bytes()))
    _run()
    assert poster_tasks() == []
    assert _run() == []
    assert image_server.hits("/once.jpg") == 1


def test_the_thumbnail_is_fetched_when_there_is_no_picture(image_server):
    AnimeFactory(picture="", thumbnail=image_server.add("/small.jpg", image_bytes(100, 140)))
    [outcome] = _run()
    assert outcome.stored and outcome.task.url.endswith("/small.jpg")


def test_a_failure_is_recorded_with_its_reason_and_the_anime_keeps_no_poster(image_server):
    anime = AnimeFactory(picture=image_server.url("/gone.jpg"))
    [outcome] = _run()
    assert not outcome.stored and "HTTP 404" in outcome.error
    fetch = PosterFetch.objects.get(anime=anime)
    assert (fetch.stored, fetch.attempts) == (False, 1) and "HTTP 404" in fetch.error
    anime.refresh_from_db()
    assert anime.stored_poster is None


def test_a_dead_url_is_tried_three_times_then_left_alone_until_asked(image_server):
    AnimeFactory(picture=image_server.url("/dead.jpg"))
    for _ in range(MAX_ATTEMPTS + 2):
        _run()
    assert image_server.hits("/dead.jpg") == MAX_ATTEMPTS
    assert PosterFetch.objects.given_up().count() == 1
    _run(retry_failed=True)
    assert image_server.hits("/dead.jpg") == MAX_ATTEMPTS + 1


def test_one_failure_does_not_stop_the_job(image_server):
    AnimeFactory(picture=image_server.url("/missing.jpg"))
    AnimeFactory(picture=image_server.add("/fine.jpg", image_bytes()))
    outcomes = _run()
    assert [o.stored for o in outcomes] == [False, True]


def test_a_file_that_is_not_an_image_is_a_recorded_failure(image_server):
    anime = AnimeFactory(picture=image_server.add("/page.jpg", b"<html>", content_type="text/html"))
    [outcome] = _run()
    assert "not an image" in outcome.error
    assert "not an image" in PosterFetch.objects.get(anime=anime).error


def test_a_response_over_the_size_cap_is_refused(image_server):
    AnimeFactory(picture=image_server.add("/huge.jpg", image_bytes(900, 1300)))
    [outcome] = _run(fetcher=_fetcher(max_bytes=1000))
    assert not outcome.stored and "cap" in outcome.error


def test_requests_keep_to_the_rate_limit(image_server):
    for n in range(5):
        AnimeFactory(picture=image_server.add(f"/r{n}.jpg", image_bytes(60, 90)))
    clock = FakeClock()
    fetcher = Fetcher(rate=2.0, clock=clock, sleep=clock.sleep)
    list(posters_fetch(tasks=poster_tasks(), fetcher=fetcher))
    # Five requests at 2 a second, none of them slow: four waits of half a second.
    assert fetcher.requests == 5 and len(image_server.requests) == 5
    assert clock.slept == [0.5] * 4 and fetcher.waited == pytest.approx(2.0)


def test_a_new_picture_url_is_fetched_and_the_old_files_deleted(image_server):
    anime = AnimeFactory(picture=image_server.add("/v1.jpg", image_bytes(color=(1, 2, 3))))
    _run()
    anime.refresh_from_db()
    old = anime.stored_poster
    Anime.objects.filter(pk=anime.pk).update(
        picture=image_server.add("/v2.jpg", image_bytes(color=(9, 9, 9)))
    )
    [outcome] = _run()
    anime.refresh_from_db()
    assert outcome.stored and anime.stored_poster.stem != old.stem
    assert not any(default_storage.exists(name) for name in old.names())


def test_a_host_that_refuses_connections_is_a_recorded_failure(image_server):
    from tests.catalog.images.imageserver import serve

    dead, server = serve()
    server.shutdown()
    server.server_close()  # nothing listens on its port any more
    anime = AnimeFactory(picture=dead.url("/poster.jpg"))
    [outcome] = _run(fetcher=_fetcher(timeout=2))
    assert not outcome.stored and "refused" in outcome.error.lower()
    assert PosterFetch.objects.get(anime=anime).attempts == 1
