"""The shared cache backend: diskcache's Django cache, kept open between requests.

Django closes every cache when a request finishes; for diskcache that means closing and, on the
next request, reopening its SQLite connections — more work than the cache reads themselves.
diskcache's connections are per thread and reopen by themselves after a fork, so keeping them
open is safe.
"""

from __future__ import annotations

from diskcache import DjangoCache


class PersistentDiskCache(DjangoCache):
    def close(self, **kwargs) -> None:
        """Kept open: Django calls this after every request."""
