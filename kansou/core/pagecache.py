"""Whole-page cache for anonymous readers, shared by every server worker.

A page is served from the cache when the request is a GET or HEAD from someone with no session
(no one logged in, no pending messages) and the stored response was a plain 200 that set no
cookie and did not ask not to be cached. Every successful write through the site (any POST, PUT,
PATCH or DELETE answered below 400: a comment, a publish, a correction) and every command-line
import calls :func:`pages_changed`, which moves the cache to a new *generation*: older entries are
never read again and expire on their own; ``kansou serve`` does the same when it starts, so a new
release never serves the old one's pages. A scheduled review appears at most
``KANSOU_PAGE_CACHE_SECONDS`` after its time. With ``DEBUG`` on, nothing is cached.

Why not Django's ``UpdateCacheMiddleware``: it keys on ``Vary: Cookie`` values and has no cheap
"everything changed" switch; here one counter read per request decides.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "kansou:pages:generation"
# What the pages show apart from comments (reviews, catalog facts, recommendations): keys of
# reader-independent fragments. It moves with content changes, not with every comment.
CONTENT_GENERATION_KEY = "kansou:content:generation"
EXCLUDED_PREFIXES = ("/admin/", "/api/", "/healthz", "/static/", "/accounts/", "/write/")


def _cache():
    return caches[settings.KANSOU_PAGE_CACHE]


def _bump(key: str) -> None:
    cache = _cache()
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)


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
    """The page generation now: moves with every write through the site."""
    return _generation(_cache(), GENERATION_KEY)


def content_generation() -> int:
    """The content generation now: part of the keys of reader-independent fragments."""
    return _generation(_cache(), CONTENT_GENERATION_KEY)


def _generation(cache, key: str = GENERATION_KEY) -> int:
    generation = cache.get(key)
    if generation is None:
        cache.add(key, 1, timeout=None)
        generation = cache.get(key, 1)
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


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            response = self.get_response(request)
            if response.status_code < 400:
                _bump(GENERATION_KEY)
            return response
        if settings.DEBUG or settings.KANSOU_PAGE_CACHE_SECONDS <= 0:
            return self.get_response(request)  # with DEBUG, template edits show at once
        if not _cacheable_request(request):
            return self.get_response(request)
        cache = _cache()
        key = f"kansou:page:{_generation(cache, GENERATION_KEY)}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            cached["X-Kansou-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if _cacheable_response(response):
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            cache.set(key, response, timeout=settings.KANSOU_PAGE_CACHE_SECONDS)
            response["X-Kansou-Cache"] = "miss"
        return response
