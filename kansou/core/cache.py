"""The shared cache: diskcache on one machine, Redis (or Valkey) when several serve the site.

Pages, review fragments, the generation counters that make them stale and every rate-limit and
log-in counter live in Django's ``default`` cache. ``KANSOU_CACHE_URL`` picks its backend
(:func:`cache_settings`):

- empty (the default): :class:`PersistentDiskCache`, diskcache's Django cache in the data
  folder, shared by every worker of one ``kansou serve``;
- ``redis://``, ``rediss://`` or ``unix://``: :class:`RedisCache`, shared by every node.

The code that uses the cache is the same for both and needs three things of it, which
``tests/core/test_cache.py`` checks on both: ``add`` creates a key only when it is absent;
``incr`` is atomic (concurrent increments are all counted), returns the new value, keeps the
key's expiry, and raises ``ValueError`` on a missing key without creating it; a key written
with a timeout is gone after it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import urlsplit

from diskcache import DjangoCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.exceptions import ImproperlyConfigured

REDIS_SCHEMES = ("redis", "rediss", "unix")

# INCRBY only if the key is there, in one step. Django's own incr asks EXISTS, then INCRBY: a key
# expiring in between would be created again by INCRBY with no expiry (a counter kept for ever).
_INCR_IF_PRESENT = """
if redis.call('EXISTS', KEYS[1]) == 1 then
    return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false
"""


class PersistentDiskCache(DjangoCache):
    """diskcache's Django cache, kept open between requests.

    Django closes every cache when a request finishes; for diskcache that means closing and, on
    the next request, reopening its SQLite connections — more work than the cache reads
    themselves. diskcache's connections are per thread and reopen by themselves after a fork,
    so keeping them open is safe. Its ``incr`` runs in one SQLite transaction: atomic across
    processes.
    """

    def close(self, **kwargs) -> None:
        """Kept open: Django calls this after every request."""


class RedisCache(DjangoRedisCache):
    """Django's Redis cache with an ``incr`` that is one server-side step (see above).

    Integers are stored as plain Redis integers (Django's serializer does not pickle them), so
    the script increments the same value ``get`` reads. Works with Valkey too.
    """

    def incr(self, key, delta: int = 1, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        value = client.eval(_INCR_IF_PRESENT, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return int(value)


def cache_settings(url: str, data_dir: Path) -> dict:
    """The ``default`` entry of ``CACHES`` for ``KANSOU_CACHE_URL``; raises
    ``ImproperlyConfigured`` naming the setting for an address it cannot use.

    >>> cache_settings("", Path("/srv/kansou"))["LOCATION"]
    '/srv/kansou/cache'
    >>> cache_settings("redis://127.0.0.1:6379/0", Path("/srv/kansou"))["BACKEND"]
    'kansou.core.cache.RedisCache'
    """
    if not url:
        # SQLite-backed and sharded; unlike Django's file cache it lists no folder per write.
        return {
            "BACKEND": "kansou.core.cache.PersistentDiskCache",
            "LOCATION": str(data_dir / "cache"),
            "SHARDS": 4,
            "DATABASE_TIMEOUT": 0.25,
            "OPTIONS": {"size_limit": 2**30},
        }
    scheme = urlsplit(url).scheme
    if scheme not in REDIS_SCHEMES or "," in url or ";" in url:
        raise ImproperlyConfigured(
            f"KANSOU_CACHE_URL: expected one redis://, rediss:// or unix:// address, got {url!r}"
        )
    if importlib.util.find_spec("redis") is None:
        raise ImproperlyConfigured(
            "KANSOU_CACHE_URL names Redis but its client is missing: pip install 'kansou[redis]'"
        )
    return {
        "BACKEND": "kansou.core.cache.RedisCache",
        "LOCATION": url,
        # A Redis that stops answering fails requests in seconds instead of hanging workers.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
