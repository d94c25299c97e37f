"""What a search asks for: ``SearchFilters`` (validated input) and ``parse_query`` (plain words).

A query is folded into plain words (case, accents and punctuation dropped), so quotes, ``AND``,
``NEAR`` or ``*`` are just text and nothing a user types reaches the database as query syntax.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kansou.catalog.filters import YEAR_MAX, YEAR_MIN
from kansou.catalog.models import AnimeType
from kansou.catalog.text import normalize_title

MAX_TERMS = 12
STOP_WORDS = frozenset(
    "a about an and are as at be but by for from has have in into is it its of on or that the"
    " their then there these this to was were will with".split()
    # Romaji particles: in titles ("Koe no Katachi") they match half the catalog.
    + "no wa ga wo ni de".split()
    # What is left of possessives and contractions once apostrophes go ("heaven's", "don't").
    + ["s", "t"]
)
TYPE_WORDS = dict.fromkeys(["film", "films", "movie", "movies"], AnimeType.MOVIE) | {
    "series": AnimeType.TV, "tv": AnimeType.TV, "ova": AnimeType.OVA, "ona": AnimeType.ONA,
    "special": AnimeType.SPECIAL,
}  # fmt: skip


class SearchFilters(BaseModel):
    """What a search asks for; every field optional."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    q: str = Field("", max_length=200, description="Titles in any language, words or themes.")
    type: list[AnimeType] = Field(default_factory=list, description="Anime types (repeatable).")
    year_from: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="First year.")
    year_to: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="Last year.")
    tag: str = Field("", max_length=120, pattern=r"^[\w-]*$", description="Tag slug.")

    @field_validator("year_from", "year_to", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("type", mode="before")
    @classmethod
    def _types_upper(cls, value):
        if isinstance(value, str):
            value = [value]
        return [v.strip().upper() for v in value if isinstance(v, str) and v.strip()]

    @field_validator("q", "tag", mode="before")
    @classmethod
    def _strip(cls, value):
        return value.strip() if isinstance(value, str) else value


@dataclass(frozen=True)
class ParsedQuery:
    """``text``: the folded query; ``terms``: the words full-text search must find (stop words
    dropped unless nothing else is left); ``types``: anime types the words name."""

    text: str
    terms: tuple[str, ...]
    types: frozenset[str] = frozenset()


def parse_query(q: str) -> ParsedQuery:
    """Fold a query into plain words.

    >>> parse_query('"Quiet" film about grief AND drawing*')
    ParsedQuery(text='quiet film about grief and drawing', terms=('quiet', 'film', 'grief', \
'drawing'), types=frozenset({'MOVIE'}))
    """
    text = normalize_title(q)
    words = list(dict.fromkeys(text.split()))
    terms = [word for word in words if word not in STOP_WORDS] or words
    types = frozenset(TYPE_WORDS[word].value for word in words if word in TYPE_WORDS)
    return ParsedQuery(text, tuple(terms[:MAX_TERMS]), types)
