"""JSON for comments: ``GET /api/reviews/{slug}/comments`` (approved comments only, to everyone)
and ``POST`` to the same path for signed-in readers (session cookie plus the CSRF token in the
``X-CSRFToken`` header). The same rules as the form apply (``comments.comment_post``); a held
comment answers 201 with ``status: "pending"`` and is not in the ``GET`` list.

The body's schema says what the service accepts, which answers 400 with its own sentence
otherwise: at most ``COMMENT_MAX_LENGTH`` characters, of which at least ``COMMENT_MIN_LENGTH``
(2) are neither spaces nor control characters (those are dropped, ``clean_text``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from ninja import Path, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import ConfigDict, Field

from kansou.catalog.schemas import ErrorOut
from kansou.catalog.text import CONTROL_CHARACTERS
from kansou.community.comments.selectors import review_to_comment_on
from kansou.community.comments.services import TOO_LONG, RateLimited, comment_post
from kansou.community.comments.views import client_ip
from kansou.community.models import (
    COMMENT_MAX_LENGTH,
    COMMENT_MIN_LENGTH,
    Comment,
    CommentStatus,
)
from kansou.reviews.models import Review

router = Router(tags=["comments"])
NO_REVIEW = "No published review with this slug."
NO_PARENT = "No visible comment {id} on this review to reply to."
SLUG = Path(..., max_length=200, pattern=r"^[-a-zA-Z0-9_]+$", description="The review's slug.")
# Two characters that are neither spaces nor control characters: what is left once the service
# drops control characters and trims is then COMMENT_MIN_LENGTH (2) long or more.
BODY_PATTERN = rf"[^\s{CONTROL_CHARACTERS}][\s\S]*[^\s{CONTROL_CHARACTERS}]"
assert COMMENT_MIN_LENGTH == 2, "BODY_PATTERN spells out two characters"


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
    # JSON types as the schema says them: ``"parent_id": true`` or ``"7"`` is a 422, not 1 or 7.
    model_config = ConfigDict(strict=True)

    # Documented, not enforced by pydantic: the view and ``comment_post`` refuse with a 400.
    body: str = Field(
        description=(
            f"Light Markdown, at most {COMMENT_MAX_LENGTH} characters; at least "
            f"{COMMENT_MIN_LENGTH} besides spaces. Control characters are dropped."
        ),
        json_schema_extra={
            "minLength": COMMENT_MIN_LENGTH,
            "maxLength": COMMENT_MAX_LENGTH,
            "pattern": BODY_PATTERN,
        },
    )
    parent_id: int | None = Field(None, ge=1, description="The comment this one replies to.")


class CommentPostedOut(Schema):
    status: str
    message: str
    comment: CommentOut | None


def _review(slug: str) -> Review:
    """The published review."""
    review = Review.objects.published().filter(slug=slug).first()
    if review is None:
        raise HttpError(404, NO_REVIEW)
    return review


@router.get(
    "/reviews/{slug}/comments",
    response={200: list[CommentOut], 404: ErrorOut},
    summary="A review's comments",
)
def review_comments_get(request: HttpRequest, slug: str = SLUG):
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
    response={
        201: CommentPostedOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        429: ErrorOut,
    },
    summary="Post a comment",
)
def review_comments_post(request: HttpRequest, payload: CommentIn, slug: str = SLUG):
    """Post as the signed-in reader. 401 without a session; 403 without the CSRF token; 404
    when the review or the comment replied to is not visible; 400 says why a comment was
    refused (a banned account); 429 (with ``Retry-After``) when posting too fast."""
    # The review's state, whether the author is on its byline and whether a ban of theirs is
    # in force, in one statement (selectors.review_to_comment_on).
    review = review_to_comment_on(slug, user_id=request.user.pk)
    if review is None:
        raise HttpError(404, NO_REVIEW)
    if len(payload.body) > COMMENT_MAX_LENGTH:  # before cleaning, as the schema counts
        return Status(400, {"detail": TOO_LONG.format(length=len(payload.body))})
    parent = None
    if payload.parent_id is not None:
        parent = Comment.objects.filter(pk=payload.parent_id, review=review).first()
        if parent is None:
            raise HttpError(404, NO_PARENT.format(id=payload.parent_id))
    try:
        posted = comment_post(
            review=review,
            author=request.user,
            body=payload.body,
            parent=parent,
            ip=client_ip(request),
            banned=review.author_banned,
        )
    except RateLimited as error:
        detail = " ".join(error.messages)
        headers = {"Retry-After": str(error.seconds)}
        return JsonResponse({"detail": detail}, status=429, headers=headers)
    except ValidationError as error:
        if hasattr(error, "error_dict") and "parent" in error.error_dict:
            raise HttpError(404, NO_PARENT.format(id=payload.parent_id)) from None
        return Status(400, {"detail": " ".join(error.messages)})
    comment = posted.comment
    comment.by_reviewer = review.author_is_reviewer  # read with the review: no query of its own
    return Status(
        201,
        {
            "status": comment.status,
            "message": posted.message,
            "comment": CommentOut.of(comment) if comment.status == CommentStatus.APPROVED else None,
        },
    )
