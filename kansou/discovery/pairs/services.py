"""Writes for recommendation pairs ("if you liked X, watch Y"): submit, delete, agree, withdraw,
moderate, and the editorial pairs a review's comparable titles make.

Rules enforced here — the comments' rules (``kansou.community.comments``, ``moderation``):

- only signed-in, unbanned readers submit or agree (``moderation.ban_message``);
- a pitch is ``PITCH_MIN_LENGTH``–``PITCH_MAX_LENGTH`` characters of plain text, counted after
  ``clean_text`` (control characters dropped, NFC) and trimming; pages show it escaped;
- a title is never paired with itself, and a pair is unordered; one pair per account per pair:
  submitting the same pair again (either way round) edits its pitch;
- what waits for a moderator: what would hold a comment (``KANSOU_COMMENT_MODERATION``; under
  "first", an account waits until it is ``KANSOU_COMMENT_TRUSTED_DAYS`` old with an approved
  comment or pair), more than ``KANSOU_COMMENT_MAX_LINKS`` links; moderators and authors
  (``reviews.add_review``) are trusted. An edit that would wait sends an approved pair back;
- the comments' rate limits (``KANSOU_COMMENT_RATE`` per account, ``KANSOU_COMMENT_IP_RATE`` per
  address), counted apart (scopes ``pair-user``, ``pair-ip``) and only for submissions that pass
  every other check;
- agreeing: only with a pair anyone can see, never with one's own, once per account. "Recommended
  by N readers" counts people, so a reader who recommends a pair does not also agree with
  another reader's pitch of it: submitting drops one's agreements with that pair, and agreeing
  while having one's own is a conflict;
- every status change follows the table in ``kansou.community.moderation_states`` (post, edit,
  delete by the author; approve, hide, spam by moderators; import and re-import for reviews): a
  pair a moderator took down can be neither edited nor deleted by its author, and importing a
  review again never changes a status a moderator gave.

Moderator actions and automatic holds go to ``ModerationLog`` (no comment; the note names the
pair). Every write moves the page cache on (``pages_touched``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from kansou.catalog.models import Anime
from kansou.catalog.text import clean_text
from kansou.community.comments.markdown import link_count, plain_text
from kansou.community.comments.services import ip_hash
from kansou.community.models import CommentStatus, ModerationAction, ModerationLog
from kansou.community.moderation import (
    MODERATION_MODES,
    NOT_MODERATOR,
    ban_message,
    is_moderator,
    is_proven,
    user_ban,
)
from kansou.community.moderation_states import NEW, Actor, Event, TransitionRefused, transition
from kansou.community.ratelimit import account_and_ip_hit, wait_text
from kansou.core.pagecache import pages_touched
from kansou.discovery.pairs.models import (
    PITCH_MAX_LENGTH,
    PITCH_MIN_LENGTH,
    AnimePair,
    PairAgreement,
    PairKind,
)
from kansou.reviews.models import ComparableTitle, Review

AUTHOR_PERMISSION = "reviews.add_review"
LOG_IN = "Log in to recommend anime."
SELF_PAIR = "Pick another title: an anime cannot be recommended for itself."
TOO_SHORT = f"Your pitch is too short: write at least {PITCH_MIN_LENGTH} characters."
TOO_LONG = f"Your pitch is too long: {{length}} characters, at most {PITCH_MAX_LENGTH} allowed."
RATE_LIMITED = "You are recommending too fast. You can recommend again in {wait}."
HELD = "Thanks! Your recommendation awaits moderation and appears once a moderator approves it."
HELD_LINKS = (
    "Your pitch has more than {limit} link{s}, so it awaits moderation "
    "and appears once a moderator approves it."
)
POSTED = "Thanks! Your recommendation is up."
EDITED = "Your recommendation was updated."
DELETED = "Your recommendation was deleted."
TAKEN_DOWN = "A moderator took this recommendation down: it can no longer be changed."
NOT_FOUND = "No such recommendation."
AGREE_OWN = "You cannot agree with your own recommendation."
AGREE_OWN_PAIR = "You recommend these two yourself: your own pitch already counts."
AGREED_ALREADY = "You already agree with this recommendation."
AGREED = "Thanks, your agreement counts."
WITHDRAWN = "Your agreement was withdrawn."
RACE = "You already recommended this pair; try again to edit it."


class PairRefused(ValidationError):
    """The input cannot be used (400): a self-pair, a pitch too short or too long."""


class PairForbidden(ValidationError):
    """This account may not do this (403): signed out, banned, its own pair, taken down."""


class PairNotFound(ValidationError):
    """The pair is not one the account may see (404)."""


class PairConflict(ValidationError):
    """The write clashes with what is there (409): agreeing twice, or with one's own pair."""


