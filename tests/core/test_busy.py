"""A database still locked after the busy timeout gives a clear 503, not a server error."""

import json

from django.db.utils import OperationalError
from django.test import RequestFactory

from kansou.core.busy import BUSY_MESSAGE, DatabaseBusyMiddleware


def locked_view(request):
    raise OperationalError("database is locked")


def test_locked_database_answers_503_with_retry_after():
    middleware = DatabaseBusyMiddleware(locked_view)
    request = RequestFactory().post("/reviews/x/comments/")
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert BUSY_MESSAGE in response.content.decode()


def test_api_clients_get_the_message_as_json():
    middleware = DatabaseBusyMiddleware(locked_view)
    request = RequestFactory().post("/api/reviews/x/comments")
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 503
    assert json.loads(response.content)["detail"] == BUSY_MESSAGE


def test_other_database_errors_are_left_alone():
    middleware = DatabaseBusyMiddleware(locked_view)
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, OperationalError("no such table: x")) is None
    assert middleware.process_exception(request, ValueError("locked")) is None
