"""Whole-page cache for anonymous readers, shared by every server worker.

A page is served from the cache when the request is a GET or HEAD from someone with no session
(no one logged in, no pending messages) and the stored response was a plain 200 that set no
cookie and did not ask not to be cached. Entries are keyed by scheme, host and path with its
query: pages hold absolute URLs (canonical, Open Graph, JSON-LD, share links) built from the
request when ``KANSOU_SITE_URL`` is unset, so a request for another host name (any name
``ALLOWED_HOSTS`` lets through, with any port) or over the other scheme never fills or reads
the entry ordinary readers get.

Only real changes move the cache on: the services that write what pages show call
:func:`pages_touched` (a comment, a moderation decision) or, through the change listeners in
``kansou.core.changes``, :func:`content_changed` (reviews, catalog corrections, imports);
training and ``kansou serve`` call :func:`pages_changed`. Each moves the cache to a new
*generation*: older entries are never read again and expire on their own. The generations live in
the shared cache (``kansou.core.cache``), so on several nodes behind one Redis a change through
one node is seen by the next request to any node. A generation that goes missing (the cache was
emptied, or evicted it) starts again from the current time in microseconds, past every value it
ever held — one increment per round trip to the cache cannot outrun the clock — so pages cached
under an old generation are never served again. A request by itself
never does, whatever its method or answer — a failed log-in or an anonymous recommendations
POST must not empty the cache for everyone — with one exception: a staff member's write through
``/admin/``, whose model pages save rows without going through the services. A scheduled
review appears at most ``KANSOU_PAGE_CACHE_SECONDS`` after its time. With ``DEBUG`` on, nothing
is cached.

Why not Django's ``UpdateCacheMiddleware``: it keys on ``Vary: Cookie`` values and has no cheap
"everything changed" switch; here one counter read per request decides.

HTTP caching (``kansou.core.httpcache``): a page this cache serves or stores tells shared caches
(nginx's microcache, a CDN) to keep it one second and browsers to revalidate it every time, with
a weak ``ETag`` of its entry; a request whose ``If-None-Match`` names it gets a bodiless 304.
Everything a session holder gets, and every response that sets a cookie, is ``private``.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

from kansou.core.httpcache import mark_private, mark_public, not_modified_or

GENERATION_KEY = "kansou:pages:generation"
# What the pages show apart from comments (reviews, catalog facts, recommendations): keys of
# reader-independent fragments. It moves with content changes, not with every comment.
CONTENT_GENERATION_KEY = "kansou:content:generation"
EXCLUDED_PREFIXES = ("/admin/", "/api/", "/healthz", "/static/", "/accounts/", "/write/")


def _cache():
    return caches[settings.KANSOU_PAGE_CACHE]


def _fresh_generation() -> int:
    return time.time_ns() // 1000


def _bump(key: str) -> None:
    cache = _cache()
    try:
        cache.incr(key)  # atomic on both backends: concurrent changes all count
    except ValueError:  # missing: start past every generation, unless another worker just did
        if not cache.add(key, _fresh_generation(), timeout=None):
            cache.incr(key)


def pages_changed() -> None:
    """Make every cached page and fragment stale (after imports, training, a new release)."""
    _bump(GENERATION_KEY)
    _bump(CONTENT_GENERATION_KEY)


def pages_touched() -> None:
    """Something on the pages changed that is not in the shared fragments (a comment)."""
    _bump(GENERATION_KEY)


def content_changed(ids=None) -> None:
    """Reviews or catalog entries changed: fragments and pages move on. A change listener."""
    pages_changed()


def current_generation() -> int:
    """The page generation now: moves with every change pages show."""
    return _generation(_cache(), GENERATION_KEY)


def content_generation() -> int:
    """The content generation now: part of the keys of reader-independent fragments."""
    return _generation(_cache(), CONTENT_GENERATION_KEY)


def _generation(cache, key: str = GENERATION_KEY) -> int:
    generation = cache.get(key)
    if generation is None:
        fresh = _fresh_generation()
        if cache.add(key, fresh, timeout=None):
            return fresh
        generation = cache.get(key, fresh)  # another worker set it first
    return generation


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(EXCLUDED_PREFIXES)
    )


def _cacheable_response(response: HttpResponse) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and "private" not in control
        and "no-cache" not in control
        and "no-store" not in control
    )


def _admin_write(request: HttpRequest, response: HttpResponse) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method not in ("GET", "HEAD", "OPTIONS")
        and request.path.startswith("/admin/")
        and response.status_code < 400
        and bool(user and user.is_authenticated and user.is_staff)
    )


def page_key(request: HttpRequest, generation: int) -> str:
    """The entry of this URL: scheme, host (validated against ``ALLOWED_HOSTS``) and path."""
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"kansou:page:{generation}:{url}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = self.get_response(request)
            if _admin_write(request, response):
                pages_changed()
            return mark_private(request, response)
        if (
            settings.DEBUG  # with DEBUG, template edits show at once
            or settings.KANSOU_PAGE_CACHE_SECONDS <= 0
            or not _cacheable_request(request)
        ):
            return mark_private(request, self.get_response(request))
        cache = _cache()
        key = page_key(request, _generation(cache, GENERATION_KEY))
        cached = cache.get(key)
        if cached is not None:
            return not_modified_or(request, cached, state="hit")
        response = self.get_response(request)
        if not _cacheable_response(response):
            return mark_private(request, response)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        mark_public(response, key=key)  # stored with its headers: every hit answers the same
        cache.set(key, response, timeout=settings.KANSOU_PAGE_CACHE_SECONDS)
        return not_modified_or(request, response, state="miss")
