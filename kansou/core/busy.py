"""A database that stays locked past its busy timeout answers 503 with a clear message.

SQLite lets one writer at a time; every connection waits up to the busy timeout (30 s, set in
settings) for the lock, which is the retry. A request still locked out after that gets a plain
"try again" page with ``Retry-After`` instead of a server error, and the event is logged.
"""

from __future__ import annotations

import logging

from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger("kansou.database")
RETRY_AFTER_SECONDS = 5
BUSY_MESSAGE = (
    "The site is busy saving other changes and could not save or read yours in time. "
    "Nothing was lost; please try again in a few seconds."
)


def is_locked(error: Exception) -> bool:
    text = str(error).lower()
    return isinstance(error, OperationalError) and ("locked" in text or "busy" in text)


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_locked(exception):
            return None
        logger.warning("database locked", extra={"path": request.path, "error": str(exception)})
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": BUSY_MESSAGE}, status=503)
        else:
            response = HttpResponse(BUSY_MESSAGE, status=503, content_type="text/plain")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
