"""What an author may change and how a value is checked: the correctable fields, the error
messages, the text checks, and the log every correction writes.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from kansou.catalog.models import (
    SCALAR_FIELDS,
    Anime,
    AnimeType,
    Correction,
    Season,
    Status,
)
from kansou.core.changes import anime_changed

# Every scalar an import sets, except the synopsis (imported text that is never shipped).
CORRECTABLE_FIELDS = tuple(field for field in SCALAR_FIELDS if field != "synopsis")
STAFF_ROLE_SUGGESTIONS = (
    "Original creator",
    "Director",
    "Series composition",
    "Script",
    "Character design",
    "Music",
    "Animation director",
    "Art director",
    "Sound director",
    "Producer",
)

ERROR_NOT_CORRECTABLE = "This field cannot be corrected locally."
ERROR_NOT_TEXT = "Enter text."
ERROR_BLANK = "This field cannot be blank."
ERROR_TOO_LONG = "Enter at most {limit} characters."
ERROR_CHOICE = "Choose one of: {choices}."
ERROR_WHOLE_NUMBER = "Enter a whole number."
ERROR_RANGE = "Enter a value from {low} to {high}."
ERROR_NUMBER = "Enter a number."
ERROR_URL = "Enter a valid http(s) URL."
ERROR_LANGUAGE = "Enter a BCP 47 language tag such as 'ja', 'en' or 'zh-Hant', or leave it blank."
ERROR_NOT_OVERRIDDEN = "This field has no local correction to reset."
ERROR_ALREADY_SHOWN = "The entry already lists this."
ERROR_NOT_LISTED = "The entry does not list this."
ERROR_NOT_HIDDEN = "This is not hidden on this entry."
ERROR_MAIN_TITLE = "The shown title cannot be hidden; correct the title instead."
ERROR_OTHER_ENTRY = "This row belongs to another entry."

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_url = URLValidator(schemes=["http", "https"])
_CHOICES = {"kind": AnimeType, "status": Status, "season": Season}
_RANGES = {"episodes": (0, 10000), "year": (1907, 2200), "duration_seconds": (1, 86400)}
_URL_FIELDS = {"picture", "thumbnail"}


def _field(name: str, value: Any, *, limit: int, blank: bool = False) -> str:
    try:
        text = _text(value, limit=limit, blank=blank)
    except ValidationError as exc:
        raise ValidationError({name: exc.messages[0]}) from None
    return text


def _text(value: Any, *, limit: int, blank: bool = False) -> str:
    if value is None and blank:
        return ""
    if not isinstance(value, str):
        raise ValidationError(ERROR_NOT_TEXT)
    text = value.strip()
    if not text and not blank:
        raise ValidationError(ERROR_BLANK)
    if len(text) > limit:
        raise ValidationError(ERROR_TOO_LONG.format(limit=limit))
    return text


def _log(anime: Anime, field: str, action: str, old: Any, new: Any, by) -> None:
    user = by if getattr(by, "is_authenticated", False) else None
    Correction.objects.create(anime=anime, field=field, action=action, old=old, new=new, user=user)
    anime_changed([anime.pk])
