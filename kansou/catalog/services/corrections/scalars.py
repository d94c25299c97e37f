"""Corrected scalar fields: stored in ``Anime.local_overrides``, shown over the import."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kansou.catalog.models import (
    Anime,
    AnimeTitle,
    Origin,
)
from kansou.catalog.services.corrections.rules import (
    _CHOICES,
    _RANGES,
    _URL_FIELDS,
    CORRECTABLE_FIELDS,
    ERROR_CHOICE,
    ERROR_NOT_CORRECTABLE,
    ERROR_NOT_OVERRIDDEN,
    ERROR_NUMBER,
    ERROR_RANGE,
    ERROR_URL,
    ERROR_WHOLE_NUMBER,
    _log,
    _text,
    _url,
)
from kansou.catalog.text import guess_language, normalize_title


@transaction.atomic
def anime_correct(*, anime: Anime, values: dict[str, Any], by=None) -> Anime:
    """Store ``values`` as local corrections that win over the import, and show them.

    Only ``CORRECTABLE_FIELDS`` may be corrected. A value of ``None`` or ``""`` means "no
    correction": that field's override is dropped and its imported value shown again. Every
    value is checked first; one bad value raises a ``ValidationError`` keyed by its field and
    nothing is written. A corrected title is also added as a local ``main`` title so the title
    search finds the entry by it.
    """
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for field, value in values.items():
        try:
            cleaned[field] = _clean_scalar(field, value)
        except ValidationError as exc:
            errors[field] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    before = dict(anime.local_overrides)
    overrides = dict(before)
    for field, value in cleaned.items():
        if value is None:
            overrides.pop(field, None)
        else:
            overrides[field] = value
    _save_overrides(anime, overrides, fields=list(cleaned))
    for field in cleaned:
        if before.get(field) != overrides.get(field):
            _log(
                anime,
                field,
                "set" if field in overrides else "reset",
                before.get(field),
                overrides.get(field),
                by,
            )
    if before.get("title") != overrides.get("title"):
        _sync_title_row(anime, old=before.get("title"), new=overrides.get("title"))
    return anime


@transaction.atomic
def anime_reset_field(*, anime: Anime, field: str, by=None) -> Anime:
    """Drop the local correction of ``field``: the imported value is shown again."""
    if field not in CORRECTABLE_FIELDS:
        raise ValidationError({field: ERROR_NOT_CORRECTABLE})
    if field not in anime.local_overrides:
        raise ValidationError({field: ERROR_NOT_OVERRIDDEN})
    return anime_correct(anime=anime, values={field: None}, by=by)


def _clean_scalar(field: str, value: Any) -> Any:
    """The value to store for ``field``, ``None`` for "no correction"; raises when invalid."""
    if field not in CORRECTABLE_FIELDS:
        raise ValidationError(ERROR_NOT_CORRECTABLE)
    if value is None or value == "":
        return None
    if field in _CHOICES:
        if value not in _CHOICES[field].values:
            raise ValidationError(ERROR_CHOICE.format(choices=", ".join(_CHOICES[field].values)))
        return value
    if field in _RANGES or field == "score":
        return _clean_number(field, value)
    text = _text(value, limit=500)
    if field in _URL_FIELDS:
        try:
            _url(text)
        except ValidationError:
            raise ValidationError(ERROR_URL) from None
    return text


def _clean_number(field: str, value: Any) -> int | float:
    if field == "score":
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise ValidationError(ERROR_NUMBER)
        low, high, value = 1, 10, float(value)
    else:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(ERROR_WHOLE_NUMBER)
        low, high = _RANGES[field]
    if not low <= value <= high:
        raise ValidationError(ERROR_RANGE.format(low=low, high=high))
    return value


def _save_overrides(anime: Anime, overrides: dict, *, fields: list[str]) -> None:
    """Apply ``overrides`` and save; untouched fields keep whatever the import validated."""
    previous = anime.local_overrides
    anime.local_overrides = overrides
    for field in fields:
        if field not in overrides and field not in anime.imported:
            setattr(anime, field, Anime._meta.get_field(field).get_default())
    anime.apply_values()
    untouched = [f.name for f in Anime._meta.fields if f.name not in fields]
    try:
        anime.full_clean(exclude=[*untouched, "local_overrides"])
    except ValidationError:
        anime.local_overrides = previous
        anime.apply_values()
        raise
    anime.save()


def _sync_title_row(anime: Anime, *, old: str | None, new: str | None) -> None:
    if old:
        anime.titles.filter(
            origin=Origin.LOCAL, kind=AnimeTitle.Kind.MAIN, normalized=normalize_title(old)
        ).delete()
    if new:
        key = normalize_title(new)
        anime.titles.filter(origin=Origin.HIDDEN, normalized=key).delete()
        if anime.titles.filter(normalized=key).exists():
            return
        AnimeTitle.objects.create(
            anime=anime,
            text=new,
            normalized=key,
            kind=AnimeTitle.Kind.MAIN,
            language=guess_language(new),
            origin=Origin.LOCAL,
        )
