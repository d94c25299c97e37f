"""Author corrections to the catalog: stored apart from imported values, shown over them.

Rules this enforces:

* A corrected scalar goes into ``Anime.local_overrides``; the column then holds the effective
  value (``apply_values()``). Resetting a field drops the override and the imported value returns.
* Tags, studios/producers and titles an author adds are rows with origin ``local``; an imported
  one the author hides gets a ``hidden`` row with the same ``MASK_KEY``, which ``.shown()``
  leaves out. Hiding a local row deletes it; restoring deletes the ``hidden`` row.
* Staff credits and characters exist only as author rows (origin ``local``).
* The importer replaces only ``imported`` rows and the ``imported`` JSON, so every correction
  survives a re-import. Each one is logged as a :class:`~kansou.catalog.models.Correction`.
* Invalid input raises ``ValidationError`` naming the field, and nothing is written.

The module runs past the ~400-line guide on purpose: the services share the text checks, the
hide/restore rule and the log, and one home for "what an author may change" reads best whole.
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from kansou.catalog.models import (
    SCALAR_FIELDS,
    Anime,
    AnimeCompany,
    AnimeTag,
    AnimeTitle,
    AnimeType,
    Character,
    Company,
    Correction,
    Origin,
    Person,
    Season,
    StaffCredit,
    Status,
    Tag,
)
from kansou.catalog.text import guess_language, normalize_title
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


# --- scalar fields ------------------------------------------------------------------------


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


# --- tags ----------------------------------------------------------------------------------


@transaction.atomic
def anime_tag_add(*, anime: Anime, name: str, by=None) -> AnimeTag:
    """Show tag ``name`` on the entry (created when new): restore it if hidden, else add it locally.

    A tag the entry already shows is refused.
    """
    name = _field("name", name, limit=100).lower()
    tag = Tag.objects.filter(name__iexact=name).first()
    if tag and anime.anime_tags.shown().filter(tag=tag).exists():
        raise ValidationError({"name": ERROR_ALREADY_SHOWN})
    if tag is None:
        tag = Tag.objects.create(name=name, slug=slugify(name, allow_unicode=True) or "-")
    anime.anime_tags.filter(tag=tag, origin=Origin.HIDDEN).delete()
    row = anime.anime_tags.filter(tag=tag, origin=Origin.IMPORTED).first()
    if row is None:
        row = AnimeTag.objects.create(anime=anime, tag=tag, origin=Origin.LOCAL)
    _log(anime, "tag", "add", None, tag.name, by)
    return row


@transaction.atomic
def anime_tag_hide(*, anime: Anime, tag: Tag, by=None) -> None:
    """Stop showing ``tag``: a local tag is deleted, an imported one masked by a hidden row.

    The hidden row outlives re-imports, so the tag stays hidden while upstream keeps it.
    """
    rows = anime.anime_tags.filter(tag=tag)
    if not rows.shown().exists():
        raise ValidationError({"tag": ERROR_NOT_LISTED})
    rows.filter(origin=Origin.LOCAL).delete()
    if rows.filter(origin=Origin.IMPORTED).exists():
        AnimeTag.objects.get_or_create(anime=anime, tag=tag, origin=Origin.HIDDEN)
    _log(anime, "tag", "hide", tag.name, None, by)


@transaction.atomic
def anime_tag_restore(*, anime: Anime, tag: Tag, by=None) -> None:
    """Show a hidden imported tag again (removes the hidden row)."""
    deleted, _ = anime.anime_tags.filter(tag=tag, origin=Origin.HIDDEN).delete()
    if not deleted:
        raise ValidationError({"tag": ERROR_NOT_HIDDEN})
    _log(anime, "tag", "restore", None, tag.name, by)


# --- studios and producers -----------------------------------------------------------------


@transaction.atomic
def anime_company_add(*, anime: Anime, name: str, role: str, by=None) -> AnimeCompany:
    """Credit company ``name`` (created when new) as studio or producer, as a local row.

    A hidden imported credit of the company is shown again; one already shown is refused.
    """
    name = _field("name", name, limit=200)
    if role not in AnimeCompany.Role.values:
        raise ValidationError({"role": ERROR_CHOICE.format(choices=", ".join(AnimeCompany.Role))})
    company = Company.objects.filter(name__iexact=name).first()
    if company and anime.anime_companies.shown().filter(company=company, role=role).exists():
        raise ValidationError({"name": ERROR_ALREADY_SHOWN})
    if company is None:
        company = Company.objects.create(name=name, slug=slugify(name, allow_unicode=True) or "-")
    anime.anime_companies.filter(company=company, origin=Origin.HIDDEN).delete()
    row = anime.anime_companies.filter(company=company, role=role, origin=Origin.IMPORTED).first()
    if row is None:
        row = AnimeCompany.objects.create(
            anime=anime, company=company, role=role, origin=Origin.LOCAL
        )
    _log(anime, role, "add", None, company.name, by)
    return row


@transaction.atomic
def anime_company_hide(*, anime: Anime, company: Company, by=None) -> None:
    """Stop showing ``company``: local credits are deleted, imported ones masked by a hidden row.

    The mask key is the company, so a hidden company is hidden in every role.
    """
    rows = anime.anime_companies.filter(company=company)
    shown = list(rows.shown())
    if not shown:
        raise ValidationError({"company": ERROR_NOT_LISTED})
    rows.filter(origin=Origin.LOCAL).delete()
    imported = rows.filter(origin=Origin.IMPORTED).first()
    if imported:
        AnimeCompany.objects.get_or_create(
            anime=anime, company=company, role=imported.role, origin=Origin.HIDDEN
        )
    _log(anime, shown[0].role, "hide", company.name, None, by)


@transaction.atomic
def anime_company_restore(*, anime: Anime, company: Company, by=None) -> None:
    """Show a hidden imported company again (removes its hidden rows)."""
    deleted, _ = anime.anime_companies.filter(company=company, origin=Origin.HIDDEN).delete()
    if not deleted:
        raise ValidationError({"company": ERROR_NOT_HIDDEN})
    _log(anime, "company", "restore", None, company.name, by)


# --- staff ---------------------------------------------------------------------------------


@transaction.atomic
def anime_staff_add(
    *, anime: Anime, person_name: str, role: str, person_native_name: str = "", by=None
) -> StaffCredit:
    """Credit a person (found by name, or created) with ``role``, last in order, as local."""
    person = _person(person_name, person_native_name)
    role = _field("role", role, limit=100)
    position = (anime.staff.aggregate(top=Max("position"))["top"] or 0) + 1
    credit = StaffCredit(
        anime=anime, person=person, role=role, position=position, origin=Origin.LOCAL
    )
    credit.full_clean()
    credit.save()
    _log(anime, "staff", "add", None, f"{person.name}: {role}", by)
    return credit


@transaction.atomic
def anime_staff_edit(
    *, credit: StaffCredit, person_name: str, role: str, person_native_name: str = "", by=None
) -> StaffCredit:
    """Change who a credit names and in which role (the person is found by name or created)."""
    old = f"{credit.person.name}: {credit.role}"
    credit.person = _person(person_name, person_native_name)
    credit.role = _field("role", role, limit=100)
    credit.full_clean()
    credit.save()
    _log(credit.anime, "staff", "edit", old, f"{credit.person.name}: {credit.role}", by)
    return credit


@transaction.atomic
def anime_staff_remove(*, credit: StaffCredit, by=None) -> None:
    """Delete a staff credit (the person stays in the catalog)."""
    _log(credit.anime, "staff", "remove", f"{credit.person.name}: {credit.role}", None, by)
    credit.delete()


def _person(name: str, native_name: str) -> Person:
    name = _field("person_name", name, limit=200)
    native_name = _field("person_native_name", native_name, limit=200, blank=True)
    person = Person.objects.filter(name__iexact=name).first()
    if person is None:
        person = Person.objects.create(name=name, native_name=native_name)
    elif native_name and not person.native_name:
        person.native_name = native_name
        person.save(update_fields=["native_name"])
    return person


# --- characters ----------------------------------------------------------------------------


@transaction.atomic
def anime_character_add(
    *,
    anime: Anime,
    name: str,
    native_name: str = "",
    role: str = Character.Role.MAIN,
    description: str = "",
    by=None,
) -> Character:
    """Add a character (local row), last in order."""
    position = (anime.characters.aggregate(top=Max("position"))["top"] or 0) + 1
    character = Character(anime=anime, position=position, origin=Origin.LOCAL)
    _fill_character(character, name, native_name, role, description)
    character.save()
    _log(anime, "character", "add", None, character.name, by)
    return character


@transaction.atomic
def anime_character_edit(
    *,
    character: Character,
    name: str,
    native_name: str = "",
    role: str = Character.Role.MAIN,
    description: str = "",
    by=None,
) -> Character:
    """Replace a character's name, native name, role and description."""
    old = character.name
    _fill_character(character, name, native_name, role, description)
    character.save()
    _log(character.anime, "character", "edit", old, character.name, by)
    return character


