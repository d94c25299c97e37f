"""Gzip for pages that hold no secret.

BREACH recovers a secret from a compressed response's size when the page also reflects what an
attacker sends (a search box does). Django masks CSRF tokens per response and pads gzip output
with random bytes (``max_random_bytes``), which slows the attack down; leaving secrets
uncompressed stops it. So a response is compressed only when the request carries no session (no
one signed in: no account data, no comment form) and the response sets no cookie (a form's CSRF
token comes with its cookie). That is every page anonymous readers get — the pages the page cache
holds, and almost all traffic.

Placed above the page cache, which then stores pages uncompressed and serves them to every client
whatever it accepts; below WhiteNoise, which serves static files already compressed at
``collectstatic`` and must not see them compressed again.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware


def holds_secret(request: HttpRequest, response: HttpResponse) -> bool:
    return bool(response.cookies) or settings.SESSION_COOKIE_NAME in request.COOKIES


class AnonymousGZipMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if holds_secret(request, response):
            return response
        return super().process_response(request, response)
