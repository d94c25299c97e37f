"""JSON for recommendation pairs ("if you liked X, watch Y"), added to discovery's router:

- ``GET /api/anime/{anime_id}/pairs``: the pairs anyone may see, most agreed first (anonymous);
- ``POST`` to the same path: recommend another anime (signed in: session cookie plus the CSRF
  token in ``X-CSRFToken``); 201 for a new pair, 200 when it edits the reader's pitch for the
  same pair. A held pair answers ``status: "pending"`` and is not in the ``GET`` list;
- ``GET``/``POST``/``DELETE /api/pairs/{pair_id}/agreement``: whether the reader agrees, agree,
  withdraw (signed in).

The same rules as the pages apply (``kansou.discovery.pairs``). The pitch's schema says what the
service accepts, which answers 400 with its own sentence otherwise: at most
``PITCH_MAX_LENGTH`` characters, of which at least ``PITCH_MIN_LENGTH`` remain once control
characters are dropped and the ends trimmed.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import ConfigDict, Field

from kansou.catalog.models import Anime
from kansou.catalog.schemas import ErrorOut
from kansou.catalog.text import CONTROL_CHARACTERS
from kansou.core.clientip import client_ip
from kansou.core.params import DB_INT_MAX
from kansou.discovery.pairs import services as pairs
from kansou.discovery.pairs.models import PITCH_MAX_LENGTH, PITCH_MIN_LENGTH, AnimePair
from kansou.discovery.pairs.selectors import anime_pairs

router = Router(tags=["pairs"])
NO_ANIME = "No anime with id {id}."
NO_PAIR = "No recommendation {id} that you can see."
ANIME_ID = Path(..., ge=1, le=DB_INT_MAX, description="The anime's id.")
PAIR_ID = Path(..., ge=1, le=DB_INT_MAX, description="The recommendation's id.")
MAX_LISTED = 200
# A character that is neither space nor control, then PITCH_MIN_LENGTH - 2 characters that are
# not control characters (control characters may come between them: they are dropped), then
# anything, then another character that is neither: once the service drops control characters
# and trims, what is left is PITCH_MIN_LENGTH long or more, exactly when this matches.
_KEPT = rf"[^\s{CONTROL_CHARACTERS}]"
PITCH_PATTERN = (
    rf"{_KEPT}(?:[{CONTROL_CHARACTERS}]*[^{CONTROL_CHARACTERS}]){{{PITCH_MIN_LENGTH - 2}}}"
    rf"[\s\S]*{_KEPT}"
)


class PairAnimeOut(Schema):
    id: int
    title: str
    url: str


class PairOut(Schema):
    id: int
    kind: str = Field(description="``community`` (a reader's) or ``editorial`` (a review's).")
    status: str = Field(description="``approved``, or ``pending`` for the reader's own.")
    anime: list[PairAnimeOut] = Field(description="The two anime, smaller id first.")
    pitch: str
    submitter: str = Field(description="The reader's username, or the review's title.")
    review_url: str | None
    agreements: int
    created_at: dt.datetime

    @classmethod
    def of(cls, request: HttpRequest, pair: AnimePair, agreements: int) -> PairOut:
        def anime(row: Anime) -> PairAnimeOut:
            url = request.build_absolute_uri(row.get_absolute_url())
            return PairAnimeOut(id=row.pk, title=row.title, url=url)

        review = pair.review
        return cls(
            id=pair.pk,
            kind=pair.kind,
            status=pair.status,
            anime=[anime(pair.anime_a), anime(pair.anime_b)],
            pitch=pair.pitch,
            submitter=pair.submitter,
            review_url=request.build_absolute_uri(review.get_absolute_url()) if review else None,
            agreements=agreements,
            created_at=pair.created_at,
        )


class PairIn(Schema):
    # JSON types as the schema says them: ``"other_id": "7"`` is a 422, not 7.
    model_config = ConfigDict(strict=True)

    other_id: int = Field(
        ..., ge=1, le=DB_INT_MAX, description="The anime recommended to fans of this one."
    )
    # Documented, not enforced by pydantic: ``pair_submit`` refuses with a 400 naming the rule.
    pitch: str = Field(
        description=(
            f"Plain text, at most {PITCH_MAX_LENGTH} characters; at least {PITCH_MIN_LENGTH} "
            "once control characters are dropped (they are) and the ends trimmed."
        ),
        json_schema_extra={
            "minLength": PITCH_MIN_LENGTH,
            "maxLength": PITCH_MAX_LENGTH,
            "pattern": PITCH_PATTERN,
        },
    )


class PairSubmittedOut(Schema):
    status: str
    message: str
    pair: PairOut


class AgreementOut(Schema):
    agreed: bool
    agreements: int


def _anime(anime_id: int) -> Anime:
    anime = Anime.objects.filter(pk=anime_id).first()
    if anime is None:
        raise HttpError(404, NO_ANIME.format(id=anime_id))
    return anime


def _refusal(error: ValidationError) -> tuple[int, str]:
    """The status and sentence for a refused write."""
    detail = " ".join(error.messages)
    for kind, status in (
        (pairs.PairForbidden, 403),
        (pairs.PairNotFound, 404),
        (pairs.PairConflict, 409),
    ):
        if isinstance(error, kind):
            return status, detail
    return 400, detail


def _rate_limited(error: pairs.PairRateLimited) -> JsonResponse:
    detail = " ".join(error.messages)
    return JsonResponse({"detail": detail}, status=429, headers={"Retry-After": str(error.seconds)})


@router.get(
    "/anime/{int:anime_id}/pairs",
    response={200: list[PairOut], 404: ErrorOut},
    summary="Readers' and reviews' recommendations for an anime",
)
def anime_pairs_get(
    request: HttpRequest,
    anime_id: int = ANIME_ID,
    limit: int = Query(50, ge=1, le=MAX_LISTED, description="Most recommendations to return."),
):
    """Approved recommendations pairing this anime with another, most agreed first, then
    newest: each with both anime, the pitch, who recommends it and how many agree."""
    anime = _anime(anime_id)
    rows = anime_pairs(anime=anime, viewer=AnonymousUser())[:limit]
    return [PairOut.of(request, pair, pair.agreement_count) for pair in rows]


@router.post(
    "/anime/{int:anime_id}/pairs",
    auth=django_auth,
    response={
        200: PairSubmittedOut,
        201: PairSubmittedOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        429: ErrorOut,
    },
    summary="Recommend an anime to fans of this one",
)
def anime_pairs_post(request: HttpRequest, payload: PairIn, anime_id: int = ANIME_ID):
    """Recommend ``other_id`` to fans of this anime, as the signed-in reader; the pair is
    unordered, one per reader: posting it again (either way round) edits the pitch (200).
    401 without a session; 403 without the CSRF token, for a banned account, or for a pair a
    moderator took down; 404 when either anime is unknown; 400 says why the input was refused
    (the same anime twice, a pitch too short or too long); 409 when the same pair is posted
    twice at once; 429 (with ``Retry-After``) when recommending too fast. A held pair is
    ``pending``: only its author and moderators see it."""
    anime = _anime(anime_id)
    if len(payload.pitch) > PITCH_MAX_LENGTH:  # before cleaning, as the schema counts
        return Status(400, {"detail": pairs.TOO_LONG.format(length=len(payload.pitch))})
    other = _anime(payload.other_id)
    try:
        submitted = pairs.pair_submit(
            anime=anime, other=other, user=request.user, pitch=payload.pitch, ip=client_ip(request)
        )
    except pairs.PairRateLimited as error:
        return _rate_limited(error)
    except ValidationError as error:
        status, detail = _refusal(error)
        return Status(status, {"detail": detail})
    pair = AnimePair.objects.select_related("anime_a", "anime_b", "user").get(pk=submitted.pair.pk)
    body = {
        "status": pair.status,
        "message": submitted.message,
        "pair": PairOut.of(request, pair, pair.agreements.count()),
    }
    return Status(201 if submitted.created else 200, body)


def _shown_pair(pair_id: int) -> AnimePair:
    pair = AnimePair.objects.shown().filter(pk=pair_id).first()
    if pair is None:
        raise HttpError(404, NO_PAIR.format(id=pair_id))
    return pair


def _agreement(pair: AnimePair, user) -> AgreementOut:
    agreed = pair.agreements.filter(user=user).exists()
    return AgreementOut(agreed=agreed, agreements=pair.agreements.count())


AGREEMENT_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get(
    "/pairs/{int:pair_id}/agreement",
    auth=django_auth,
    response={200: AgreementOut, 401: ErrorOut, 404: ErrorOut},
    summary="Whether you agree with a recommendation",
)
def pair_agreement_get(request: HttpRequest, pair_id: int = PAIR_ID):
    """401 without a session; 404 for a recommendation not shown to everyone."""
    return _agreement(_shown_pair(pair_id), request.user)


@router.post(
    "/pairs/{int:pair_id}/agreement",
    auth=django_auth,
    response={201: AgreementOut, 409: ErrorOut, **AGREEMENT_ERRORS},
    summary="Agree with a recommendation",
)
def pair_agreement_post(request: HttpRequest, pair_id: int = PAIR_ID):
    """One agreement per reader. 401 without a session; 403 without the CSRF token, for a
    banned account or one's own recommendation; 404 for a recommendation not shown to
    everyone; 409 when you already agree, or recommend the same two anime yourself."""
    pair = _shown_pair(pair_id)
    try:
        pairs.pair_agree(pair=pair, user=request.user)
    except ValidationError as error:
        status, detail = _refusal(error)
        return Status(status, {"detail": detail})
    return Status(201, _agreement(pair, request.user))


@router.delete(
    "/pairs/{int:pair_id}/agreement",
    auth=django_auth,
    response={200: AgreementOut, **AGREEMENT_ERRORS},
    summary="Withdraw your agreement",
)
def pair_agreement_delete(request: HttpRequest, pair_id: int = PAIR_ID):
    """Withdraw your agreement (200 whether or not there was one). 401 without a session; 403
    without the CSRF token; 404 for a recommendation not shown to everyone."""
    pair = _shown_pair(pair_id)
    pairs.pair_withdraw(pair=pair, user=request.user)
    return _agreement(pair, request.user)
