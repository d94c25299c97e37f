"""Shapes of the catalog API's requests and responses, and the error shape every API operation
answers with. No synopsis: it is third-party text kept for search."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from kansou.catalog.filters import AnimeFilters
from kansou.catalog.models import Anime, ExternalId, Origin
from kansou.catalog.selectors import AnimeDetail, AnimeMatch
from kansou.catalog.text import CONTROL_CHARACTERS

# A text parameter: something besides spaces, and no control characters (``clean_text``'s set),
# refused rather than dropped so the answer names the parameter. Every API's free-text
# parameters use it.
TEXT_PATTERN = rf"^[^{CONTROL_CHARACTERS}]*[^\s{CONTROL_CHARACTERS}][^{CONTROL_CHARACTERS}]*$"
TAG_PATTERN = r"^[\w-]+$"
BLANK = "is empty: leave the parameter out to mean any"


class ErrorOut(Schema):
    """Every error answer of the API (4xx and 5xx): one sentence saying what went wrong."""

    detail: str


class ParamErrorOut(Schema):
    param: str = Field(description="The parameter or body field, dotted: ``items.0.score``.")
    message: str


class ValidationErrorOut(ErrorOut):
    """A 422: ``detail`` names every bad parameter in one sentence; ``errors`` lists them."""

    errors: list[ParamErrorOut]


class StrictQuery:
    """Mixed into a filter model for the API: a parameter given empty (``?year_from=``) or
    blank is refused with a 422 naming it, never read as "not given" (the list page, whose form
    sends every field, keeps reading empty ones as unset). A mixin's validators run before the
    model's own."""

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_blank(cls, value):
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and not v.strip() for v in values):
            raise PydanticCustomError("blank", BLANK)
        return value


class AnimeListQuery(StrictQuery, AnimeFilters):
    """``AnimeFilters`` as the API takes them (see ``StrictQuery``)."""

    q: str = Field(
        "", max_length=200, pattern=TEXT_PATTERN, description="Title search, in any language."
    )
    tag: str = Field("", max_length=120, pattern=TAG_PATTERN, description="Tag slug.")


class SourceOut(Schema):
    site: str
    site_label: str
    external_id: str
    url: str

    @staticmethod
    def of(source: ExternalId) -> SourceOut:
        return SourceOut(
            site=source.site,
            site_label=source.site_label,
            external_id=source.external_id,
            url=source.url,
        )


class AnimeSummaryOut(Schema):
    id: int
    title: str
    type: str
    episodes: int | None
    status: str
    season: str
    year: int | None
    score: float | None
    thumbnail: str
    url: str
    tags: list[str]

    @staticmethod
    def of(anime: Anime) -> AnimeSummaryOut:
        return AnimeSummaryOut(
            id=anime.pk,
            title=anime.title,
            type=anime.kind,
            episodes=anime.episodes or None,
            status=anime.status,
            season=anime.season,
            year=anime.year,
            score=anime.score,
            thumbnail=anime.thumbnail,
            url=anime.get_absolute_url(),
            tags=[row.tag.name for row in anime.shown_tags],
        )


class AnimePageOut(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[AnimeSummaryOut]


class TitleOut(Schema):
    text: str
    kind: str
    language: str
    local: bool


class TagOut(Schema):
    name: str
    slug: str
    local: bool


class CompanyOut(Schema):
    name: str
    local: bool


class StaffOut(Schema):
    role: str
    person: str
    native_name: str
    local: bool


class CharacterOut(Schema):
    name: str
    native_name: str
    role: str
    description: str
    local: bool


class RelationOut(Schema):
    type: str
    anime_id: int | None
    title: str | None
    url: str
    local: bool


class AnimeDetailOut(Schema):
    id: int
    title: str
    type: str
    episodes: int | None
    status: str
    season: str
    year: int | None
    duration_seconds: int | None
    score: float | None
    picture: str
    thumbnail: str
    titles: list[TitleOut]
    tags: list[TagOut]
    studios: list[CompanyOut]
    producers: list[CompanyOut]
    staff: list[StaffOut]
    characters: list[CharacterOut]
    relations: list[RelationOut]
    sources: list[SourceOut]
    local_fields: list[str]

    @staticmethod
    def of(detail: AnimeDetail) -> AnimeDetailOut:
        anime = detail.anime
        return AnimeDetailOut(
            id=anime.pk,
            title=anime.title,
            type=anime.kind,
            episodes=anime.episodes or None,
            status=anime.status,
            season=anime.season,
            year=anime.year,
            duration_seconds=anime.duration_seconds,
            score=anime.score,
            picture=anime.picture,
            thumbnail=anime.thumbnail,
            titles=[
                TitleOut(text=t.text, kind=t.kind, language=t.language, local=_local(t))
                for t in detail.titles
            ],
            tags=[TagOut(name=t.tag.name, slug=t.tag.slug, local=_local(t)) for t in detail.tags],
            studios=[CompanyOut(name=c.company.name, local=_local(c)) for c in detail.studios],
            producers=[CompanyOut(name=c.company.name, local=_local(c)) for c in detail.producers],
            staff=[
                StaffOut(
                    role=s.role,
                    person=s.person.name,
                    native_name=s.person.native_name,
                    local=_local(s),
                )
                for s in detail.staff
            ],
            characters=[
                CharacterOut(
                    name=c.name,
                    native_name=c.native_name,
                    role=c.role,
                    description=c.description,
                    local=_local(c),
                )
                for c in detail.characters
            ],
            relations=[
                RelationOut(
                    type=r.relation_type,
                    anime_id=r.target_id,
                    title=r.target.title if r.target else None,
                    url=r.target_url,
                    local=_local(r),
                )
                for r in detail.relations
            ],
            sources=[SourceOut.of(s) for s in detail.sources],
            local_fields=detail.local_fields,
        )


class LookupOut(Schema):
    id: int
    title: str
    type: str
    year: int | None
    score: float | None
    matched_title: str
    similarity: float
    url: str
    sources: list[SourceOut]

    @staticmethod
    def of(match: AnimeMatch) -> LookupOut:
        anime = match.anime
        return LookupOut(
            id=anime.pk,
            title=anime.title,
            type=anime.kind,
            year=anime.year,
            score=anime.score,
            matched_title=match.matched_title,
            similarity=round(match.similarity, 1),
            url=anime.get_absolute_url(),
            sources=[SourceOut.of(s) for s in anime.external_ids.all()],
        )


def _local(row) -> bool:
    return row.origin == Origin.LOCAL