@transaction.atomic
def anime_character_remove(*, character: Character, by=None) -> None:
    """Delete a character."""
    _log(character.anime, "character", "remove", character.name, None, by)
    character.delete()


def _fill_character(character: Character, name, native_name, role, description) -> None:
    errors = {}
    try:
        character.name = _field("name", name, limit=200)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if role not in Character.Role.values:
        errors["role"] = [ERROR_CHOICE.format(choices=", ".join(Character.Role.values))]
    if errors:
        raise ValidationError(errors)
    character.native_name = _field("native_name", native_name, limit=200, blank=True)
    character.role = role
    character.description = _field("description", description, limit=5000, blank=True)
    character.full_clean()


# --- titles --------------------------------------------------------------------------------


@transaction.atomic
def anime_title_add(
    *, anime: Anime, text: str, kind: str, language: str = "", by=None
) -> AnimeTitle:
    """Add a title (local row) that title search finds; a hidden one with the same key returns.

    ``language`` defaults to what the script implies; a title the entry shows is refused.
    """
    text = _field("text", text, limit=500)
    if kind not in AnimeTitle.Kind.values:
        raise ValidationError({"kind": ERROR_CHOICE.format(choices=", ".join(AnimeTitle.Kind))})
    language = _field("language", language, limit=16, blank=True)
    if language and not _LANGUAGE.match(language):
        raise ValidationError({"language": ERROR_LANGUAGE})
    key = normalize_title(text)
    if not key:
        raise ValidationError({"text": ERROR_BLANK})
    if anime.titles.shown().filter(normalized=key).exists():
        raise ValidationError({"text": ERROR_ALREADY_SHOWN})
    anime.titles.filter(normalized=key, origin=Origin.HIDDEN).delete()
    row = anime.titles.shown().filter(normalized=key).first()
    if row is None:
        row = AnimeTitle.objects.create(
            anime=anime,
            text=text,
            normalized=key,
            kind=kind,
            language=language or guess_language(text),
            origin=Origin.LOCAL,
        )
    _log(anime, "title", "add", None, text, by)
    return row


