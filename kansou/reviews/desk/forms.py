"""The desk's form: the review's fields and one formset per kind of section row.

References to the catalog are typed as the review files write them (``#133 Koe no Katachi``, a
source URL, or a title that names one anime clearly) and resolved with
``documents.anime_resolve``; the pickers only fill them in, so the form works without JavaScript.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from kansou.catalog.models import Anime
from kansou.reviews.desk.services import review_version, slug_is_automatic
from kansou.reviews.documents import AnimeReferenceError, anime_resolve
from kansou.reviews.models import Review
from kansou.reviews.services import (
    AudienceInput,
    CharacterInput,
    ReviewInput,
    SectionInput,
    ThemeInput,
)

NEEDS_NAME = "Give this row a name, or empty it."
LABEL_LIST_HELP = "Separated by commas."
VERSION_MISSING = "The page's version is missing: reload the page."


def reference_of(anime: Anime | None) -> str:
    """How the form shows a chosen anime: ``#id Title`` (the id decides, the title reminds)."""
    return f"#{anime.pk} {anime.title}" if anime else ""


def _resolve(reference: str) -> Anime:
    try:
        return anime_resolve(reference=reference)
    except AnimeReferenceError as exc:
        raise ValidationError(str(exc)) from None


def anime_or_none(reference: str) -> Anime | None:
    """The anime ``reference`` names, or None when it names none clearly (the form's own
    check reports why)."""
    try:
        return anime_resolve(reference=reference) if reference.strip() else None
    except AnimeReferenceError:
        return None


def _text(rows: int, **attrs) -> forms.Textarea:
    return forms.Textarea(
        attrs={"rows": rows, "data-desk-md": "", "data-image-target": "", **attrs}
    )


class ReviewDeskForm(forms.Form):
    title = forms.CharField(max_length=300)
    slug = forms.SlugField(
        max_length=200, required=False,
        help_text="The review's address, /reviews/<slug>/. Empty: made from the title.",
    )  # fmt: skip
    anime = forms.CharField(
        label="Anime reviewed", required=False, max_length=600,
        help_text="Search the catalog, or type #id, a source URL or a title.",
    )  # fmt: skip
    score = forms.DecimalField(
        required=False, min_value=Decimal(0), max_value=Decimal(10), max_digits=3,
        decimal_places=1, help_text="0–10, optional.",
    )  # fmt: skip
    labels = forms.CharField(required=False, max_length=1000, help_text=LABEL_LIST_HELP)
    summary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two plain-text sentences, shown under the title and in lists.",
    )  # fmt: skip
    intro_md = forms.CharField(label="Introduction, in Markdown", required=False, widget=_text(8))
    final_thoughts_md = forms.CharField(
        label="Final thoughts, in Markdown", required=False, widget=_text(6)
    )
    publish_at = forms.DateTimeField(
        label="Publish at", required=False, input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In the site's time zone (UTC unless set otherwise); for Schedule.",
    )  # fmt: skip
    version = forms.CharField(widget=forms.HiddenInput)

    def clean_anime(self) -> Anime | None:
        reference = self.cleaned_data["anime"].strip()
        return _resolve(reference) if reference else None

    def clean_version(self) -> str:
        version = self.cleaned_data["version"].strip()
        if not version:
            raise ValidationError(VERSION_MISSING)
        return version


class _RowForm(forms.Form):
    """A section row; an empty row (the spare one) is skipped, a row with text needs a name."""

    name_field = "name"
    text_fields: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        name = (data.get(self.name_field) or "").strip()
        values = [data.get(f) or "" for f in self.text_fields]
        filled = any(v.strip() if isinstance(v, str) else v for v in values)
        if filled and not name and not data.get("DELETE"):
            self.add_error(self.name_field, NEEDS_NAME)
        data["skip"] = data.get("DELETE") or not name
        return data


class AudienceForm(_RowForm):
    text_fields = ("why_md", "comparable")
    name = forms.CharField(label="Who", required=False, max_length=200)
    why_md = forms.CharField(label="Why they would like it", required=False, widget=_text(3))
    comparable = forms.CharField(
        label="Comparable titles", required=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-desk-comparable": ""}),
        help_text="One per line: #id, a source URL or a title.",
    )  # fmt: skip

    def clean_comparable(self) -> list[Anime]:
        found, errors = [], []
        for line in self.cleaned_data["comparable"].splitlines():
            if line.strip():
                try:
                    found.append(_resolve(line))
                except ValidationError as exc:
                    errors += exc.messages
        if errors:
            raise ValidationError(errors)
        return found


