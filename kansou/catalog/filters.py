"""The catalog's list filters and sort orders, validated once for the page and the API.

``AnimeFilters`` is a pydantic model: the API takes it as its query schema (so the OpenAPI
document names every parameter and bad values are rejected with the parameter's name), and the
list page reads it from ``request.GET`` with ``filters_from_query``, which drops bad values with a
message instead of failing. ``kansou.catalog.selectors.anime_search`` applies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import F
from django.db.models.functions import Lower
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kansou.catalog.models import AnimeType, Status

YEAR_MIN = 1900
YEAR_MAX = 2100


class Sort(StrEnum):
    RELEVANCE = "relevance"
    SCORE = "score"
    TITLE = "title"
    NEWEST = "newest"
    OLDEST = "oldest"
    EPISODES = "episodes"


SORT_LABELS = {
    Sort.RELEVANCE: "Best title match",
    Sort.SCORE: "Highest score",
    Sort.TITLE: "Title A–Z",
    Sort.NEWEST: "Newest first",
    Sort.OLDEST: "Oldest first",
    Sort.EPISODES: "Most episodes",
}

# Every order ends on the primary key so pages never overlap. Unknown values sort last.
SORT_ORDERS = {
    Sort.SCORE: (F("score").desc(nulls_last=True), Lower("title"), "pk"),
    Sort.TITLE: (Lower("title"), "pk"),
    Sort.NEWEST: (F("year").desc(nulls_last=True), Lower("title"), "pk"),
    Sort.OLDEST: (F("year").asc(nulls_last=True), Lower("title"), "pk"),
    Sort.EPISODES: (F("episodes").desc(), Lower("title"), "pk"),
}

# Shown instead of pydantic's wording when the page ignores a value.
_PROBLEMS = {
    "type": "is not an anime type",
    "year_from": f"is not a year between {YEAR_MIN} and {YEAR_MAX}",
    "year_to": f"is not a year between {YEAR_MIN} and {YEAR_MAX}",
    "status": "is not a status",
    "sort": "is not a sort order",
    "tag": "is not a tag",
    "q": "is too long a search",
    "reviewed": "is not yes or no",
}
_LABELS = {
    "type": "Type",
    "year_from": "From year",
    "year_to": "To year",
    "status": "Status",
    "sort": "Sort",
    "tag": "Tag",
    "q": "Search",
    "reviewed": "Reviewed",
}


class AnimeFilters(BaseModel):
    """What the catalog list is narrowed to and how it is ordered; every field optional."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    type: list[AnimeType] = Field(default_factory=list, description="Anime types (repeatable).")
    year_from: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="First year.")
    year_to: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="Last year.")
    tag: str = Field("", max_length=120, pattern=r"^[\w-]*$", description="Tag slug.")
    status: Status | None = Field(None, description="Airing status.")
    q: str = Field("", max_length=200, description="Title search, in any language.")
    reviewed: bool | None = Field(
        None, description="true: only anime with a published review; false: only those without."
    )
    sort: Sort | None = Field(
        None, description="Order; default: relevance with a search, else score."
    )

    @field_validator("year_from", "year_to", "status", "sort", "reviewed", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("type", mode="before")
    @classmethod
    def _types_upper(cls, value):
        if isinstance(value, str):
            value = [value]
        return [v.strip().upper() for v in value if isinstance(v, str) and v.strip()]

    @field_validator("status", mode="before")
    @classmethod
    def _status_upper(cls, value):
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("q", "tag", mode="before")
    @classmethod
    def _strip(cls, value):
        return value.strip() if isinstance(value, str) else value

    @property
    def effective_sort(self) -> Sort:
        if self.sort == Sort.RELEVANCE and not self.q:
            return Sort.SCORE
        return self.sort or (Sort.RELEVANCE if self.q else Sort.SCORE)

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.type
            or self.year_from
            or self.year_to
            or self.tag
            or self.status
            or self.q
            or self.reviewed is not None
        )


@dataclass(frozen=True)
class FilterProblem:
    param: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"{_LABELS.get(self.param, self.param)} “{self.value}” {self.message}; ignored."


def filters_from_query(query: Mapping) -> tuple[AnimeFilters, list[FilterProblem]]:
    """Read filters from a ``QueryDict``, dropping each invalid value with a problem to show."""
    data = {name: query.get(name, "") for name in AnimeFilters.model_fields if name != "type"}
    getlist = getattr(query, "getlist", None)
    types = getlist("type") if getlist else list(query.get("type", []))
    valid_types = {choice.value for choice in AnimeType}
    problems = [
        FilterProblem("type", value, _PROBLEMS["type"])
        for value in types
        if value.strip() and value.strip().upper() not in valid_types
    ]
    data["type"] = [value for value in types if value.strip().upper() in valid_types]
    try:
        return AnimeFilters.model_validate(data), problems
    except ValidationError as error:
        for param in dict.fromkeys(str(item["loc"][0]) for item in error.errors()):
            problems.append(FilterProblem(param, str(data[param]), _PROBLEMS[param]))
            data[param] = ""
    return AnimeFilters.model_validate(data), problems
