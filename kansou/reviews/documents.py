"""Review files ↔ reviews: resolve a ``ReviewDocument``'s references and save it; write one back.

References: an anime (``anime``, ``comparable``) is a source URL (``https://myanimelist.net/
anime/28851``), a catalog id (``#133``) or a title in any language, looked up with
``anime_find``. A title must match one entry clearly: no match of at least ``MATCH_THRESHOLD``,
or several within ``AMBIGUITY_MARGIN`` of the best, is an error that lists the candidates with
their ids. Authors are usernames; a username not yet known becomes an *inactive* user without a
password or permissions (a byline only), and the import reports it, so a typo shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from kansou.catalog.models import Anime, Character
from kansou.catalog.selectors import AnimeMatch, anime_find
from kansou.reviews import frontmatter
from kansou.reviews.frontmatter import FormatError, ReviewDocument
from kansou.reviews.models import Review
from kansou.reviews.services import (
    AudienceInput,
    CharacterInput,
    ReviewInput,
    SectionInput,
    ThemeInput,
    review_save,
)

MATCH_THRESHOLD = 90.0
AMBIGUITY_MARGIN = 3.0
CANDIDATES_SHOWN = 5
_ID_RE = re.compile(r"#(\d+)(?:\s.*)?")  # "#133", or "#133 Koe no Katachi" as a reminder


class AnimeReferenceError(ValueError):
    """An anime reference that names no entry, or several; ``candidates`` are the near misses."""

    def __init__(self, message: str, candidates: list[AnimeMatch] = ()):
        self.candidates = list(candidates)
        listed = "; ".join(
            f"#{m.anime.pk} {m.anime.title} ({m.anime.get_kind_display()}"
            f"{', ' + str(m.anime.year) if m.anime.year else ''})"
            for m in self.candidates
        )
        super().__init__(f"{message}. Candidates: {listed}" if listed else message)


def anime_reference(anime: Anime) -> str:
    """How a file names ``anime``: its first source URL, else its catalog id."""
    source = anime.external_ids.order_by("site", "url").first()
    return source.url if source else f"#{anime.pk}"


def anime_resolve(*, reference: str) -> Anime:
    """The one anime ``reference`` names (see the module docstring)."""
    reference = reference.strip()
    if match := _ID_RE.fullmatch(reference):
        anime = Anime.objects.filter(pk=int(match.group(1))).first()
        if anime is None:
            raise AnimeReferenceError(f"no anime with id #{match.group(1)}")
        return anime
    if reference.startswith(("http://", "https://")):
        urls = {reference, reference.rstrip("/"), reference.rstrip("/") + "/"}
        anime = Anime.objects.filter(external_ids__url__in=urls).first()
        if anime is None:
            raise AnimeReferenceError(f"no anime has the source {reference}")
        return anime
    matches = anime_find(query=reference, limit=CANDIDATES_SHOWN * 2)
    best = matches[0].similarity if matches else 0.0
    if best < MATCH_THRESHOLD:
        raise AnimeReferenceError(
            f"no anime in the catalog is called {reference!r}", matches[:CANDIDATES_SHOWN]
        )
    close = [m for m in matches if m.similarity >= best - AMBIGUITY_MARGIN]
    if len(close) > 1:
        raise AnimeReferenceError(
            f"{reference!r} could be several anime; name one by source URL or #id",
            close[:CANDIDATES_SHOWN],
        )
    return close[0].anime


def _author(username: str, created: list[str]):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, is_active=False)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        created.append(username)
    return user


def _catalog_character(anime: Anime | None, name: str) -> Character | None:
    if anime is None:
        return None
    return anime.characters.filter(name__iexact=name.strip()).first()


@dataclass
class ImportResult:
    review: Review
    action: str  # "created", "updated" or "unchanged"
    new_authors: list[str] = field(default_factory=list)


def review_input(*, doc: ReviewDocument, source: str = "<text>") -> tuple[ReviewInput, list[str]]:
    """``doc`` with references resolved, and the usernames created on the way.

    Raises ``FormatError`` at the line of the reference that does not resolve, or of the
    author whose name is not a valid username.
    """

    def resolve(path: str, reference: str) -> Anime:
        try:
            return anime_resolve(reference=reference)
        except AnimeReferenceError as exc:
            raise FormatError(str(exc), source=source, line=doc.line_of(path), field=path) from None

    def author(index: int, username: str):
        try:
            return _author(username, created)
        except ValidationError as exc:  # a name Django refuses as a username
            path, why = f"authors.{index}", " ".join(exc.messages)
            message = f"{username!r} is not a valid username: {why}"
            raise FormatError(message, source=source, line=doc.line_of(path), field=path) from None

    anime = resolve("anime", doc.anime) if doc.anime else None
    created: list[str] = []
    data = ReviewInput(
        title=doc.title, slug=doc.slug, anime=anime,
        authors=[author(index, name) for index, name in enumerate(doc.authors)],
        status=doc.status, publish_at=doc.publish_at, score=doc.score, labels=doc.labels,
        summary=doc.summary, intro_md=doc.intro, final_thoughts_md=doc.final_thoughts,
        audience=[
            AudienceInput(a.name, a.why, [resolve(f"audience.{i}.comparable.{j}", ref)
                                          for j, ref in enumerate(a.comparable)])
            for i, a in enumerate(doc.audience)
        ],
        characters=[CharacterInput(c.name, c.text, _catalog_character(anime, c.name))
                    for c in doc.characters],
        themes=[ThemeInput(t.name, t.text) for t in doc.themes],
        sections=[SectionInput(s.heading, s.body) for s in doc.sections],
    )  # fmt: skip
    return data, created


def review_document(*, review: Review) -> ReviewDocument:
    """The file form of a saved review."""
    return ReviewDocument(
        title=review.title, slug=review.slug,
        anime=anime_reference(review.anime) if review.anime else None,
        authors=[user.get_username() for user in review.ordered_authors()],
        status=review.status, publish_at=review.publish_at, score=review.score,
        labels=[label.name for label in review.labels.order_by("name")],
        summary=review.summary, intro=review.intro_md, final_thoughts=review.final_thoughts_md,
        audience=[
            frontmatter.Audience(p.name, p.why_md, [
                anime_reference(c.anime) for c in p.comparable_titles.select_related("anime")
            ])
            for p in review.audience.all()
        ],
        characters=[frontmatter.Character(c.name, c.text_md) for c in review.characters.all()],
        themes=[frontmatter.Theme(t.name, t.text_md) for t in review.themes.all()],
        sections=[frontmatter.Section(s.heading, s.body_md) for s in review.sections.all()],
    )  # fmt: skip


@transaction.atomic
def review_import_text(*, text: str, source: str = "<text>") -> ImportResult:
    """Create or update the review a file describes, keyed by its slug.

    Importing the same file twice changes nothing the second time (``unchanged``). Raises
    ``FormatError`` naming the source, line and field, and then writes nothing.
    """
    doc = frontmatter.parse(text, source=source)
    data, created = review_input(doc=doc, source=source)
    review = Review.objects.filter(slug=doc.slug).first()
    if review is not None and doc.publish_at is None and review.publish_at is not None:
        # A file without a time keeps the time the review already has (re-imports don't re-date).
        doc.publish_at = data.publish_at = review.publish_at
    if review is not None and review_document(review=review) == _normalised(doc, data):
        return ImportResult(review, "unchanged", created)
    action = "updated" if review else "created"
    try:
        review = review_save(data=data, review=review)
    except ValidationError as exc:
        path, message = _first_error(exc)
        raise FormatError(message, source=source, line=doc.line_of(path), field=path) from None
    return ImportResult(review, action, created)


def _normalised(doc: ReviewDocument, data: ReviewInput) -> ReviewDocument:
    """``doc`` as ``review_document`` would write it back once saved."""
    return ReviewDocument(
        title=doc.title, slug=doc.slug,
        anime=anime_reference(data.anime) if data.anime else None,
        authors=list(dict.fromkeys(doc.authors)), status=doc.status,
        publish_at=doc.publish_at, score=doc.score, labels=sorted(set(doc.labels)),
        summary=doc.summary, intro=doc.intro, final_thoughts=doc.final_thoughts,
        audience=[
            frontmatter.Audience(a.name, a.why_md,
                                 list(dict.fromkeys(anime_reference(x) for x in a.comparable)))
            for a in data.audience
        ],
        characters=doc.characters, themes=doc.themes, sections=doc.sections,
    )  # fmt: skip


_FIELD_NAMES = {"intro_md": "intro", "final_thoughts_md": "final_thoughts", "__all__": ""}


def _first_error(exc: ValidationError) -> tuple[str, str]:
    if hasattr(exc, "error_dict"):
        name, errors = next(iter(exc.error_dict.items()))
        return _FIELD_NAMES.get(name, name), "; ".join(e for error in errors for e in error)
    return "", "; ".join(exc.messages)


def review_import_path(*, path: Path) -> ImportResult:
    return review_import_text(text=path.read_text(encoding="utf-8"), source=str(path))


def review_files(paths: list[Path]) -> list[Path]:
    """The ``.md`` files among ``paths``, folders searched recursively, in a stable order."""
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    return list(dict.fromkeys(found))


def review_export(*, review: Review, directory: Path) -> Path:
    """Write ``review`` to ``<directory>/<slug>.md``; returns the file's path."""
    target = directory / f"{review.slug}.md"
    target.write_text(frontmatter.dump(review_document(review=review)), encoding="utf-8")
    return target
