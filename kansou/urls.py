from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from kansou.api import api
from kansou.catalog.sitemaps import SITEMAPS as CATALOG_SITEMAPS
from kansou.community import accounts
from kansou.core.favicon import favicon
from kansou.core.health import healthz
from kansou.core.media import media
from kansou.core.sitemaps import SECTION_URL_NAME, sitemap_index
from kansou.reviews.sitemaps import SITEMAPS as REVIEW_SITEMAPS
from kansou.reviews.sitemaps import robots_txt

# /sitemap.xml is an index of these sections, each at /sitemap-<section>.xml and paginated.
SITEMAPS = {**REVIEW_SITEMAPS, **CATALOG_SITEMAPS}

urlpatterns = [
    # Account pages beside django.contrib.auth.urls (included by community.urls, unnamespaced as
    # Django names them): the reset request with its limits replaces Django's.
    path("accounts/password_reset/", accounts.password_reset, name="password_reset"),
    path("accounts/sign-up/confirm/<str:token>/", accounts.sign_up_confirm, name="sign-up-confirm"),
    path("", include("kansou.catalog.urls")),
    path("", include("kansou.reviews.urls")),
    path("", include("kansou.community.urls")),
    path("search/", include("kansou.discovery.urls")),
    path("discover/", include("kansou.discovery.recommendations.urls")),
    path("recommendations/", include("kansou.discovery.pairs.urls")),
    path("write/", include("kansou.reviews.desk.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemap_index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name=SECTION_URL_NAME),
    path("favicon.ico", favicon, name="favicon"),
    path("media/<path:name>", media, name="media"),  # posters, review images (core/media.py)
    path("robots.txt", robots_txt, name="robots-txt"),
]
