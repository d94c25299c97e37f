"""What HTTP caches in front (nginx's microcache, a CDN, the browser) may do with a response.

A page the page cache (``kansou.core.pagecache``) serves or stores — an anonymous GET or HEAD
answered 200, no cookie set — is shared by every anonymous reader, so it says::

    Cache-Control: public, max-age=0, s-maxage=1, must-revalidate
    ETag: W/"<hash of its cache entry's key, generation included, and of its body>"

``s-maxage=1``: a shared cache keeps it one second (*microcaching*: under a burst, one request a
second per page reaches the site) — a new comment or publish is on every page within a second.
``max-age=0, must-revalidate``: a browser asks again every time, so a reader's own browser never
shows a page older than the last change, and the answer is mostly a bodiless 304: the ETag is
checked against the cached entry, never re-rendered. Rather than ``max-age=1``, which would let a
browser show a page up to a second old after the reader has seen it change elsewhere.

The ETag names the key (which holds the generation that every change moves on) *and* the body:
a scheduled review appears when the entry expires, without the generation moving, and must not
be answered "not modified". It is weak (``W/``): the same page gzipped or not is the same page,
and Django's GZipMiddleware would weaken a strong one anyway, so a 304 holds through gzip.
No ``Last-Modified``: the generation is a counter, not a time, and an HTTP date's one-second
resolution would answer a bare ``If-Modified-Since`` with 304 for a page that changed twice within
one second; every cache that matters revalidates with ``If-None-Match``.

Anything else a session holder (someone signed in) gets, and every response that sets a cookie
(a CSRF token, a session), is ``private, no-cache``: no shared cache ever stores it, and a browser
revalidates it. A session holder's response keeps ``public`` only when its view said so itself
(the favicon); a response that sets a cookie never does.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

PUBLIC = {"public": True, "max_age": 0, "s_maxage": 1, "must_revalidate": True}


def page_etag(key: str, content: bytes) -> str:
    """A weak ETag for the page stored under ``key`` with this body."""
    digest = hashlib.blake2b(key.encode(), digest_size=12)
    digest.update(content)
    return f'W/"{digest.hexdigest()}"'


def mark_public(response: HttpResponse, *, key: str) -> HttpResponse:
    """Headers of a page the page cache stores under ``key``: shared caches keep it a second."""
    patch_cache_control(response, **PUBLIC)
    response["ETag"] = page_etag(key, response.content)
    return response


def mark_private(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """``private, no-cache`` for what a session holder gets and for whatever sets a cookie."""
    if response.cookies or (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        and "public" not in response.get("Cache-Control", "")
    ):
        patch_cache_control(response, private=True, no_cache=True)  # drops any `public`
    return response


def not_modified_or(request: HttpRequest, response: HttpResponse, *, state: str) -> HttpResponse:
    """A bodiless 304 when ``If-None-Match`` names this page's ETag, else the page itself;
    ``X-Kansou-Cache`` says whether the page cache had it (``hit``) or not (``miss``)."""
    answer = get_conditional_response(request, etag=response["ETag"], response=response)
    answer["X-Kansou-Cache"] = state
    return answer