class PairRateLimited(ValidationError):
    """Too many submissions (429); ``seconds`` until the next one is allowed."""

    def __init__(self, seconds: int):
        super().__init__(RATE_LIMITED.format(wait=wait_text(seconds)))
        self.seconds = seconds


@dataclass(frozen=True)
class PairSubmitted:
    pair: AnimePair
    message: str
    created: bool


def pitch_clean(pitch: str) -> str:
    """The pitch as stored; raises :class:`PairRefused` when too short or too long."""
    pitch = clean_text(pitch).strip()
    if len(pitch) < PITCH_MIN_LENGTH:
        raise PairRefused({"pitch": TOO_SHORT})
    if len(pitch) > PITCH_MAX_LENGTH:
        raise PairRefused({"pitch": TOO_LONG.format(length=len(pitch))})
    return pitch


def _is_trusted(user, *, now: dt.datetime) -> bool:
    if is_moderator(user) or user.has_perm(AUTHOR_PERMISSION):
        return True
    mode = settings.KANSOU_COMMENT_MODERATION
    if mode != "first":
        return mode == "none"
    if is_proven(user, now=now):
        return True
    old = user.date_joined <= now - dt.timedelta(days=int(settings.KANSOU_COMMENT_TRUSTED_DAYS))
    return old and user.anime_pairs.filter(status=CommentStatus.APPROVED).exists()


def pair_hold_reason(*, user, pitch: str, now: dt.datetime | None = None) -> str:
    """Why a pair by ``user`` with ``pitch`` must wait for a moderator if it were submitted now
    ("" when it need not): the message shown to its author."""
    if settings.KANSOU_COMMENT_MODERATION not in MODERATION_MODES:
        raise ValueError(
            f"KANSOU_COMMENT_MODERATION={settings.KANSOU_COMMENT_MODERATION!r}: "
            f"expected one of {', '.join(MODERATION_MODES)}"
        )
    limit = int(settings.KANSOU_COMMENT_MAX_LINKS)
    if link_count(pitch) > limit and not is_moderator(user):
        return HELD_LINKS.format(limit=limit, s="" if limit == 1 else "s")
    return "" if _is_trusted(user, now=now or timezone.now()) else HELD


def _check_rates(*, user, ip: str) -> None:
    wait = account_and_ip_hit(
        scope="pair",
        user_id=user.pk,
        ip=ip,
        user_rates=settings.KANSOU_COMMENT_RATE,
        ip_rates=settings.KANSOU_COMMENT_IP_RATE,
    )
    if wait:
        raise PairRateLimited(wait)


def _log(*, actor, action: str, pair: AnimePair, note: str = "") -> None:
    label = f"recommendation #{pair.pk} (anime #{pair.anime_a_id} ⇄ #{pair.anime_b_id})"
    entry = ModerationLog(
        actor=actor, action=action, subject=pair.user, note=f"{label} {note}".strip()[:500]
    )
    entry.full_clean()
    entry.save()


def _require_signed_in_unbanned(user) -> None:
    if not user.is_authenticated:
        raise PairForbidden(LOG_IN)
    refusal = ban_message(user)
    if refusal:
        raise PairForbidden(refusal)