@transaction.atomic
def anime_title_hide(*, anime: Anime, title: AnimeTitle, by=None) -> None:
    """Stop showing a title: a local one is deleted, an imported one masked by a hidden row.

    The title the entry shows as its name cannot be hidden.
    """
    if title.anime_id != anime.pk:
        raise ValidationError({"title": ERROR_OTHER_ENTRY})
    if title.normalized == normalize_title(anime.title):
        raise ValidationError({"title": ERROR_MAIN_TITLE})
    rows = anime.titles.filter(normalized=title.normalized)
    if not rows.shown().exists():
        raise ValidationError({"title": ERROR_NOT_LISTED})
    rows.filter(origin=Origin.LOCAL).delete()
    if rows.filter(origin=Origin.IMPORTED).exists():
        AnimeTitle.objects.get_or_create(
            anime=anime,
            normalized=title.normalized,
            origin=Origin.HIDDEN,
            defaults={"text": title.text, "kind": title.kind, "language": title.language},
        )
    _log(anime, "title", "hide", title.text, None, by)


@transaction.atomic
def anime_title_restore(*, anime: Anime, title: AnimeTitle, by=None) -> None:
    """Show a hidden imported title again (removes the hidden row with its key)."""
    deleted, _ = anime.titles.filter(normalized=title.normalized, origin=Origin.HIDDEN).delete()
    if not deleted:
        raise ValidationError({"title": ERROR_NOT_HIDDEN})
    _log(anime, "title", "restore", None, title.text, by)


# --- shared --------------------------------------------------------------------------------


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
