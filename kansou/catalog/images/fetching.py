"""A polite HTTP client for images on other people's servers. No Django.

Polite means: at most ``rate`` requests a second (the fetcher waits before a request that would
come too soon; the wait is counted in ``Fetcher.waited``), a ``User-Agent`` naming Kansou and
where to read about it, a timeout on every request, a cap on the bytes read (a response that
says or turns out to be larger is dropped), and ``http``/``https`` only. Every failure is a
``FetchError`` whose message says what happened, so a job can record it and go on.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kansou import __version__

PROJECT_URL = "https://github.com/kansou/kansou"
USER_AGENT = f"Kansou/{__version__} (+{PROJECT_URL})"
DEFAULT_RATE = 2.0  # requests per second
DEFAULT_TIMEOUT = 20.0  # seconds, per request
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_CHUNK = 64 * 1024


class FetchError(Exception):
    """The URL could not be fetched; the message is a sentence for a report."""


@dataclass
class Fetcher:
    rate: float = DEFAULT_RATE
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    user_agent: str = USER_AGENT
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0  # requests sent
    waited: float = 0.0  # seconds spent waiting for the rate limit
    _last: float | None = field(default=None, repr=False)

    def get(self, url: str) -> bytes:
        """The body of ``url`` (status 200), or ``FetchError``."""
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"not an http(s) URL: {url!r}")
        self._wait_turn()
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(f"{url}: {int(length):,} bytes, over the {self._cap} cap")
                return self._read_capped(response, url)
        except urllib.error.HTTPError as exc:
            raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            raise FetchError(f"{url}: {exc.reason}") from None
        except TimeoutError:
            raise FetchError(f"{url}: no answer within {self.timeout:g} s") from None
        except OSError as exc:
            raise FetchError(f"{url}: {exc}") from None

    @property
    def _cap(self) -> str:
        return f"{self.max_bytes / 1e6:g} MB"

    def _wait_turn(self) -> None:
        now = self.clock()
        if self._last is not None and self.rate > 0:
            due = self._last + 1.0 / self.rate
            if now < due:
                self.sleep(due - now)
                self.waited += due - now
                now = due
        self._last = now
        self.requests += 1

    def _read_capped(self, response, url: str) -> bytes:
        chunks, total = [], 0
        while chunk := response.read(_CHUNK):
            total += len(chunk)
            if total > self.max_bytes:
                raise FetchError(f"{url}: more than the {self._cap} cap")
            chunks.append(chunk)
        return b"".join(chunks)
