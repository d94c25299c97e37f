"""Review pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kansou.reviews.fragments import review_fragments
from kansou.reviews.selectors import review_by_slug


def review_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A review; drafts and scheduled reviews 404 for everyone but their authors and editors."""
    # One plain query: the rest of what the page shows comes from the fragment cache, which
    # reads the anime and bylines itself when it has to render.
    review = review_by_slug(slug)
    if review is None or not review.is_visible_to(request.user):
        raise Http404("No such review.")
    share_url = request.build_absolute_uri(review.get_absolute_url())
    fragments = review_fragments(request=request, review=review, share_url=share_url)
    return render(request, "reviews/review_detail.html", {"review": review, "fragments": fragments})
