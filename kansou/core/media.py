"""``/media/<name>``: files kept in Django's default storage (posters, review images).

Served by Django itself so `kansou demo` and a lone `kansou serve` show them with nothing else
set up; in production nginx answers ``/media/`` from the same folder first (``deploy/nginx.conf``)
and this view is only the fallback. Only image files under ``SERVED_DIRS`` are served, with
their own content type (never SVG or HTML, which could run script on the site's origin), and
cached for a year: their names hold a digest of their content, so a name never changes bytes.
"""

from __future__ import annotations

import re

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

SERVED_DIRS = ("posters/", "reviews/")
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}
YEAR = 365 * 24 * 60 * 60
# A review image as it was uploaded (a camera's metadata, its location included, and all) is
# kept to make new renditions from, never served: pages name its renditions (a GIF is served as
# it is, as reviews name it).
UPLOAD_AS_SENT = re.compile(r"^reviews/[0-9a-f]{12}-\d+x\d+\.(?:jpg|png|webp)$")


@require_safe
@cache_control(public=True, max_age=YEAR, immutable=True)
def media(request: HttpRequest, name: str) -> FileResponse:
    ext = name.rsplit(".", 1)[-1].lower()
    parts = name.split("/")
    if not name.startswith(SERVED_DIRS) or ext not in CONTENT_TYPES or ".." in parts:
        raise Http404("No such file.")
    if UPLOAD_AS_SENT.match(name):
        raise Http404("No such file.")
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation):
        raise Http404("No such file.") from None
    return FileResponse(handle, content_type=CONTENT_TYPES[ext])
