"""Review pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kansou.reviews.models import Review


def review_detail(request: HttpRequest, slug: str) -> HttpResponse:
    review = get_object_or_404(Review, slug=slug)
    if not review.is_public and not request.user.has_perm("reviews.add_review"):
        raise Http404("No such review.")
    return render(request, "reviews/review_detail.html", {"review": review})
