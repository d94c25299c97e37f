"""Lists of published reviews: the home page, a label's page, an author's page, the monthly archive.

Every list starts from ``listed_reviews()``: ``Review.objects.published()`` with what a card shows
fetched up front, so drafts and scheduled reviews never show and a page costs the same few queries
however many reviews it lists. The feeds and the sitemap start from it too.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from kansou.reviews.models import Label, Review, ReviewAuthor

PAGE_SIZE = 12


def listed_reviews() -> QuerySet[Review]:
    """Published reviews, newest first, with anime, bylines (with users) and labels prefetched."""
    bylines = ReviewAuthor.objects.select_related("user")
    return (
        Review.objects.published()
        .select_related("anime")
        .prefetch_related(Prefetch("review_authors", queryset=bylines), "labels")
        .order_by("-publish_at", "-pk")
    )


def labels_in_use() -> QuerySet[Label]:
    """Labels on at least one published review, with how many."""
    public = Q(reviews__in=Review.objects.published())
    return Label.objects.annotate(n_reviews=Count("reviews", filter=public)).filter(n_reviews__gt=0)


def _page(request: HttpRequest, reviews: QuerySet[Review]):
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
    }


def home(request: HttpRequest) -> HttpResponse:
    context = {**_page(request, listed_reviews()), "labels": list(labels_in_use())}
    return render(request, "reviews/home.html", context)


def label_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A label's reviews; 404 while no published review carries it (drafts' labels stay unseen)."""
    label = get_object_or_404(Label, slug=slug)
    reviews = listed_reviews().filter(labels=label)
    context = _page(request, reviews)
    if not context["page"].object_list:
        raise Http404("No published review has this label.")
    return render(request, "reviews/label.html", {**context, "label": label})


def author_detail(request: HttpRequest, username: str) -> HttpResponse:
    """An author's published reviews; 404 for users with none, so accounts are not listed."""
    author = get_object_or_404(get_user_model(), username=username, is_active=True)
    context = _page(request, listed_reviews().filter(authors=author))
    if not context["page"].object_list:
        raise Http404("This author has no published reviews.")
    return render(request, "reviews/author.html", {**context, "author": author})


def archive_index(request: HttpRequest) -> HttpResponse:
    """Every month with a published review, newest first, with its count."""
    months = (
        Review.objects.published()
        .annotate(month=TruncMonth("publish_at"))
        .values("month")
        .annotate(n_reviews=Count("pk"))
        .order_by("-month")
    )
    return render(request, "reviews/archive.html", {"months": list(months)})


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The month as a half-open range of aware datetimes in the site's time zone."""
    if not (1 <= month <= 12 and dt.MINYEAR < year < dt.MAXYEAR):
        raise Http404("No such month.")
    start = timezone.make_aware(dt.datetime(year, month, 1))
    end = timezone.make_aware(dt.datetime(year + month // 12, month % 12 + 1, 1))
    return start, end


def archive_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    start, end = month_bounds(year, month)
    canonical = reverse("reviews:archive-month", args=[year, month])
    if request.path != canonical:  # /archive/2024/04/ and /archive/2024/4/ are one page
        return redirect(canonical, permanent=True)
    reviews = listed_reviews().filter(publish_at__gte=start, publish_at__lt=end)
    context = _page(request, reviews)
    if not context["page"].object_list:
        raise Http404("No reviews were published that month.")
    return render(request, "reviews/archive_month.html", {**context, "month": start})
