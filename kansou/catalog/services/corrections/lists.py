"""Tags, studios and producers, and titles an author adds, hides or restores."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from kansou.catalog.models import (
    Anime,
    AnimeCompany,
    AnimeTag,
    AnimeTitle,
    Company,
    Origin,
    Tag,
)
from kansou.catalog.services.corrections.rules import (
    _LANGUAGE,
    ERROR_ALREADY_SHOWN,
    ERROR_BLANK,
    ERROR_CHOICE,
    ERROR_LANGUAGE,
    ERROR_MAIN_TITLE,
    ERROR_NOT_HIDDEN,
    ERROR_NOT_LISTED,
    ERROR_OTHER_ENTRY,
    _field,
    _log,
)
from kansou.catalog.text import guess_language, normalize_title


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
