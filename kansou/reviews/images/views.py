"""``/reviews/<slug>/images/``: upload an image into a review.

Only the people who may edit the review (``Review.objects.editable_by``: its byline authors and
editors) reach it, by GET or POST alike; everyone else gets the 404 a missing review gets. A
script (``Accept: application/json``) gets JSON: ``201 {"markdown", "url", "alt", "width",
"height"}`` or ``400 {"errors": {field: [message]}}``. Without JavaScript the same URL is a page:
the form, the review's images and the Markdown to paste for each.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from kansou.reviews.images.forms import ReviewImageForm
from kansou.reviews.images.services import review_image_add
from kansou.reviews.models import Review


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def review_image_upload(request: HttpRequest, slug: str) -> HttpResponse:
    review = get_object_or_404(Review.objects.editable_by(request.user), slug=slug)
    form, added, status = ReviewImageForm(), None, 200
    if request.method == "POST":
        form = ReviewImageForm(request.POST, request.FILES)
        if form.is_valid():
            added = review_image_add(
                review=review, picture=form.cleaned_data["image"],
                alt=form.cleaned_data["alt"], by=request.user,
            )  # fmt: skip
            form, status = ReviewImageForm(), 201
        else:
            status = 400
    if _wants_json(request) and request.method == "POST":
        if added is None:
            return JsonResponse({"errors": form.errors.get_json_data()}, status=status)
        return JsonResponse(_as_json(added), status=status)
    context = {"review": review, "form": form, "added": added, "images": review.images.all()}
    return render(request, "reviews/images/upload.html", context, status=status)


def _as_json(image) -> dict:
    return {"markdown": image.markdown, "url": image.url, "alt": image.alt,
            "width": image.width, "height": image.height}  # fmt: skip