class CharacterForm(_RowForm):
    text_fields = ("text_md",)
    name = forms.CharField(required=False, max_length=200)
    character = forms.CharField(
        label="Catalog character", required=False,
        widget=forms.Select(attrs={"data-desk-character": ""}),
    )  # fmt: skip
    text_md = forms.CharField(label="Text", required=False, widget=_text(3))

    def __init__(self, *args, characters=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— none —"), *((str(c.pk), c.name) for c in characters)]
        self.fields["character"].widget.choices = choices


class ThemeForm(_RowForm):
    text_fields = ("text_md",)
    name = forms.CharField(required=False, max_length=200)
    text_md = forms.CharField(label="Text", required=False, widget=_text(3))


class SectionForm(_RowForm):
    name_field = "heading"
    text_fields = ("body_md",)
    heading = forms.CharField(required=False, max_length=200)
    body_md = forms.CharField(label="Text", required=False, widget=_text(4))


def _formset(form, max_num: int = 50):
    return forms.formset_factory(form, extra=1, can_delete=True, max_num=max_num,
                                 validate_max=True)  # fmt: skip


PARTS = {
    "audience": _formset(AudienceForm),
    "characters": _formset(CharacterForm),
    "themes": _formset(ThemeForm),
    "sections": _formset(SectionForm),
}


class DeskForms:
    """The page's form and its four formsets, bound to one POST (or to a saved review)."""

    def __init__(self, *, review: Review, data=None, initial: dict | None = None,
                 rows: dict | None = None):  # fmt: skip
        self.review = review
        self.main = ReviewDeskForm(data=data, initial=initial)
        anime = anime_or_none(data.get("anime", "")) if data is not None else review.anime
        characters = list(anime.characters.all()) if anime else []
        self.parts = {
            prefix: formset(
                data=data, prefix=prefix, initial=(rows or {}).get(prefix),
                form_kwargs={"characters": characters} if prefix == "characters" else {},
            )
            for prefix, formset in PARTS.items()
        }  # fmt: skip

    def is_valid(self) -> bool:
        valid = self.main.is_valid()
        return all([valid, *(formset.is_valid() for formset in self.parts.values())])

    def errors_by_field(self) -> dict[str, list[str]]:
        """Every error keyed by the field's HTML name (``audience-0-name``), for the JSON
        answer; form-wide errors under ``__all__``."""
        out: dict[str, list[str]] = {}
        for name, errors in self.main.errors.items():
            out[name] = list(errors)
        for formset in self.parts.values():
            out.setdefault("__all__", []).extend(formset.non_form_errors())
            for form in formset.forms:
                for name, errors in form.errors.items():
                    out[form.add_prefix(name)] = list(errors)
        return {k: v for k, v in out.items() if v}

    def review_input(self) -> ReviewInput:
        """The cleaned data as ``services.ReviewInput`` (byline and status are the service's)."""
        d = self.main.cleaned_data
        rows = {p: [f.cleaned_data for f in fs.forms if f.cleaned_data and not
                    f.cleaned_data.get("skip")] for p, fs in self.parts.items()}  # fmt: skip
        anime = d["anime"]
        characters = {str(c.pk): c for c in anime.characters.all()} if anime else {}
        labels = [name.strip() for name in d["labels"].split(",") if name.strip()]
        return ReviewInput(
            title=d["title"].strip(), slug=d["slug"], authors=[], anime=anime, score=d["score"],
            labels=labels, summary=d["summary"].strip(), intro_md=d["intro_md"],
            final_thoughts_md=d["final_thoughts_md"],
            audience=[AudienceInput(r["name"].strip(), r["why_md"], r["comparable"])
                      for r in rows["audience"]],
            characters=[CharacterInput(r["name"].strip(), r["text_md"],
                                       characters.get(r["character"]))
                        for r in rows["characters"]],
            themes=[ThemeInput(r["name"].strip(), r["text_md"]) for r in rows["themes"]],
            sections=[SectionInput(r["heading"].strip(), r["body_md"]) for r in rows["sections"]],
        )  # fmt: skip


def initial_for(review: Review) -> tuple[dict, dict]:
    """The form's initial values and each formset's rows, from the saved review."""
    main = {
        "title": review.title, "slug": "" if slug_is_automatic(review) else review.slug,
        "anime": reference_of(review.anime), "score": review.score,
        "labels": ", ".join(label.name for label in review.labels.order_by("name")),
        "summary": review.summary, "intro_md": review.intro_md,
        "final_thoughts_md": review.final_thoughts_md, "publish_at": review.publish_at,
        "version": review_version(review),
    }  # fmt: skip
    rows = {
        "audience": [
            {"name": p.name, "why_md": p.why_md, "comparable": "\n".join(
                reference_of(c.anime) for c in p.comparable_titles.select_related("anime"))}
            for p in review.audience.all()
        ],
        "characters": [{"name": c.name, "text_md": c.text_md,
                        "character": str(c.character_id or "")}
                       for c in review.characters.all()],
        "themes": [{"name": t.name, "text_md": t.text_md} for t in review.themes.all()],
        "sections": [{"heading": s.heading, "body_md": s.body_md} for s in review.sections.all()],
    }  # fmt: skip
    return main, rows


def rows_from_input(data: ReviewInput) -> dict:
    """Formset rows for ``data`` (after suggestions were added to its audience)."""
    return {
        "audience": [{"name": a.name, "why_md": a.why_md,
                      "comparable": "\n".join(reference_of(x) for x in a.comparable)}
                     for a in data.audience],
        "characters": [{"name": c.name, "text_md": c.text_md,
                        "character": str(c.character.pk) if c.character else ""}
                       for c in data.characters],
        "themes": [{"name": t.name, "text_md": t.text_md} for t in data.themes],
        "sections": [{"heading": s.heading, "body_md": s.body_md} for s in data.sections],
    }  # fmt: skip
