""" "Who should watch" an anime: written, creator and generated audience profiles."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import (
    BooleanField,
    Case,
    Q,
    Value,
    When,
)
from django.urls import reverse

from kansou.catalog.models import Anime, Origin, StaffCredit
from kansou.discovery.artefact import Artefact, artefact_current
from kansou.discovery.audience import (
    CREATOR_ROLES,
    MAX_COMPARABLE,
    MAX_PROFILES,
    Written,
    audience_profiles,
    best_known,
    candidates,
    creator_works,
    describe_creator,
    one_per_franchise,
    why_sentence,
    written_profiles,
)
from kansou.discovery.pairs.selectors import pair_partners
from kansou.discovery.selectors.cards import CARD_FIELDS
from kansou.recommend.franchise import franchise_ids
from kansou.reviews.models import AudienceProfile, Review

MAX_PAIRED = 20  # paired titles an audience profile may draw on


@dataclass(frozen=True)
class AudienceSuggestion:
    """A "who should watch" profile. ``source``: ``review`` (as a review wrote it: ``why`` its
    Markdown, ``why_html`` rendered), ``creator`` or ``generated`` (``why`` the plain sentence:
    ``description``, like the comparable titles)."""

    name: str
    why: str
    tags: tuple[str, ...]
    comparable: list[Anime]
    source: str = "generated"
    description: str = ""
    why_html: str = ""
    review_title: str = ""
    review_url: str = ""


def anime_audience_profiles(*, anime: Anime, written: bool = True) -> list[AudienceSuggestion]:
    """ "Who should watch" ``anime``, from the best evidence (order and rules in
    :mod:`kansou.discovery.audience`): the newest published review's profiles as written (all
    of them), then "for fans of <creator>", then generated ones, up to ``MAX_PROFILES``.
    ``written=False`` leaves reviews' profiles out (to suggest profiles to a review).

    At most three queries (written profiles, the creators' credits, the cards with the anime's
    pairs); nothing generated without a trained model."""
    drafts = _audience_written(anime) if written else []
    room = len(drafts) < MAX_PROFILES
    creators = _audience_creators(anime) if room else []
    art = artefact_current()
    index = art.index_of(anime.pk) if art and room else None
    wanted = {a for d in drafts for a in d.comparable} | {a for *_, w in creators for a in w}
    if index is not None:
        wanted.update(art.items.to_id(art.table.lookup(index, art.table.k)[0]).tolist())
    rows = _audience_cards(wanted, pairs_of=anime.pk if index is not None else None)
    titles = [anime.title, *(row.title for row in rows.values())]
    family = dict(zip([anime.pk, *rows], franchise_ids(titles).tolist(), strict=True))
    out = [_audience_from_review(d, rows) for d in drafts]
    used = {a.pk for s in out for a in s.comparable}
    creator = _audience_creator(art, creators, rows, family, used, own=anime.pk) if room else None
    if creator:
        out.append(creator)
        used.update(a.pk for a in creator.comparable)
    if index is not None and len(out) < MAX_PROFILES:
        out += _audience_generated(art, index, anime, rows, family, used, MAX_PROFILES - len(out))
    return out


def _audience_written(anime: Anime) -> list[Written]:
    reviews = Review.objects.published().filter(anime_id=anime.pk)
    rows = (
        AudienceProfile.objects.filter(review__in=reviews)
        .order_by(
            "-review__publish_at", "-review_id", "position", "pk",
            "comparable_titles__position", "comparable_titles__pk",
        )
        .values_list(
            "review_id", "pk", "name", "why_md", "why_html", "review__title", "review__slug",
            "comparable_titles__anime_id",
        )
    )  # fmt: skip
    return written_profiles(rows)


def _audience_creators(anime: Anime) -> list[tuple[str, str, list[int]]]:
    roles = Q()
    for role in CREATOR_ROLES:
        roles |= Q(role__iexact=role)
    credits = StaffCredit.objects.exclude(origin=Origin.HIDDEN).filter(roles)
    mine = credits.filter(anime_id=anime.pk).values("person_id")
    rows = credits.filter(person_id__in=mine).order_by("position", "pk")
    return creator_works(
        rows.values_list("person_id", "person__name", "anime_id", "role", "position"), anime.pk
    )


def _audience_cards(ids: set[int], *, pairs_of: int | None) -> dict[int, Anime]:
    """Cards for ``ids`` and, with ``pairs_of``, for that anime's best paired titles (marked
    ``paired``), in one query."""
    rows = Anime.objects.only(*CARD_FIELDS)
    wanted = Q(pk__in=list(ids))
    if pairs_of is not None:
        partners = pair_partners(pairs_of, MAX_PAIRED)
        wanted |= Q(pk__in=partners)
        paired = When(pk__in=partners, then=Value(True))
        rows = rows.annotate(paired=Case(paired, default=Value(False), output_field=BooleanField()))
    elif not ids:
        return {}
    return {row.pk: row for row in rows.filter(wanted)}


def _audience_from_review(profile: Written, rows: dict[int, Anime]) -> AudienceSuggestion:
    return AudienceSuggestion(
        profile.name,
        profile.why_md,
        (),
        [rows[a] for a in profile.comparable if a in rows],
        source="review",
        why_html=profile.why_html,
        review_title=profile.review_title,
        review_url=reverse("reviews:review-detail", args=[profile.review_slug]),
    )


def _audience_creator(
    art: Artefact | None,
    creators: list[tuple[str, str, list[int]]],
    rows: dict[int, Anime],
    family: dict[int, int],
    used: set[int],
    *,
    own: int,
) -> AudienceSuggestion | None:
    """The first creator with other works: the best known, one per franchise, none of the
    anime's own franchise or already named by a written profile."""
    for name, role, works in creators:
        cards = [rows[w] for w in works if w in rows and w not in used]
        popularity = np.zeros(len(cards))
        if art is not None and cards:
            indices = art.items.to_index([c.pk for c in cards], missing="ignore")
            known = indices >= 0
            popularity[known] = np.asarray(art.popularity)[indices[known]]
        order = best_known([c.kind for c in cards], popularity, [c.score for c in cards])
        keys = [cards[i].pk for i in order]
        chosen = one_per_franchise(keys, family, MAX_COMPARABLE, skip=[family[own]])
        if chosen:
            comparable = [rows[pk] for pk in chosen]
            text = describe_creator(role, name)
            why = why_sentence(text, [a.title for a in comparable])
            return AudienceSuggestion(
                f"For fans of {name}", why, (), comparable, source="creator", description=text
            )
    return None


