"""Writes and reads for comments on reviews: post, edit, delete, import, and a review's thread.

Rules enforced by :func:`comment_post`:

- only signed-in, unbanned readers post, and only on public reviews;
- a body is ``COMMENT_MIN_LENGTH``–``COMMENT_MAX_LENGTH`` characters of light Markdown
  (``comments.markdown``), counted after ``clean_text`` (control characters dropped, NFC) and
  trimming;
- replies are one level deep: a reply to a reply attaches to its top-level comment, and one
  can only reply to a visible comment of the same review;
- **honeypot**: a form field people never see (hidden by a CSS class). When it is filled the
  comment is silently dropped and the answer is the same as for a held comment, so a bot learns
  nothing; a person never fills it;
- rate limits per account (``KANSOU_COMMENT_RATE``) and per IP (``KANSOU_COMMENT_IP_RATE``),
  counted only for comments that pass every other check;
- the starting status comes from ``moderation.comment_initial_status``.

Every status change (post, edit, delete, import, re-import) follows the table in
``moderation_states``: an edit that would wait if it were posted now goes back to the queue, a
comment a moderator took down can no longer be edited or deleted by its author, and importing
the same comment again never changes its status.

The IP address is kept only as a keyed hash (``ip_hash``), enough to see that comments came from
the same place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from kansou.catalog.text import clean_text
from kansou.community.comments import markdown as comments_markdown
from kansou.community.models import (
    AUTHOR_NAME_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    COMMENT_MIN_LENGTH,
    Comment,
    CommentStatus,
)
from kansou.community.moderation import (
    HELD,
    ban_message,
    comment_initial_status,
    hold_reason,
    is_moderator,
    log_hold,
)
from kansou.community.moderation_states import Actor, Event, TransitionRefused, transition
from kansou.community.ratelimit import account_and_ip_hit, wait_text
from kansou.core.pagecache import pages_touched
from kansou.reviews.models import Review

LOG_IN_TO_COMMENT = "Log in to comment."
NOT_PUBLIC = "Comments are open on published reviews only."
TOO_SHORT = f"Your comment is too short: write at least {COMMENT_MIN_LENGTH} characters."
TOO_LONG = f"Your comment is too long: {{length}} characters, at most {COMMENT_MAX_LENGTH} allowed."
BAD_PARENT = "You can only reply to a visible comment on this review."
RATE_LIMITED = "You are commenting too fast. You can post again in {wait}."
EDIT_CLOSED = "Comments can be edited or deleted for {minutes} minutes after posting only."
POSTED = "Your comment is up."
EDITED = "Your comment was updated."
DELETED = "Your comment was deleted."
TAKEN_DOWN = "A moderator took this comment down: it can no longer be edited or deleted."
IMPORT_STATUSES = {CommentStatus.APPROVED: Event.IMPORT, CommentStatus.PENDING: Event.IMPORT_HELD}
BAD_IMPORT_STATUS = "An imported comment is approved or pending, not {status!r}."


class RateLimited(ValidationError):
    """Too many comments; ``seconds`` until the next one is allowed."""

    def __init__(self, seconds: int):
        super().__init__(RATE_LIMITED.format(wait=wait_text(seconds)))
        self.seconds = seconds


@dataclass(frozen=True)
class CommentPosted:
    """What happened to a posted comment: ``comment`` is None when the honeypot dropped it."""

    comment: Comment | None
    message: str


def ip_hash(ip: str) -> str:
    return salted_hmac("kansou.comments.ip", ip or "").hexdigest() if ip else ""


def _check_body(body: str) -> str:
    body = clean_text(body).strip()
    if len(body) < COMMENT_MIN_LENGTH:
        raise ValidationError({"body": TOO_SHORT})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError({"body": TOO_LONG.format(length=len(body))})
    return body


def _thread_parent(*, review: Review, parent: Comment | None) -> Comment | None:
    if parent is None:
        return None
    if parent.review_id != review.pk or parent.status != CommentStatus.APPROVED:
        raise ValidationError({"parent": BAD_PARENT})
    top = parent.parent if parent.parent_id else parent
    if top.status != CommentStatus.APPROVED:
        raise ValidationError({"parent": BAD_PARENT})
    return top


def _check_rates(*, author, ip: str) -> None:
    wait = account_and_ip_hit(
        scope="comment",
        user_id=author.pk,
        ip=ip,
        user_rates=settings.KANSOU_COMMENT_RATE,
        ip_rates=settings.KANSOU_COMMENT_IP_RATE,
    )
    if wait:
        raise RateLimited(wait)


def comment_post(
    *,
    review: Review,
    author,
    body: str,
    parent: Comment | None = None,
    ip: str = "",
    honeypot: str = "",
    banned: bool | None = None,
) -> CommentPosted:
    """A new comment by ``author`` on ``review`` (see the module docstring for the rules).
    ``banned`` is whether a ban is in force when the caller read it with the review in the same
    query (None: read it here); only a banned author's refusal is read again, for its wording.

    The checks read; only the insert writes, one statement that is its own transaction: on
    SQLite the write lock is then held for the insert alone, not for every check, so posts from
    several workers do not queue behind each other's reads. The outcome is the same as checking
    inside the transaction — the post is ordered before any ban or moderation change committed
    meanwhile — and the database still enforces every key. The page cache moves on once the row
    is committed, so no page is cached under the new generation without it.
    """
    if not author.is_authenticated:
        raise ValidationError(LOG_IN_TO_COMMENT)
    if not review.is_public:
        raise ValidationError(NOT_PUBLIC)
    refusal = ban_message(author) if banned is not False else ""
    if refusal:
        raise ValidationError(refusal)
    body = _check_body(body)
    top = _thread_parent(review=review, parent=parent)
    _check_rates(author=author, ip=ip)
    if honeypot.strip():
        return CommentPosted(comment=None, message=HELD)
    status, held_message = comment_initial_status(author=author, review=review, body_md=body)
    comment = Comment(
        review=review,
        author=author,
        parent=top,
        body_md=body,
        body_html=comments_markdown.render(body),  # cached: hold_reason rendered it to count links
        status=status,
        ip_hash=ip_hash(ip),
    )
    # Left out of full_clean: source_id, empty on a posted comment, so the one constraint over
    # it (unique per review when set) cannot apply; and the keys review, author and parent, rows
    # this request just read and the rules above checked — Django would ask for each again,
    # while the database's foreign keys enforce them at the insert itself. A row deleted in
    # between is refused there, with the same answer as a review that closed.
    comment.full_clean(exclude=["source_id", "review", "author", "parent"])
    try:
        comment.save()  # one INSERT: atomic by itself
    except IntegrityError:
        raise ValidationError(NOT_PUBLIC) from None
    pages_touched()
    return CommentPosted(comment=comment, message=held_message or POSTED)


def _check_window(*, comment: Comment, user) -> None:
    if not comment.can_be_changed_by(user):
        raise ValidationError(EDIT_CLOSED.format(minutes=settings.KANSOU_COMMENT_EDIT_MINUTES))


def _by_author(comment: Comment, event: Event) -> str:
    try:
        return transition(comment.status, event, Actor.AUTHOR)
    except TransitionRefused:
        raise ValidationError(TAKEN_DOWN) from None


@transaction.atomic
def comment_edit(*, comment: Comment, user, body: str) -> CommentPosted:
    """Its author rewrites a comment within the edit window. An edit that would wait if it
    were posted now (the account is not trusted today, or too many links) sends an approved
    comment back to the queue; a pending one stays pending; a hidden or spam one is refused."""
    _check_window(comment=comment, user=user)
    refusal = ban_message(user)
    if refusal:
        raise ValidationError(refusal)
    body = _check_body(body)
    held_message = hold_reason(author=user, review=comment.review, body_md=body)
    before = comment.status
    comment.status = _by_author(comment, Event.EDIT_HELD if held_message else Event.EDIT)
    comment.body_md = body
    comment.body_html = comments_markdown.render(body)
    comment.edited_at = timezone.now()
    comment.full_clean()
    comment.save()
    pages_touched()
    if before != comment.status:
        log_hold(comment=comment, note=f"edited after approval: {held_message}")
    pending = comment.status == CommentStatus.PENDING
    return CommentPosted(comment=comment, message=(held_message or HELD) if pending else EDITED)


@transaction.atomic
def comment_delete(*, comment: Comment, user) -> None:
    """Its author deletes a comment within the edit window. A comment with replies stays as a
    "deleted" marker so the replies keep their place; one without is removed. A comment a
    moderator took down stays as it is."""
    _check_window(comment=comment, user=user)
    _by_author(comment, Event.DELETE)
    pages_touched()
    if not comment.replies.exists():
        comment.delete()
        return
    comment.body_md = comment.body_html = ""
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["body_md", "body_html", "deleted_at"])


@transaction.atomic
def comment_import(
    *,
    review: Review,
    author_name: str,
    author_url: str,
    body_html_or_md: str,
    created_at: dt.datetime,
    source_id: str,
    parent_source_id: str | None = None,
    status: str = CommentStatus.APPROVED,
) -> Comment:
    """A comment from an old blog, kept under its ``source_id``: importing the same
    ``(review, source_id)`` again updates that comment instead of adding one.

    ``status`` (approved or pending on the old blog) is used the first time only: importing
    again never changes a comment's status, so a moderation decision made here stands.

    Bodies and names lose their control characters (``clean_text``). HTML bodies keep what
    the comment allow-list allows (``body_md`` stays empty); other bodies are rendered as light
    Markdown. The name becomes plain text; a URL other than http(s) is dropped. A reply names
    its parent's ``parent_source_id``, which must have been imported first; replies to replies
    attach to the top-level comment.
    """
    if not source_id:
        raise ValidationError({"source_id": "An imported comment needs its source id."})
    if status not in IMPORT_STATUSES:
        raise ValidationError({"status": BAD_IMPORT_STATUS.format(status=status)})
    parent = None
    if parent_source_id:
        parent = Comment.objects.filter(review=review, source_id=parent_source_id).first()
        if parent is None:
            raise ValidationError(
                {"parent": f"Parent comment {parent_source_id!r} has not been imported."}
            )
        parent = parent.parent if parent.parent_id else parent
    body_html_or_md = clean_text(body_html_or_md)
    is_html = comments_markdown.looks_like_html(body_html_or_md)
    url = author_url.strip()
    existing = Comment.objects.filter(review=review, source_id=source_id).first()
    comment = existing or Comment(review=review, source_id=source_id)
    if existing is None:
        comment.status = transition(None, IMPORT_STATUSES[status], Actor.IMPORTER)
    else:
        comment.status = transition(existing.status, Event.REIMPORT, Actor.IMPORTER)
    comment.author = None
    comment.author_name = comments_markdown.plain_text(
        clean_text(author_name), max_length=AUTHOR_NAME_MAX_LENGTH
    )
    comment.author_url = url if url.lower().startswith(("http://", "https://")) else ""
    comment.parent = parent
    comment.body_md = "" if is_html else body_html_or_md
    comment.body_html = (
        comments_markdown.sanitize(body_html_or_md)
        if is_html
        else comments_markdown.render(body_html_or_md)
    )
    comment.created_at = created_at
    try:
        comment.full_clean()
    except ValidationError as error:
        if "author_url" not in error.message_dict:
            raise
        comment.author_url = ""  # a malformed homepage is not worth losing the comment over
        comment.full_clean()
    comment.save()
    pages_touched()
    return comment


# ---------------------------------------------------------------------------------------------
# Reading


LATEST_THREADS = 50  # top-level comments (with their replies) a review page shows at first


@dataclass
class Thread:
    """A review's comments as the viewer may see them: top-level comments oldest first, each
    with ``thread_replies``; ``count`` counts every comment the viewer may see, ``earlier`` the
    top-level comments left out (older than those shown)."""

    comments: list[Comment]
    count: int
    earlier: int = 0


def visible_to_q(viewer, prefix: str = "") -> Q:
    """Approved comments; plus, for a signed-in viewer, their own pending ones; plus, for
    moderators, every pending one. ``prefix`` (``"parent__"``) says it of a related comment."""
    shown = Q(**{f"{prefix}status": CommentStatus.APPROVED})
    if is_moderator(viewer):
        return shown | Q(**{f"{prefix}status": CommentStatus.PENDING})
    if viewer.is_authenticated:
        return shown | Q(
            **{f"{prefix}status": CommentStatus.PENDING, f"{prefix}author_id": viewer.pk}
        )
    return shown


def review_comments(*, review: Review, viewer, latest: int | None) -> Thread:
    """The thread under a review: the ``latest`` top-level comments with their replies (every
    comment with ``latest=None``; a page shows ``LATEST_THREADS``). Three queries whatever the
    thread's length, none reading every comment into Python: the counts (one aggregate), the
    ids of the latest top-level comments (the review/status/time index, newest first), then the
    rows shown. A reply counts when the viewer may see it and its top-level comment."""
    visible = Comment.objects.for_review(review).filter(visible_to_q(viewer))
    counts = visible.aggregate(
        tops=Count("pk", filter=Q(parent__isnull=True)),
        replies=Count("pk", filter=Q(parent__isnull=False) & visible_to_q(viewer, "parent__")),
    )
    tops = visible.filter(parent__isnull=True).order_by("-created_at", "-pk")
    if latest is None:
        part = visible
        shown = counts["tops"]
    else:
        wanted = latest and counts["tops"]  # no query for a thread without a top comment
        ids = list(tops.values_list("pk", flat=True)[:latest]) if wanted else []
        part = visible.filter(Q(pk__in=ids) | Q(parent_id__in=ids))
        shown = len(ids)
    rows = list(part.select_related("author").with_reviewer_fact().order_by("created_at", "pk"))
    now = timezone.now()
    by_id = {comment.pk: comment for comment in rows}
    top: list[Comment] = []
    for comment in rows:
        comment.thread_replies = []
        comment.viewer_can_change = comment.can_be_changed_by(viewer, now=now)
        comment.viewer_can_report = (
            viewer.is_authenticated
            and comment.author_id != viewer.pk
            and comment.status == CommentStatus.APPROVED
            and not comment.is_deleted
        )
    for comment in rows:
        if comment.parent_id is None:
            top.append(comment)
        elif comment.parent_id in by_id:
            by_id[comment.parent_id].thread_replies.append(comment)
        # a reply whose parent the viewer cannot see is not shown either
    count = counts["tops"] + counts["replies"]
    return Thread(comments=top, count=count, earlier=counts["tops"] - shown)


def comment_in_latest(comment: Comment, *, viewer) -> bool:
    """Whether ``comment`` shows on its review page as first opened (among the
    ``LATEST_THREADS`` latest top-level comments, or a reply to one of them), for ``viewer``."""
    top = comment.parent if comment.parent_id else comment
    newer = (
        Comment.objects.for_review(comment.review)
        .filter(visible_to_q(viewer), parent__isnull=True)
        .filter(Q(created_at__gt=top.created_at) | Q(created_at=top.created_at, pk__gt=top.pk))
    )
    return newer.count() < LATEST_THREADS
