from django.http import HttpResponse
from django.urls import path

from kansou.core.health import healthz


def plain(request):
    return HttpResponse("ok")


urlpatterns = [path("plain/", plain), path("healthz", healthz)]
