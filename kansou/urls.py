from django.contrib import admin
from django.urls import include, path

from kansou.api import api

urlpatterns = [
    path("", include("kansou.catalog.urls")),
    path("", include("kansou.reviews.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
