"""The site's fixed links (header, feeds, account pages), reversed once per process.

Every page's header links to the same dozen places; reversing each name on every request cost a
fifth of a review page's rendering. ``site_links`` reverses them once per URLconf and script
prefix (all fixed in a running server, changed in tests) and the ``navigation`` context
processor hands them to every template as ``links``.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

LINKS = {
    "home": "reviews:home",
    "atom": "reviews:atom",
    "rss": "reviews:feed",
    "search": "discovery:search",
    "catalog": "catalog:anime-list",
    "discover": "recommendations:discover",
    "login": "login",
    "logout": "logout",
    "sign_up": "community:sign-up",
}


@functools.cache
def _links(urlconf, prefix: str) -> dict[str, str]:
    return {name: reverse(view, urlconf=urlconf) for name, view in LINKS.items()}


def site_links() -> dict[str, str]:
    """Link name (a key of ``LINKS``) -> path."""
    return _links(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


def navigation(request) -> dict:
    return {"links": site_links()}
