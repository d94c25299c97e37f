"""Staff credits and characters: author rows only (origin ``local``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from kansou.catalog.models import (
    Anime,
    Character,
    Origin,
    Person,
    StaffCredit,
)
from kansou.catalog.services.corrections.rules import (
    ERROR_CHOICE,
    _field,
    _log,
)


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
