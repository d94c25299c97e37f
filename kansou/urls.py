from django.contrib import admin
from django.urls import include, path

from kansou.api import api
from kansou.core.health import healthz

urlpatterns = [
    path("", include("kansou.catalog.urls")),
    path("", include("kansou.reviews.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
