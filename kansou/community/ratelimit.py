"""Fixed-window counters in the default cache: "at most 5 per minute and 30 per hour".

A rate is ``count/window``: ``5/m``, ``30/h``, ``5/15m``, ``100/d``, ``10/30s``; several are
comma-separated (``"5/m,30/h"``) and all must hold. A window starts at a multiple of its length
(12:00:00, 12:01:00, …), so its counter's cache key names that start, and the counter expires a
second after its window ends. The default cache is shared by every worker of a machine (a disk
cache) or of every machine (Redis, with ``KANSOU_CACHE_URL``), so the limits hold across all of
them. Counting is exact on both: ``cache.incr`` is atomic and returns the new count, so of two
workers counting the 5th and 6th event at once, one sees 6 and gives its event back
(``rate_hit`` does not count refused events). A counter is created with ``cache.add``, which
only one worker wins.

Keys hash what they count (an account id, an IP address, a username) so no personal data sits in
cache file names or memcached keys. Per-address limits count :func:`kansou.core.clientip.client_ip`,
which sees through trusted proxies.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache
from django.http import HttpRequest

from kansou.core.clientip import client_ip

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rates(text: str) -> list[Rate]:
    """``"5/m,30/h"`` → ``[Rate(5, 60), Rate(30, 3600)]``; empty text means no limit.

    >>> parse_rates("5/15m")
    [Rate(count=5, seconds=900)]
    """
    rates = []
    for part in filter(str.strip, str(text).split(",")):
        match = _RATE_RE.match(part)
        if match is None:
            raise ValueError(f"bad rate {part!r}: expected count/window such as 5/m or 30/15m")
        count, multiple, unit = match.groups()
        rates.append(Rate(int(count), int(multiple or 1) * UNITS[unit]))
    return rates


def _key(scope: str, ident: str, rate: Rate, start: int) -> str:
    digest = hashlib.sha256(f"{scope}:{ident}".encode()).hexdigest()[:32]
    return f"kansou:rate:{scope}:{digest}:{rate.seconds}:{start}"


def _window(rate: Rate, now: float) -> tuple[int, int]:
    """The current window's start and the whole seconds left in it (at least 1)."""
    start = int(now // rate.seconds * rate.seconds)
    return start, max(1, math.ceil(start + rate.seconds - now))


def _count(key: str, timeout: int) -> int:
    """Add one to the counter at ``key`` (created with ``timeout``); the new count."""
    for _ in range(3):
        try:
            return cache.incr(key)
        except ValueError:  # no counter yet (or it just expired): create it, unless another did
            if cache.add(key, 1, timeout=timeout):
                return 1
    return 1  # created and gone three times over: a cache too full to keep it counts nothing


Window = tuple[str, Rate]  # a counter's key and the rate it counts for


def _windows(checks: list[tuple[str, str, list[Rate]]], now: float) -> list[Window]:
    """The current window's counter of every rate of every ``(scope, ident, rates)``."""
    return [
        (_key(scope, ident, rate, _window(rate, now)[0]), rate)
        for scope, ident, rates in checks
        for rate in rates
    ]


def _wait(windows: list[Window], now: float) -> int:
    """Seconds until one more event fits every window (0: now); one read of the cache."""
    counts = cache.get_many([key for key, _ in windows])  # one round trip to a shared cache
    wait = 0
    for key, rate in windows:
        if counts.get(key, 0) >= rate.count:
            wait = max(wait, _window(rate, now)[1])
    return wait


def _hit(windows: list[Window], now: float) -> int:
    """Count one event in every window unless one is full already; see :func:`rate_hit`."""
    wait = _wait(windows, now)
    if wait:
        return wait  # refused without a write: the common case for a client that keeps trying
    for key, rate in windows:
        left = _window(rate, now)[1]
        if _count(key, left + 1) > rate.count:
            wait = max(wait, left)
    if wait:
        for key, _ in windows:  # give the event back: refused events are not counted
            try:
                cache.decr(key)
            except ValueError:  # expired meanwhile: nothing to give back
                pass
    return wait


def rate_hit(*, scope: str, ident: str, rates: list[Rate], now: float | None = None) -> int:
    """Count one event; 0 when every rate still holds, else the seconds until it would.

    An event over the limit is not counted, so a client that keeps trying is not locked out for
    longer than the window. The counts are checked after counting: of several workers counting
    the last allowed event at once, exactly one gets 0.
    """
    now = time.time() if now is None else now
    return _hit(_windows([(scope, ident, rates)], now), now)


def rate_wait(*, scope: str, ident: str, rates: list[Rate], now: float | None = None) -> int:
    """Seconds until another event is allowed (0: allowed now), without counting one."""
    now = time.time() if now is None else now
    return _wait(_windows([(scope, ident, rates)], now), now)


def rate_clear(*, scope: str, ident: str, rates: list[Rate], now: float | None = None) -> None:
    """Forget the current windows' counts (a successful log-in clears its username's)."""
    now = time.time() if now is None else now
    cache.delete_many([_key(scope, ident, rate, _window(rate, now)[0]) for rate in rates])


@lru_cache(maxsize=64)
def _parsed(text: str) -> list[Rate]:
    """:func:`parse_rates` once per settings value, not once per request."""
    return parse_rates(text)


def account_and_ip_hit(*, scope: str, user_id: int, ip: str, user_rates: str, ip_rates: str) -> int:
    """Count one event for an account and its client address (``<scope>-user``,
    ``<scope>-ip``): 0 when both limits hold, else the seconds to wait. Both are looked at (in
    one read) before either is counted, so an event refused by one is counted by neither; of
    workers racing for the last place, the ones refused give it back to both."""
    checks = [(f"{scope}-user", str(user_id), _parsed(user_rates))]
    if ip:
        checks.append((f"{scope}-ip", ip, _parsed(ip_rates)))
    now = time.time()
    return _hit(_windows(checks, now), now)


def ip_rate_hit(request: HttpRequest, *, scope: str, rates: str) -> int:
    """Count one event from the request's client address under ``scope`` (``rates`` as in
    the settings, e.g. ``"10/h"``); 0 when allowed, else the seconds until it would be."""
    return rate_hit(scope=scope, ident=client_ip(request), rates=_parsed(rates))


def wait_text(seconds: int) -> str:
    """``40`` → "40 seconds", ``61`` → "2 minutes" (rounded up), ``1`` → "1 second"."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"{hours} hour{'s' if hours != 1 else ''}"
