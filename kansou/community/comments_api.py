"""JSON for comments: ``GET /api/reviews/{slug}/comments`` (approved comments only, to everyone)
and ``POST`` to the same path for signed-in readers (session cookie plus the CSRF token in the
``X-CSRFToken`` header). The same rules as the form apply (``comments.comment_post``); a held
comment answers 201 with ``status: "pending"`` and is not in the ``GET`` list."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from kansou.community.comments import RateLimited, comment_post
from kansou.community.comments_views import client_ip
from kansou.community.models import Comment, CommentStatus
from kansou.reviews.models import Review

router = Router(tags=["comments"])
NO_REVIEW = "No published review with this slug."


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author: str
    author_url: str
    is_by_reviewer: bool
    body_html: str
    created_at: dt.datetime
    edited_at: dt.datetime | None
    deleted: bool

    @classmethod
    def of(cls, comment: Comment) -> CommentOut:
        return cls(
            id=comment.pk,
            parent_id=comment.parent_id,
            author=comment.display_name,
            author_url=comment.author_url,
            is_by_reviewer=comment.is_by_reviewer,
            body_html=comment.body_html,
            created_at=comment.created_at,
            edited_at=comment.edited_at,
            deleted=comment.is_deleted,
        )


class CommentIn(Schema):
    body: str
    parent_id: int | None = None


class CommentPostedOut(Schema):
    status: str
    message: str
    comment: CommentOut | None


class ErrorOut(Schema):
    detail: str


def _review(slug: str) -> Review:
    review = Review.objects.published().filter(slug=slug).first()
    if review is None:
        raise HttpError(404, NO_REVIEW)
    return review


@router.get(
    "/reviews/{slug}/comments",
    response={200: list[CommentOut], 404: ErrorOut},
    summary="A review's comments",
)
def review_comments_get(request: HttpRequest, slug: str):
    """Approved comments, oldest first; replies carry their top-level comment's ``parent_id``.
    Authors are names only (never emails)."""
    review = _review(slug)
    comments = (
        Comment.objects.for_review(review)
        .visible()
        .filter(Q(parent__isnull=True) | Q(parent__status=CommentStatus.APPROVED))
        .select_related("author")
        .with_reviewer_fact()
        .order_by("created_at", "pk")
    )
    return [CommentOut.of(comment) for comment in comments]


@router.post(
    "/reviews/{slug}/comments",
    auth=django_auth,
    response={201: CommentPostedOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Post a comment",
)
def review_comments_post(request: HttpRequest, slug: str, payload: CommentIn):
    """Post as the signed-in reader. 400 says why a comment was refused; 429 (with
    ``Retry-After``) when posting too fast."""
    review = _review(slug)
    parent = Comment.objects.filter(pk=payload.parent_id).first() if payload.parent_id else None
    try:
        posted = comment_post(
            review=review,
            author=request.user,
            body=payload.body,
            parent=parent,
            ip=client_ip(request),
        )
    except RateLimited as error:
        detail = " ".join(error.messages)
        headers = {"Retry-After": str(error.seconds)}
        return JsonResponse({"detail": detail}, status=429, headers=headers)
    except ValidationError as error:
        return Status(400, {"detail": " ".join(error.messages)})
    comment = posted.comment
    return Status(
        201,
        {
            "status": comment.status,
            "message": posted.message,
            "comment": CommentOut.of(comment) if comment.status == CommentStatus.APPROVED else None,
        },
    )
