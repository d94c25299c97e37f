"""Who may comment, which comments wait for a moderator, and what moderators do.

Rules enforced here:

- A banned account (a :class:`~kansou.community.models.Ban` with no end, or an end ahead) cannot
  post, edit or report.
- ``KANSOU_COMMENT_MODERATION`` decides what waits: ``all`` holds every comment, ``none`` none,
  and ``first`` holds comments until the account is trusted: it has an approved comment and is
  at least ``KANSOU_COMMENT_TRUSTED_DAYS`` old. Moderators, and reviewers commenting on their own
  review, are always trusted.
- Whatever the mode, a comment with more than ``KANSOU_COMMENT_MAX_LINKS`` links waits (every
  link its rendered HTML carries, see ``comments.markdown.link_count``).
- The same rules apply to an edit: an edit that would wait if it were posted now sends the
  comment back to the queue.
- Open reports weighing ``KANSOU_COMMENT_REPORTS_TO_HOLD`` take an approved comment off the page
  until a moderator decides. A report by a proven reader (an account old enough to be trusted,
  ``KANSOU_COMMENT_TRUSTED_DAYS``, with an approved comment) or a moderator weighs 1; one by a
  new or unproven account weighs 1/3, so fresh accounts need three times as many. Reports never
  take down a comment by a moderator, a staff member or one of the review's authors: it stays
  up and in the queue's reported list. Deciding (approve, hide, spam) closes its reports.
- Reviewers do not moderate their own reviews' comments unless they also hold the moderator
  role: moderation is one queue for one role.

Every status change goes through the table in ``moderation_states``. Every moderator action
and every automatic hold (reports, an edit sent back to the queue) is written to
:class:`ModerationLog`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from kansou.community.comments.markdown import link_count
from kansou.community.models import (
    Ban,
    Comment,
    CommentReport,
    CommentStatus,
    ModerationAction,
    ModerationLog,
)
from kansou.community.moderation_states import Actor, Event, transition
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
PROVEN_REPORT_WEIGHT = Fraction(1)  # a report by a proven reader or a moderator
NEW_REPORT_WEIGHT = Fraction(1, 3)  # a report by a new or unproven account


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


def is_proven(user, *, now: dt.datetime | None = None) -> bool:
    """An account at least ``KANSOU_COMMENT_TRUSTED_DAYS`` old with an approved comment."""
    now = now or timezone.now()
    old_enough = user.date_joined <= now - dt.timedelta(
        days=int(settings.KANSOU_COMMENT_TRUSTED_DAYS)
    )
    return old_enough and user.comments.visible().exists()


def _is_trusted(*, author, review, now: dt.datetime) -> bool:
    if settings.KANSOU_COMMENT_MODERATION == "none":
        return True  # first: everyone is, and asking who the author is costs three queries
    if is_moderator(author) or review.review_authors.filter(user=author).exists():
        return True
    if settings.KANSOU_COMMENT_MODERATION == "all":
        return False
    return is_proven(author, now=now)


def hold_reason(*, author, review, body_md: str, now=None) -> str:
    """Why a comment by ``author`` with ``body_md`` must wait for a moderator if it were posted
    now ("" when it need not): the message shown to its author."""
    if settings.KANSOU_COMMENT_MODERATION not in MODERATION_MODES:
        raise ValueError(
            f"KANSOU_COMMENT_MODERATION={settings.KANSOU_COMMENT_MODERATION!r}: "
            f"expected one of {', '.join(MODERATION_MODES)}"
        )
    now = now or timezone.now()
    limit = int(settings.KANSOU_COMMENT_MAX_LINKS)
    if link_count(body_md) > limit and not is_moderator(author):
        return HELD_LINKS.format(limit=limit, s="" if limit == 1 else "s")
    if _is_trusted(author=author, review=review, now=now):
        return ""
    return HELD


def comment_initial_status(*, author, review, body_md: str, now=None) -> tuple[str, str]:
    """The status a new comment starts in and, when it waits, the message saying why."""
    reason = hold_reason(author=author, review=review, body_md=body_md, now=now)
    status = transition(None, Event.POST_HELD if reason else Event.POST, Actor.AUTHOR)
    return status, reason


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


def log_hold(*, comment: Comment, note: str) -> ModerationLog:
    """Record an automatic hold (no moderator acted)."""
    return _log(
        actor=None, action=ModerationAction.HOLD, comment=comment, subject=comment.author, note=note
    )


def _decide(*, comment: Comment, moderator, event: Event, action: str, note: str) -> Comment:
    _require_moderator(moderator)
    comment.status = transition(comment.status, event, Actor.MODERATOR)
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
        event=Event.APPROVE,
        action=ModerationAction.APPROVE,
        note="",
    )


@transaction.atomic
def comment_hide(*, comment: Comment, moderator, reason: str = "") -> Comment:
    """Take the comment off the page (its author no longer sees it either)."""
    return _decide(
        comment=comment,
        moderator=moderator,
        event=Event.HIDE,
        action=ModerationAction.HIDE,
        note=reason,
    )


@transaction.atomic
def comment_mark_spam(*, comment: Comment, moderator) -> Comment:
    return _decide(
        comment=comment,
        moderator=moderator,
        event=Event.SPAM,
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


def report_weight(reporter, *, now: dt.datetime | None = None) -> Fraction:
    """What one report by ``reporter`` weighs toward ``KANSOU_COMMENT_REPORTS_TO_HOLD``."""
    if is_moderator(reporter) or is_proven(reporter, now=now):
        return PROVEN_REPORT_WEIGHT
    return NEW_REPORT_WEIGHT


def reports_can_hold(comment: Comment) -> bool:
    """Reports never take down a comment by a moderator, a staff member or one of the review's
    authors (a moderator still sees it in the queue's reported list)."""
    author = comment.author
    if author is None:
        return True  # imported from an old blog
    if author.is_staff or is_moderator(author):
        return False
    return not comment.review.review_authors.filter(user=author).exists()


@transaction.atomic
def comment_report(*, comment: Comment, reporter, reason: str = "") -> CommentReport:
    """One report per reader per comment; open reports weighing enough hold an approved
    comment (weights and exceptions in the module docstring)."""
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
    if not reports_can_hold(comment):
        return report
    now = timezone.now()
    open_reports = list(comment.reports.filter(resolved_at__isnull=True).select_related("reporter"))
    weight = sum((report_weight(r.reporter, now=now) for r in open_reports), Fraction(0))
    if weight >= int(settings.KANSOU_COMMENT_REPORTS_TO_HOLD):
        comment.status = transition(comment.status, Event.REPORT_HOLD, Actor.REPORTS)
        comment.save(update_fields=["status"])
        pages_touched()
        log_hold(comment=comment, note=f"{len(open_reports)} reports, weight {weight}")
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
