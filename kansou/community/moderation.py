"""Who may comment, which comments wait for a moderator, and what moderators do.

Rules enforced here:

- A banned account (a :class:`~kansou.community.models.Ban` with no end, or an end ahead) cannot
  post, edit or report.
- ``KANSOU_COMMENT_MODERATION`` decides what waits: ``all`` holds every comment, ``none`` none,
  and ``first`` holds comments until the account is trusted: it has an approved comment and is
  at least ``KANSOU_COMMENT_TRUSTED_DAYS`` old. Moderators, and reviewers commenting on their own
  review, are always trusted.
- Whatever the mode, a comment with more than ``KANSOU_COMMENT_MAX_LINKS`` links waits.
- ``KANSOU_COMMENT_REPORTS_TO_HOLD`` open reports take an approved comment off the page until a
  moderator decides; deciding (approve, hide, spam) closes its reports.
- Reviewers do not moderate their own reviews' comments unless they also hold the moderator
  role: moderation is one queue for one role.

Every moderator action and every automatic hold is written to :class:`ModerationLog`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from kansou.community.comments_markdown import link_count
from kansou.community.models import (
    Ban,
    Comment,
    CommentReport,
    CommentStatus,
    ModerationAction,
    ModerationLog,
)
from kansou.core.pagecache import pages_touched

MODERATE_PERMISSION = "community.moderate_comment"
MODERATION_MODES = ("all", "first", "none")

BANNED = "Your account may not post comments."
BANNED_UNTIL = "Your account may not post comments until {until:%d %B %Y, %H:%M} UTC."
HELD = "Thanks! Your comment awaits moderation and appears once a moderator approves it."
HELD_LINKS = (
    "Your comment has more than {limit} link{s}, so it awaits moderation "
    "and appears once a moderator approves it."
)
REPORT_OWN = "You cannot report your own comment."
REPORT_TWICE = "You already reported this comment; a moderator will look at it."
REPORT_INVISIBLE = "This comment cannot be reported."
REPORTED = "Thanks, a moderator will look at this comment."
NOT_MODERATOR = "Only moderators can do this."


def is_moderator(user) -> bool:
    return user.is_authenticated and user.has_perm(MODERATE_PERMISSION)


def ban_message(user, *, now: dt.datetime | None = None) -> str:
    """The refusal for a banned ``user`` ("" when they may post)."""
    if not user.is_authenticated:
        return ""
    ban = Ban.objects.active(now=now).filter(user=user).order_by("until").last()
    if ban is None:
        return ""
    return BANNED_UNTIL.format(until=ban.until) if ban.until else BANNED


def _is_trusted(*, author, review, now: dt.datetime) -> bool:
    if is_moderator(author) or review.review_authors.filter(user=author).exists():
        return True
    if settings.KANSOU_COMMENT_MODERATION == "none":
        return True
    if settings.KANSOU_COMMENT_MODERATION == "all":
        return False
    old_enough = author.date_joined <= now - dt.timedelta(
        days=int(settings.KANSOU_COMMENT_TRUSTED_DAYS)
    )
    return old_enough and author.comments.visible().exists()


def comment_initial_status(*, author, review, body_md: str, now=None) -> tuple[str, str]:
    """The status a new comment starts in and, when it waits, the message saying why."""
    if settings.KANSOU_COMMENT_MODERATION not in MODERATION_MODES:
        raise ValueError(
            f"KANSOU_COMMENT_MODERATION={settings.KANSOU_COMMENT_MODERATION!r}: "
            f"expected one of {', '.join(MODERATION_MODES)}"
        )
    now = now or timezone.now()
    limit = int(settings.KANSOU_COMMENT_MAX_LINKS)
    if link_count(body_md) > limit and not is_moderator(author):
        return CommentStatus.PENDING, HELD_LINKS.format(limit=limit, s="" if limit == 1 else "s")
    if _is_trusted(author=author, review=review, now=now):
        return CommentStatus.APPROVED, ""
    return CommentStatus.PENDING, HELD


# ---------------------------------------------------------------------------------------------
# Moderator actions


def _require_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionError(NOT_MODERATOR)


def _log(*, actor, action: str, comment=None, subject=None, note: str = "") -> ModerationLog:
    entry = ModerationLog(
        actor=actor, action=action, comment=comment, subject=subject, note=note[:500]
    )
    entry.full_clean()
    entry.save()
    return entry


def _decide(*, comment: Comment, moderator, status: str, action: str, note: str) -> Comment:
    _require_moderator(moderator)
    comment.status = status
    comment.full_clean()
    comment.save(update_fields=["status"])
    pages_touched()
    comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    _log(actor=moderator, action=action, comment=comment, subject=comment.author, note=note)
    return comment


@transaction.atomic
def comment_approve(*, comment: Comment, moderator) -> Comment:
    """Show the comment to everyone and close its reports."""
    return _decide(
        comment=comment,
        moderator=moderator,
        status=CommentStatus.APPROVED,
        action=ModerationAction.APPROVE,
        note="",
    )


@transaction.atomic
def comment_hide(*, comment: Comment, moderator, reason: str = "") -> Comment:
    """Take the comment off the page (its author no longer sees it either)."""
    return _decide(
        comment=comment,
        moderator=moderator,
        status=CommentStatus.HIDDEN,
        action=ModerationAction.HIDE,
        note=reason,
    )


@transaction.atomic
def comment_mark_spam(*, comment: Comment, moderator) -> Comment:
    return _decide(
        comment=comment,
        moderator=moderator,
        status=CommentStatus.SPAM,
        action=ModerationAction.SPAM,
        note="",
    )


@transaction.atomic
def user_ban(*, user, by, reason: str = "", until: dt.datetime | None = None, comment=None) -> Ban:
    """Stop ``user`` posting comments (until ``until``, or for good); when banned over a
    ``comment``, that comment is marked as spam."""
    _require_moderator(by)
    if is_moderator(user):
        raise ValidationError("Moderators cannot be banned; remove the role first.")
    ban = Ban(user=user, by=by, reason=reason[:500], until=until)
    ban.full_clean()
    ban.save()
    _log(actor=by, action=ModerationAction.BAN, comment=comment, subject=user, note=reason)
    if comment is not None:
        comment_mark_spam(comment=comment, moderator=by)
    return ban


@transaction.atomic
def comment_report(*, comment: Comment, reporter, reason: str = "") -> CommentReport:
    """One report per reader per comment; enough open reports hold an approved comment."""
    if comment.author_id == reporter.pk:
        raise ValidationError(REPORT_OWN)
    if comment.status != CommentStatus.APPROVED or comment.is_deleted:
        raise ValidationError(REPORT_INVISIBLE)
    message = ban_message(reporter)
    if message:
        raise ValidationError(message)
    report = CommentReport(comment=comment, reporter=reporter, reason=reason[:500])
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError(REPORT_TWICE) from None
    _log(actor=reporter, action=ModerationAction.REPORT, comment=comment, note=reason)
    open_reports = comment.reports.filter(resolved_at__isnull=True).count()
    if open_reports >= int(settings.KANSOU_COMMENT_REPORTS_TO_HOLD):
        comment.status = CommentStatus.PENDING
        comment.save(update_fields=["status"])
        pages_touched()
        _log(
            actor=None,
            action=ModerationAction.HOLD,
            comment=comment,
            subject=comment.author,
            note=f"{open_reports} reports",
        )
    return report


# ---------------------------------------------------------------------------------------------
# The queue


@dataclass(frozen=True)
class ModerationQueue:
    pending: list[Comment]
    reported: list[Comment]
    log: list[ModerationLog]


def moderation_queue(*, log_size: int = 30) -> ModerationQueue:
    """Comments waiting for a decision (oldest first, with their open reports) and the latest
    actions."""
    open_reports = Q(reports__resolved_at__isnull=True)
    base = (
        Comment.objects.select_related("author", "review")
        .prefetch_related("reports__reporter")
        .annotate(open_reports=Count("reports", filter=open_reports))
    )
    return ModerationQueue(
        pending=list(base.pending().order_by("created_at", "pk")),
        reported=list(base.visible().filter(open_reports__gt=0).order_by("created_at", "pk")),
        log=list(
            ModerationLog.objects.select_related("actor", "subject", "comment__review")[:log_size]
        ),
    )
