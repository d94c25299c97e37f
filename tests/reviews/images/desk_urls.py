"""The site's URLs plus one page standing in for a writing desk: a form with two textareas
marked ``data-image-target`` and the upload partial inside it (its contract allows that)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import RequestContext, Template
from django.urls import path

from kansou.reviews.models import Review
from kansou.urls import urlpatterns as site

PAGE = Template(
    "{% load static %}<!doctype html><html lang='en'><head><title>Desk</title>"
    "<link rel='stylesheet' href='{% static \"kansou/site.css\" %}'></head><body>"
    "<form method='post' action='/nowhere/' id='desk'>"
    "<textarea data-image-target name='intro' id='intro'>Before. After.</textarea>"
    "{% include 'reviews/images/_upload.html' %}"
    "<textarea data-image-target name='final' id='final'></textarea>"
    "</form></body></html>"
)


def desk(request, slug):
    review = get_object_or_404(Review.objects.editable_by(request.user), slug=slug)
    return HttpResponse(PAGE.render(RequestContext(request, {"review": review})))


urlpatterns = [path("test-desk/<slug:slug>/", desk), *site]
