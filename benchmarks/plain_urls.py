"""The baselines' URLconf: ``plain/`` answers ``HttpResponse("ok")`` (read_bench), and
``plain/comments/<slug>`` inserts one comment row per POST with nothing else around it — no
session, no checks, no rendering (load_comments' bare-Django baseline)."""

import json

from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from kansou.community.models import Comment, CommentStatus
from kansou.core.health import healthz
from kansou.reviews.models import Review

_review_ids: dict[str, int] = {}


def plain(request):
    return HttpResponse("ok")


@csrf_exempt
def insert(request, slug: str):
    """One INSERT per POST: the body's text as it came, on the review named (ids looked up once
    per process)."""
    if request.method != "POST":
        return HttpResponse(status=405)
    if slug not in _review_ids:
        _review_ids[slug] = Review.objects.values_list("pk", flat=True).get(slug=slug)
    body = json.loads(request.body)["body"]
    comment = Comment.objects.create(
        review_id=_review_ids[slug], body_md=body, body_html=body, status=CommentStatus.APPROVED
    )
    return JsonResponse({"id": comment.pk}, status=201)


urlpatterns = [
    path("plain/", plain),
    path("plain/comments/<slug:slug>", insert),
    path("healthz", healthz),
]
