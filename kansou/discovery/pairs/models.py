"""Recommendation pairs: "if you liked X, watch Y", by readers or from a review.

A pair is **unordered** (as on MyAnimeList): ``anime_a`` is always the smaller id, so X→Y and
Y→X are the same pair, shown on both anime's pages; the check constraint ``anime_a < anime_b``
also refuses a title paired with itself. Two kinds:

- ``community``: one reader's pitch; one per account per pair (a second submission edits it).
- ``editorial``: a comparable title of a review's "who should watch" profile
  (``pairs.pairs_from_review``); one per review per pair, no account.

``status`` takes the comments' states and moves only through the comment state machine
(``kansou.community.moderation_states``): readers post (approved or held), moderators approve,
hide or mark as spam, reviews import. Readers agree with one click (:class:`PairAgreement`, one
per account per pair).

Who sees what: :meth:`AnimePairQuerySet.shown` is what anyone sees (approved, and for editorial
pairs only while their review is public); :meth:`AnimePairQuerySet.visible_to` adds a reader's
own pending pairs, and every pending pair for moderators.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from kansou.catalog.models import Anime
from kansou.community.models import CommentStatus
from kansou.core.models import TimeStampedModel
from kansou.reviews.models import PUBLIC_STATUSES, Review

PITCH_MIN_LENGTH = 20
PITCH_MAX_LENGTH = 1000


class PairKind(models.TextChoices):
    COMMUNITY = "community", "Reader"
    EDITORIAL = "editorial", "Review"


def public_source_q(*, now=None) -> Q:
    """A reader's pair, or a review's while the review is public."""
    now = now or timezone.now()
    public_review = Q(review__status__in=PUBLIC_STATUSES, review__publish_at__lte=now)
    return Q(review__isnull=True) | public_review


def shown_q(*, now=None) -> Q:
    """Approved pairs, editorial ones only while their review is public."""
    return Q(public_source_q(now=now), status=CommentStatus.APPROVED)


class AnimePairQuerySet(models.QuerySet):
    def shown(self, *, now=None) -> AnimePairQuerySet:
        """Pairs anyone may see (``shown_q``)."""
        return self.filter(shown_q(now=now))

    def visible_to(self, viewer) -> AnimePairQuerySet:
        """``shown`` pairs; plus a signed-in viewer's own pending ones; plus, for moderators,
        every pending one."""
        from kansou.community.moderation import is_moderator

        pending = Q(status=CommentStatus.PENDING)
        if is_moderator(viewer):
            return self.filter(shown_q() | pending)
        if viewer.is_authenticated:
            return self.filter(shown_q() | (pending & Q(user_id=viewer.pk)))
        return self.filter(shown_q())

    def moderatable(self) -> AnimePairQuerySet:
        """Pairs a moderator may open, whatever their status: all but those of a review that
        is not public (a draft's comparable titles stay with its authors)."""
        return self.filter(public_source_q())

    def involving(self, anime_id: int) -> AnimePairQuerySet:
        return self.filter(Q(anime_a_id=anime_id) | Q(anime_b_id=anime_id))

    def between(self, first_id: int, second_id: int) -> AnimePairQuerySet:
        low, high = sorted((first_id, second_id))
        return self.filter(anime_a_id=low, anime_b_id=high)


class AnimePair(TimeStampedModel):
    anime_a = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="+")
    anime_b = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=PairKind, default=PairKind.COMMUNITY)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="anime_pairs",
        help_text="The reader who recommends it (community pairs).",
    )
    review = models.ForeignKey(
        Review,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The review it comes from (editorial pairs).",
    )
    pitch = models.TextField(validators=[MaxLengthValidator(PITCH_MAX_LENGTH)])
    status = models.CharField(
        max_length=10, choices=CommentStatus, default=CommentStatus.PENDING, db_index=True
    )
    ip_hash = models.CharField(max_length=64, blank=True)

    objects = AnimePairQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["anime_a", "anime_b"], name="discovery_pair_ab"),
            models.Index(fields=["anime_b"], name="discovery_pair_b"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(anime_a__lt=F("anime_b")),
                name="discovery_pair_ordered",
                violation_error_message="A pair is two different anime, the smaller id first.",
            ),
            models.CheckConstraint(
                condition=Q(kind=PairKind.COMMUNITY, user__isnull=False, review__isnull=True)
                | Q(kind=PairKind.EDITORIAL, user__isnull=True, review__isnull=False),
                name="discovery_pair_kind_source",
                violation_error_message="A reader's pair has an account; a review's a review.",
            ),
            models.UniqueConstraint(
                fields=["user", "anime_a", "anime_b"],
                condition=Q(user__isnull=False),
                name="discovery_pair_one_per_account",
                violation_error_message="You already recommended this pair.",
            ),
            models.UniqueConstraint(
                fields=["review", "anime_a", "anime_b"],
                condition=Q(review__isnull=False),
                name="discovery_pair_one_per_review",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.anime_a_id} ⇄ #{self.anime_b_id}"

    def other_than(self, anime_id: int) -> Anime:
        """The pair's other anime, seen from ``anime_id``'s page."""
        return self.anime_b if anime_id == self.anime_a_id else self.anime_a

    @property
    def submitter(self) -> str:
        """Who recommends it: the reader's username, or the review's title."""
        if self.kind == PairKind.EDITORIAL:
            return self.review.title if self.review_id else ""
        return self.user.get_username() if self.user_id else ""


class PairAgreement(models.Model):
    """One reader agreeing with one pair ("I recommend this too")."""

    pair = models.ForeignKey(AnimePair, on_delete=models.CASCADE, related_name="agreements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pair", "user"], name="discovery_pair_agree_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} agrees with pair {self.pair_id}"
