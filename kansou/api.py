"""The JSON API under ``/api/``: one NinjaAPI, each app adding its router.

Everything under ``/api/`` answers JSON in one error shape (``catalog.schemas.ErrorOut``): 404
for an unknown path or a path whose parameters do not fit (``/api/anime/null``), 405 with
``Allow`` for a method the path does not take, 400 for a body that cannot be read, 413 for one
too large, 422 (``ValidationErrorOut``) for invalid input, 500 for an unexpected error (logged
and signalled as Django does). The schema documents 400, 413 and 422 on every operation that
takes a body, and 422 on every one that takes parameters.
"""

import functools
import logging

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.signals import got_request_exception
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, re_path
from django.utils.log import log_response
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import ValidationError

from kansou.catalog.api import router as catalog_router
from kansou.catalog.schemas import ErrorOut, ValidationErrorOut
from kansou.community.api import router as community_router

NO_ENDPOINT = "No such API endpoint: {path}"
NOT_ALLOWED = "{method} is not allowed here; allowed: {allowed}."
SERVER_ERROR = "Internal server error: the site's operator has been told."
BAD_REQUEST = "Bad request."
FORBIDDEN = "Forbidden."
BODY_TOO_BIG = "The request body is larger than {size:g} MB."


class KansouAPI(NinjaAPI):
    """A NinjaAPI whose every answer is JSON, documenting the errors every operation shares."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        _document_shared_errors(schema)
        return schema

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        return [*map(_json_errors, patterns), re_path("", _no_endpoint)], app_name, namespace


def _document_shared_errors(schema) -> None:
    """Add 400 (unreadable body), 413 (``body_too_big``) and 422 (``invalid_input``) to every
    operation they apply to."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, ValidationErrorOut):
        shape = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(shape.pop("$defs", {}))
        components.setdefault(model.__name__, shape)
    shared = {
        "400": ("The body cannot be read.", "ErrorOut"),
        "413": ("The body is too large.", "ErrorOut"),
        "422": ("Invalid input: each bad parameter named.", "ValidationErrorOut"),
    }
    for operations in schema["paths"].values():
        for operation in operations.values():
            codes = ["400", "413", "422"] if "requestBody" in operation else []
            codes += ["422"] if operation.get("parameters") else []
            for code in codes:
                description, name = shared[code]
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                    },
                )


def _json_errors(pattern: URLPattern) -> URLPattern:
    """The same URL pattern, its "no such thing" 404s and ninja's plain-text 405 as JSON."""
    view = pattern.callback

    @functools.wraps(view)
    def json_view(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return _no_endpoint(request)
        if response.status_code == 405 and response.get("Content-Type", "").startswith("text/"):
            allowed = response["Allow"]
            detail = NOT_ALLOWED.format(method=request.method, allowed=allowed)
            return JsonResponse({"detail": detail}, status=405, headers={"Allow": allowed})
        return response

    return URLPattern(pattern.pattern, json_view, pattern.default_args, pattern.name)


@csrf_exempt
def _no_endpoint(request, *args, **kwargs):
    return JsonResponse({"detail": NO_ENDPOINT.format(path=request.path)}, status=404)


api = KansouAPI(
    title="Kansou API",
    version="1",
    description="Catalog, reviews and recommendations of a Kansou site.",
    urls_namespace="api",
)
api.add_router("/", catalog_router)
api.add_router("/", "kansou.discovery.api.router")
api.add_router("/", community_router)
api.add_router("/", "kansou.community.comments.api.router")
api.add_router("/", "kansou.discovery.recommendations.api.router")


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    """422 with one readable sentence naming each bad parameter, plus the details."""
    errors = [
        {"param": _param(request, error["loc"]), "message": error["msg"]} for error in exc.errors
    ]
    detail = "; ".join(f"{e['param']}: {e['message']}" for e in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


def _param(request, loc) -> str:
    """The parameter a pydantic error location points at: ``("query", "filters", "type", 0)``
    names ``type``, because schema-grouped query parameters carry their group's name."""
    parts = [str(part) for part in loc[1:] if not isinstance(part, int)]
    while len(parts) > 1 and parts[0] not in request.GET:
        parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(Exception)
def unexpected_error(request, exc: Exception):
    """Django's client errors as Django answers them (400 for a bad or suspicious request, which
    goes to the ``django.security`` log too; 403), in JSON; anything else is a 500, logged and
    signalled (``got_request_exception``) as Django does, with no traceback in the answer."""
    if isinstance(exc, PermissionDenied):
        return api.create_response(request, {"detail": FORBIDDEN}, status=403)
    if isinstance(exc, (BadRequest, MultiPartParserError)):  # says what is wrong with the body
        return api.create_response(request, {"detail": str(exc) or BAD_REQUEST}, status=400)
    if isinstance(exc, SuspiciousOperation):  # told to the log only
        security = logging.getLogger(f"django.security.{type(exc).__name__}")
        security.error(str(exc), exc_info=exc, extra={"status_code": 400, "request": request})
        return api.create_response(request, {"detail": BAD_REQUEST}, status=400)
    got_request_exception.send(sender=None, request=request)
    response = api.create_response(request, {"detail": SERVER_ERROR}, status=500)
    log_response(
        "Internal Server Error: %s", request.path, response=response, request=request, exception=exc
    )
    return response


@api.exception_handler(RequestDataTooBig)
def body_too_big(request, exc: RequestDataTooBig):
    """413 naming the limit, for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (a JSON body)."""
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return api.create_response(request, {"detail": BODY_TOO_BIG.format(size=size)}, status=413)
