"""The shared cache keeps the same promises on both backends: diskcache in a folder, and a real
redis-server (started here on a free loopback port, never a mock; skipped only when Debian's
``redis-server`` is absent). ``cache_backend`` is the fixture other suites use to run on both
(``tests/community/test_ratelimit.py``)."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory

from kansou.core import pagecache
from kansou.core.cache import cache_settings

REDIS_SERVER = Path("/usr/bin/redis-server")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int, process: subprocess.Popen, seconds: float = 10) -> bool:
    import redis

    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            time.sleep(0.02)
    return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A redis-server of its own: loopback only, data in a temporary folder, never saved."""
    if not REDIS_SERVER.exists():
        pytest.skip("redis-server is not installed (scripts/system-deps.sh installs it)")
    pytest.importorskip("redis")
    folder = tmp_path_factory.mktemp("redis")
    for _ in range(3):  # a free port can be taken between the probe and the start
        port = _free_port()
        process = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder),
             "--save", "", "--appendonly", "no", "--logfile", str(folder / "redis.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if _answers(port, process):
            break
        process.kill()
        process.wait()
    else:
        pytest.fail(f"redis-server did not start: {(folder / 'redis.log').read_text()[-2000:]}")
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(params=["diskcache", "redis"])
def cache_backend(request, settings, tmp_path):
    """The ``default`` cache on each backend in turn, configured as ``KANSOU_CACHE_URL`` does,
    and empty."""
    url = request.getfixturevalue("redis_url") if request.param == "redis" else ""
    settings.CACHES = {"default": cache_settings(url, tmp_path)}
    cache.clear()
    return request.param


def _in_threads(target, count: int) -> None:
    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)


@pytest.mark.usefixtures("cache_backend")
class TestBothBackends:
    def test_add_creates_a_key_only_when_it_is_absent(self):
        assert cache.add("k", 1, timeout=60) is True
        assert cache.add("k", 2, timeout=60) is False
        assert cache.get("k") == 1

    def test_incr_returns_the_new_value(self):
        cache.add("k", 0, timeout=60)
        assert [cache.incr("k"), cache.incr("k"), cache.incr("k", 5)] == [1, 2, 7]
        assert cache.decr("k") == 6
        assert cache.get("k") == 6

    def test_incr_of_a_missing_key_raises_and_creates_nothing(self):
        with pytest.raises(ValueError):
            cache.incr("missing")
        assert cache.get("missing") is None

    def test_concurrent_increments_are_all_counted(self):
        cache.add("k", 0, timeout=60)

        def count():
            for _ in range(50):
                cache.incr("k")

        _in_threads(count, 8)
        assert cache.get("k") == 400

    def test_get_many_returns_only_the_keys_present(self):
        cache.set("a", 1, timeout=60)
        cache.set("b", "text", timeout=60)
        assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": "text"}

    def test_expiry_is_kept_by_incr_and_an_expired_key_can_be_added_again(self):
        cache.add("counter", 0, timeout=1)
        cache.set("forever", 1, timeout=None)
        assert cache.incr("counter") == 1
        time.sleep(1.3)
        assert cache.get("counter") is None
        with pytest.raises(ValueError):
            cache.incr("counter")
        assert cache.add("counter", 5, timeout=60) is True
        assert cache.get("forever") == 1

    def test_a_cached_response_comes_back_whole(self):
        response = HttpResponse("<p>page</p>", headers={"X-Test": "1"})
        cache.set("page", response, timeout=60)
        back = cache.get("page")
        assert (back.content, back["X-Test"], back.status_code) == (b"<p>page</p>", "1", 200)


@pytest.mark.usefixtures("cache_backend")
class TestGenerations:
    @pytest.fixture(autouse=True)
    def _page_cache(self, settings):
        settings.KANSOU_PAGE_CACHE_SECONDS = 60

    def test_every_concurrent_change_moves_the_generation(self):
        before = pagecache.current_generation()
        _in_threads(lambda: [pagecache.pages_touched() for _ in range(25)], 4)
        assert pagecache.current_generation() == before + 100

    def test_a_lost_generation_never_brings_old_pages_back(self):
        renders = []

        def view(request):
            renders.append(1)
            return HttpResponse(f"render {len(renders)}")

        middleware = pagecache.AnonymousPageCacheMiddleware(view)
        read = lambda: middleware(RequestFactory().get("/reviews/x/"))  # noqa: E731
        read()
        assert read()["X-Kansou-Cache"] == "hit"
        pagecache.pages_touched()
        cache.delete(pagecache.GENERATION_KEY)  # emptied or evicted, old pages still stored
        assert read().content == b"render 2"

    def test_a_change_while_the_generation_is_missing_still_counts(self):
        cache.delete(pagecache.GENERATION_KEY)
        pagecache.pages_touched()
        first = pagecache.current_generation()
        pagecache.pages_touched()
        assert pagecache.current_generation() == first + 1


def test_no_cache_url_means_a_disk_cache_in_the_data_folder(tmp_path):
    config = cache_settings("", tmp_path)
    assert config["BACKEND"] == "kansou.core.cache.PersistentDiskCache"
    assert config["LOCATION"] == str(tmp_path / "cache")


@pytest.mark.parametrize(
    "url", ["redis://cache.internal:6379/1", "rediss://:pw@cache:6380/0", "unix:///run/r.sock"]
)
def test_a_redis_url_means_the_redis_cache(url, tmp_path):
    config = cache_settings(url, tmp_path)
    assert (config["BACKEND"], config["LOCATION"]) == ("kansou.core.cache.RedisCache", url)


@pytest.mark.parametrize(
    "url", ["memcached://127.0.0.1:11211", "127.0.0.1:6379", "redis://a:6379,redis://b:6379"]
)
def test_an_address_it_cannot_use_names_the_setting(url, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="KANSOU_CACHE_URL"):
        cache_settings(url, tmp_path)


def test_a_counter_expiring_during_incr_is_not_brought_back_without_expiry(settings, redis_url):
    """Django's own incr asks EXISTS, then INCRBY: a key expiring in between came back with no
    expiry, a counter kept for ever. Keys here live 1–2 ms, so some expire mid-call."""
    settings.CACHES = {"default": cache_settings(redis_url, Path("."))}
    raw = cache._cache.get_client(write=True)
    key = cache.make_and_validate_key("short")
    for attempt in range(3000):
        raw.set(key, 0, px=1 + attempt % 2)
        try:
            cache.incr("short")
        except ValueError:
            pass
        assert raw.ttl(key) != -1, f"no expiry after attempt {attempt}"
