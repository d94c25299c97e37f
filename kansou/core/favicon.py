"""``/favicon.ico``: browsers and crawlers ask for it at the root whatever the page links.

Served from the package's static folder (``scripts/make_favicon.py`` draws it) rather than
redirected to the hashed static URL: a permanent redirect would outlive the hashed name it points
to. The name is not hashed, so it is cached for a week, not a year: a new icon shows within one.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

ICON = "kansou/favicon.ico"
MAX_AGE = 7 * 24 * 60 * 60


@cache
def _icon() -> bytes | None:
    path = finders.find(ICON)
    return None if path is None else Path(path).read_bytes()


@require_safe
@cache_control(public=True, max_age=MAX_AGE)
def favicon(request: HttpRequest) -> HttpResponse:
    icon = _icon()
    if icon is None:
        raise Http404("No icon in the static files.")
    return HttpResponse(icon, content_type="image/vnd.microsoft.icon")