@transaction.atomic
def pair_submit(*, anime: Anime, other: Anime, user, pitch: str, ip: str = "") -> PairSubmitted:
    """``user`` recommends ``other`` to whoever liked ``anime`` (or edits their pitch for this
    pair); the rules are in the module docstring."""
    _require_signed_in_unbanned(user)
    if anime.pk == other.pk:
        raise PairRefused({"other": SELF_PAIR})
    pitch = pitch_clean(pitch)
    low, high = sorted((anime.pk, other.pk))
    existing = (
        AnimePair.objects.select_for_update()
        .filter(user=user, anime_a_id=low, anime_b_id=high)
        .first()
    )
    reason = pair_hold_reason(user=user, pitch=pitch)
    if existing is None:
        event = Event.POST_HELD if reason else Event.POST
    else:
        event = Event.EDIT_HELD if reason else Event.EDIT
    before = existing.status if existing else NEW
    try:
        status = transition(before, event, Actor.AUTHOR)
    except TransitionRefused:
        raise PairForbidden(TAKEN_DOWN) from None
    _check_rates(user=user, ip=ip)
    pair = existing or AnimePair(anime_a_id=low, anime_b_id=high, user=user)
    pair.pitch, pair.status, pair.ip_hash = pitch, status, ip_hash(ip)
    pair.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            pair.save()
    except IntegrityError:  # the same pair submitted twice at once
        raise PairConflict(RACE) from None
    if existing is None:  # one's own pitch replaces agreeing with another reader's
        PairAgreement.objects.filter(
            user=user, pair__anime_a_id=low, pair__anime_b_id=high
        ).delete()
    elif before == CommentStatus.APPROVED and status == CommentStatus.PENDING:
        _log(actor=None, action=ModerationAction.HOLD, pair=pair, note=f"edited: {reason}")
    pages_touched()
    if status == CommentStatus.PENDING:
        message = reason or HELD
    else:
        message = POSTED if existing is None else EDITED
    return PairSubmitted(pair=pair, message=message, created=existing is None)


@transaction.atomic
def pair_delete(*, pair: AnimePair, user) -> None:
    """Its author deletes a pair (with its agreements); one a moderator took down stays."""
    if pair.user_id is None or pair.user_id != user.pk:
        raise PairNotFound(NOT_FOUND)
    try:
        transition(pair.status, Event.DELETE, Actor.AUTHOR)
    except TransitionRefused:
        raise PairForbidden(TAKEN_DOWN) from None
    pair.delete()
    pages_touched()


@transaction.atomic
def pair_agree(*, pair: AnimePair, user) -> PairAgreement:
    """``user`` agrees with ``pair`` (rules in the module docstring)."""
    _require_signed_in_unbanned(user)
    if not AnimePair.objects.shown().filter(pk=pair.pk).exists():
        raise PairNotFound(NOT_FOUND)
    if pair.user_id == user.pk:
        raise PairForbidden(AGREE_OWN)
    if AnimePair.objects.between(pair.anime_a_id, pair.anime_b_id).filter(user=user).exists():
        raise PairConflict(AGREE_OWN_PAIR)
    agreement = PairAgreement(pair=pair, user=user)
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError:
        raise PairConflict(AGREED_ALREADY) from None
    pages_touched()
    return agreement


@transaction.atomic
def pair_withdraw(*, pair: AnimePair, user) -> bool:
    """``user`` takes back their agreement with ``pair``; False when there was none."""
    if not user.is_authenticated:
        raise PairForbidden(LOG_IN)
    deleted, _ = PairAgreement.objects.filter(pair=pair, user=user).delete()
    if deleted:
        pages_touched()
    return bool(deleted)


# ---------------------------------------------------------------------------------------------
# Moderators


def _decide(*, pair: AnimePair, moderator, event: Event, action: str, note: str) -> AnimePair:
    if not is_moderator(moderator):
        raise PermissionError(NOT_MODERATOR)
    pair.status = transition(pair.status, event, Actor.MODERATOR)
    pair.save(update_fields=["status", "updated_at"])
    pages_touched()
    _log(actor=moderator, action=action, pair=pair, note=note)
    return pair


@transaction.atomic
def pair_approve(*, pair: AnimePair, moderator) -> AnimePair:
    """Show the pair to everyone."""
    return _decide(
        pair=pair, moderator=moderator, event=Event.APPROVE, action=ModerationAction.APPROVE,
        note="",
    )  # fmt: skip


@transaction.atomic
def pair_hide(*, pair: AnimePair, moderator, reason: str = "") -> AnimePair:
    """Take the pair down (its author no longer sees it either)."""
    return _decide(
        pair=pair, moderator=moderator, event=Event.HIDE, action=ModerationAction.HIDE,
        note=reason,
    )  # fmt: skip


