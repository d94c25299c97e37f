"""The JSON API under ``/api/``: one NinjaAPI, each app adding its router."""

from ninja import NinjaAPI
from ninja.errors import ValidationError

from kansou.catalog.api import router as catalog_router
from kansou.community.api import router as community_router

api = NinjaAPI(
    title="Kansou API",
    version="1",
    description="Catalog, reviews and recommendations of a Kansou site.",
    urls_namespace="api",
)
api.add_router("/", catalog_router)
api.add_router("/", "kansou.discovery.api.router")
api.add_router("/", community_router)
api.add_router("/", "kansou.community.comments_api.router")
api.add_router("/", "kansou.discovery.api_recs.router")


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
