"""Reads for recommendation pairs: an anime's pairs folded into "more like this" (no extra
query), the pages' lists, the moderation queue, and the trainer's evidence.

For "more like this", :func:`with_pair_facts` annotates anime rows with what their pairs with
one anime say, as correlated subqueries, so the cards query that "more like this" runs anyway
also brings the pairs; :func:`pair_partners` is the subquery of the best partners. All of them
count only pairs anyone may see (``AnimePair.objects.shown``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.urls import reverse

from kansou.catalog.models import Anime
from kansou.catalog.selectors import anime_find
from kansou.community.models import CommentStatus
from kansou.discovery.pairs.models import AnimePair, PairAgreement, PairKind

PITCH_IN_REASON = 160  # characters of a pitch quoted in a reason
# Picking the other anime by title: a match this good, this far ahead of the next, is taken.
MATCH_THRESHOLD = 90.0
AMBIGUITY_MARGIN = 3.0
CANDIDATES = 8


@dataclass(frozen=True)
class PairFacts:
    """What the pairs of two anime say, for a "more like this" card.

    ``weight`` counts every vote (each pair's submitter or review, and each agreement);
    ``readers`` only readers' (submitters and agreements of community pairs). ``pair_id`` is the
    pair an "agree" button acts on: the readers' best, else the review's.
    """

    pair_id: int
    weight: int
    readers: int
    pitch: str
    by: str
    agreements: int
    review_title: str
    review_url: str

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.readers:
            pitch = self.pitch
            if len(pitch) > PITCH_IN_REASON:
                pitch = pitch[: PITCH_IN_REASON - 1].rstrip() + "…"
            plural = "" if self.readers == 1 else "s"
            out.append(f"Recommended by {self.readers} reader{plural}: '{pitch}'")
        if self.review_title:
            out.append(f"Recommended in the review {self.review_title}")
        return out


def _other(anime_id: int) -> Case:
    return Case(When(anime_a_id=anime_id, then=F("anime_b_id")), default=F("anime_a_id"))


def _votes() -> Count:
    # Rows and agreements joined: distinct counts keep one from multiplying the other.
    return Count("pk", distinct=True) + Count("agreements", distinct=True)


def pair_partners(anime_id: int, n: int) -> QuerySet:
    """Subquery: ids of the ``n`` anime best paired with ``anime_id`` (most votes first)."""
    return (
        AnimePair.objects.shown()
        .involving(anime_id)
        .annotate(other=_other(anime_id))
        .values("other")
        .annotate(votes=_votes())
        .order_by("-votes", "other")
        .values("other")[:n]
    )


def _between_outer(anime_id: int) -> QuerySet:
    """Shown pairs of ``anime_id`` with the outer query's anime row."""
    return AnimePair.objects.shown().filter(
        Q(anime_a_id=anime_id, anime_b_id=OuterRef("pk"))
        | Q(anime_b_id=anime_id, anime_a_id=OuterRef("pk"))
    )


def _total(rows: QuerySet) -> Subquery:
    grouped = rows.order_by().values("anime_a_id").annotate(votes=_votes()).values("votes")
    return Subquery(grouped, output_field=IntegerField())


def with_pair_facts(anime_rows: QuerySet, *, anime_id: int) -> QuerySet:
    """``anime_rows`` annotated with their pairs with ``anime_id`` (``pair_facts`` reads them):
    all in the same query, every field None for rows without a shown pair."""
    between = _between_outer(anime_id)
    community = between.filter(kind=PairKind.COMMUNITY)
    best = community.annotate(n=Count("agreements")).order_by("-n", "created_at", "pk")
    editorial = between.filter(kind=PairKind.EDITORIAL).order_by("-review__publish_at", "pk")
    return anime_rows.annotate(
        pair_weight=_total(between),
        pair_readers=_total(community),
        pair_best=Subquery(best.values("pk")[:1]),
        pair_pitch=Subquery(best.values("pitch")[:1]),
        pair_by=Subquery(best.values("user__username")[:1]),
        pair_agreements=Subquery(best.values("n")[:1], output_field=IntegerField()),
        pair_editorial=Subquery(editorial.values("pk")[:1]),
        pair_review_title=Subquery(editorial.values("review__title")[:1]),
        pair_review_slug=Subquery(editorial.values("review__slug")[:1]),
    )


def pair_facts(anime: Anime) -> PairFacts | None:
    """The facts ``with_pair_facts`` put on ``anime``; None when it has no shown pair."""
    if not getattr(anime, "pair_weight", None):
        return None
    slug = anime.pair_review_slug
    return PairFacts(
        pair_id=anime.pair_best or anime.pair_editorial,
        weight=anime.pair_weight,
        readers=anime.pair_readers or 0,
        pitch=anime.pair_pitch or "",
        by=anime.pair_by or "",
        agreements=anime.pair_agreements or 0,
        review_title=anime.pair_review_title or "",
        review_url=reverse("reviews:review-detail", args=[slug]) if slug else "",
    )


# ---------------------------------------------------------------------------------------------
# Lists


def _listed(pairs: QuerySet) -> QuerySet:
    return pairs.select_related("anime_a", "anime_b", "user", "review").annotate(
        agreement_count=Count("agreements", distinct=True)
    )


def pairs_recent(*, viewer) -> QuerySet:
    """Every pair ``viewer`` may see (``visible_to``), newest first: the /recommendations/
    page."""
    return _listed(AnimePair.objects.visible_to(viewer)).order_by("-created_at", "-pk")


def anime_pairs(*, anime: Anime, viewer) -> QuerySet:
    """``anime``'s pairs that ``viewer`` may see, most agreed first, then newest."""
    pairs = AnimePair.objects.visible_to(viewer).involving(anime.pk)
    return _listed(pairs).order_by("-agreement_count", "-created_at", "-pk")


def with_viewer_facts(pairs: list[AnimePair], *, viewer) -> list[AnimePair]:
    """Mark each pair with ``viewer_agrees`` and ``viewer_owns`` (one query)."""
    agreed: set[int] = set()
    if viewer.is_authenticated and pairs:
        agreed = set(
            PairAgreement.objects.filter(user=viewer, pair__in=pairs).values_list(
                "pair_id", flat=True
            )
        )
    for pair in pairs:
        pair.viewer_agrees = pair.pk in agreed
        pair.viewer_owns = viewer.is_authenticated and pair.user_id == viewer.pk
    return pairs


def pairs_pending() -> list[AnimePair]:
    """The moderation queue: pairs waiting for a decision, oldest first."""
    pending = AnimePair.objects.filter(status=CommentStatus.PENDING)
    return list(_listed(pending).order_by("created_at", "pk"))


def pair_evidence() -> list[tuple[int, int, float]]:
    """``(anime_id_a, anime_id_b, weight)`` for every pair of anime with a shown pair, ``a <
    b``; ``weight`` counts the votes for it (each pair's submitter or review, and each
    agreement), for the trainer to use as item–item evidence. One query.

    >>> pair_evidence()  # doctest: +SKIP
    [(12, 40, 3.0), (12, 97, 1.0)]
    """
    rows = (
        AnimePair.objects.shown()
        .order_by()
        .values("anime_a_id", "anime_b_id")
        .annotate(votes=_votes())
        .order_by("anime_a_id", "anime_b_id")
        .values_list("anime_a_id", "anime_b_id", "votes")
    )
    return [(a, b, float(votes)) for a, b, votes in rows]


def other_anime_lookup(*, anime: Anime, query: str) -> tuple[Anime | None, list[Anime]]:
    """The anime ``query`` names (any title, typos tolerated) for a pair with ``anime``: the
    match when one is clear (``MATCH_THRESHOLD``, ``AMBIGUITY_MARGIN`` ahead of the next), else
    None and the candidates to pick from (none when nothing matches)."""
    matches = [m for m in anime_find(query=query, limit=CANDIDATES + 1) if m.anime.pk != anime.pk]
    matches = matches[:CANDIDATES]
    if matches and matches[0].similarity >= MATCH_THRESHOLD:
        if len(matches) == 1 or matches[1].similarity < matches[0].similarity - AMBIGUITY_MARGIN:
            return matches[0].anime, []
    return None, [m.anime for m in matches]