@transaction.atomic
def pair_mark_spam(*, pair: AnimePair, moderator, reason: str = "") -> AnimePair:
    return _decide(
        pair=pair, moderator=moderator, event=Event.SPAM, action=ModerationAction.SPAM,
        note=reason,
    )  # fmt: skip


@transaction.atomic
def pair_ban_author(
    *, pair: AnimePair, moderator, reason: str = "", until: dt.datetime | None = None
) -> AnimePair:
    """Ban the pair's author (``moderation.user_ban``) and mark the pair as spam."""
    if pair.user is None:
        raise ValidationError("A review's recommendation has no account to ban.")
    user_ban(user=pair.user, by=moderator, reason=reason, until=until)
    return pair_mark_spam(pair=pair, moderator=moderator, reason=reason)


# ---------------------------------------------------------------------------------------------
# Editorial pairs, from reviews


def _profile_pitch(profile) -> str:
    why = plain_text(profile.why_html or profile.why_md, max_length=PITCH_MAX_LENGTH)
    return clean_text(f"{profile.name}: {why}" if why else profile.name)[:PITCH_MAX_LENGTH]


def review_pair_pitches(review: Review) -> dict[tuple[int, int], str]:
    """(smaller id, larger id) → pitch for each comparable title of ``review``'s audience
    profiles (the first profile naming a title gives its pitch)."""
    if review.anime_id is None:
        return {}
    comparable = ComparableTitle.objects.order_by("position", "pk")
    profiles = review.audience.order_by("position", "pk").prefetch_related(
        Prefetch("comparable_titles", queryset=comparable)
    )
    wanted: dict[tuple[int, int], str] = {}
    for profile in profiles:
        for row in profile.comparable_titles.all():
            if row.anime_id != review.anime_id:
                key = tuple(sorted((review.anime_id, row.anime_id)))
                wanted.setdefault(key, _profile_pitch(profile))
    return wanted


@transaction.atomic
def pairs_from_review(*, review: Review) -> int:
    """Make ``review``'s editorial pairs match its comparable titles; returns how many pairs
    were created, changed or removed.

    Rules: a new pair is approved (the state machine's ``import``); an existing one keeps its
    status (``reimport``: a moderator's decision stands) and takes the new pitch; a pair the
    review no longer names is removed unless a moderator took it down (then it stays down, so
    naming the title again does not bring it back). Pairs of a review that is not public are
    kept but not shown (``AnimePair.objects.shown``).
    """
    wanted = review_pair_pitches(review)
    existing = {(p.anime_a_id, p.anime_b_id): p for p in AnimePair.objects.filter(review=review)}
    changed = 0
    for (low, high), pitch in wanted.items():
        pair = existing.pop((low, high), None)
        if pair is None:
            pair = AnimePair(
                anime_a_id=low, anime_b_id=high, kind=PairKind.EDITORIAL, review=review,
                pitch=pitch, status=transition(NEW, Event.IMPORT, Actor.IMPORTER),
            )  # fmt: skip
        else:
            status = transition(pair.status, Event.REIMPORT, Actor.IMPORTER)
            if (pair.pitch, pair.status) == (pitch, status):
                continue
            pair.pitch, pair.status = pitch, status
        pair.full_clean(validate_constraints=False)
        pair.save()
        changed += 1
    live = (CommentStatus.APPROVED, CommentStatus.PENDING)
    gone = [pair.pk for pair in existing.values() if pair.status in live]
    if gone:
        AnimePair.objects.filter(pk__in=gone).delete()
        changed += len(gone)
    if changed:
        pages_touched()
    return changed


def pairs_sync_reviews(review_ids: list[int] | None) -> None:
    """The review listener (``kansou.core.changes``, registered in ``DiscoveryConfig.ready``):
    every written review's editorial pairs follow it; None means every review."""
    reviews = Review.objects.only("pk", "anime_id")
    if review_ids is not None:
        reviews = reviews.filter(pk__in=review_ids)
    for review in reviews:
        pairs_from_review(review=review)