def _audience_generated(
    art: Artefact,
    index: int,
    anime: Anime,
    rows: dict[int, Anime],
    family: dict[int, int],
    used: set[int],
    limit: int,
) -> list[AudienceSuggestion]:
    ids = list(rows)
    anime_of = {
        int(i): a for a, i in zip(ids, art.items.to_index(ids, missing="ignore"), strict=True)
        if i >= 0
    }  # fmt: skip
    franchise = {i: family[a] for i, a in anime_of.items()} | {index: family[anime.pk]}
    paired = [i for i, a in anime_of.items() if getattr(rows[a], "paired", False)]
    pool = candidates(art, index, paired=paired, franchise=franchise)
    synopsis = "" if "synopsis" in anime.get_deferred_fields() else anime.synopsis
    profiles = audience_profiles(
        art,
        index,
        pool=np.array([i for i in pool.tolist() if i in anime_of], dtype=np.int64),
        paired=paired,
        franchise=franchise,
        used=[i for i, a in anime_of.items() if a in used],
        synopsis=synopsis,
        limit=limit,
    )
    out = []
    for profile in profiles:
        comparable = [rows[anime_of[i]] for i in profile.comparable]
        why = why_sentence(profile.description, [a.title for a in comparable])
        out.append(
            AudienceSuggestion(
                profile.name, why, profile.tags, comparable, description=profile.description
            )
        )
    return out
