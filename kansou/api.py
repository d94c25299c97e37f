"""The JSON API under ``/api/``: one NinjaAPI, each app adding its router."""

from ninja import NinjaAPI

from kansou.catalog.api import router as catalog_router

api = NinjaAPI(
    title="Kansou API",
    version="1",
    description="Catalog, reviews and recommendations of a Kansou site.",
    urls_namespace="api",
)
api.add_router("/", catalog_router)
