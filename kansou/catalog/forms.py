"""Forms for author corrections: they parse browser input; the rules live in the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from kansou.catalog.models import (
    Anime,
    AnimeCompany,
    AnimeTitle,
    AnimeType,
    Character,
    Season,
    Status,
)
from kansou.catalog.services.corrections import STAFF_ROLE_SUGGESTIONS

# Form field -> Anime field, where they differ (the form asks for minutes).
_MODEL_FIELD = {"duration_minutes": "duration_seconds"}
_FORM_FIELD = {model: form for form, model in _MODEL_FIELD.items()}


@dataclass(frozen=True)
class CorrectionRow:
    """A scalar field on the edit page: the input, the imported value, whether it's corrected."""

    field: forms.BoundField
    model_field: str
    imported: str
    local: bool


class AnimeCorrectionForm(forms.Form):
    """The correctable scalar fields, prefilled with the shown (effective) values.

    Only fields the author changed become corrections (``corrected_values``); a field emptied
    means "no correction" and shows the imported value again.
    """

    title = forms.CharField(max_length=500, required=False)
    kind = forms.ChoiceField(label="Type", choices=AnimeType.choices)
    episodes = forms.IntegerField(
        min_value=0, max_value=10000, required=False, help_text="0 when unknown."
    )
    status = forms.ChoiceField(choices=Status.choices)
    season = forms.ChoiceField(choices=Season.choices)
    year = forms.IntegerField(min_value=1907, max_value=2200, required=False)
    duration_minutes = forms.IntegerField(
        label="Episode length (minutes)", min_value=1, max_value=1440, required=False
    )
    score = forms.FloatField(min_value=1, max_value=10, required=False, help_text="1–10.")
    picture = forms.URLField(max_length=500, required=False, assume_scheme="https")
    thumbnail = forms.URLField(max_length=500, required=False, assume_scheme="https")

    def __init__(self, *args, anime: Anime, **kwargs):
        self.anime = anime
        initial = {
            name: _form_value(name, getattr(anime, _model(name))) for name in self.base_fields
        }
        super().__init__(*args, initial=initial, **kwargs)

    def corrected_values(self) -> dict[str, Any]:
        """``{anime field: value}`` for the fields the author changed (``None`` = no correction)."""
        values = {}
        for name in self.changed_data:
            value = self.cleaned_data[name]
            if name == "duration_minutes" and value is not None:
                value *= 60
            values[_model(name)] = None if value in ("", None) else value
        return values

    def rows(self) -> list[CorrectionRow]:
        imported = self.anime.imported
        return [
            CorrectionRow(
                field=self[name],
                model_field=_model(name),
                imported=_shown(self.fields[name], _form_value(name, imported.get(_model(name)))),
                local=self.anime.is_local(_model(name)),
            )
            for name in self.fields
        ]


def _model(name: str) -> str:
    return _MODEL_FIELD.get(name, name)


def _form_value(name: str, value: Any) -> Any:
    if name == "duration_minutes" and value is not None:
        return max(1, round(value / 60))
    return value


def _shown(field: forms.Field, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(field, forms.ChoiceField):
        return dict(field.choices).get(value, str(value))
    return str(value)


class TagForm(forms.Form):
    name = forms.CharField(label="Tag", max_length=100)


class CompanyForm(forms.Form):
    name = forms.CharField(label="Company", max_length=200)
    role = forms.ChoiceField(choices=AnimeCompany.Role.choices)


class StaffForm(forms.Form):
    person_name = forms.CharField(label="Person", max_length=200)
    person_native_name = forms.CharField(label="Native name", max_length=200, required=False)
    role = forms.CharField(
        max_length=100,
        widget=forms.TextInput(attrs={"list": "staff-roles"}),
        help_text="For example: " + ", ".join(STAFF_ROLE_SUGGESTIONS[:3]) + ".",
    )


class CharacterForm(forms.Form):
    name = forms.CharField(max_length=200)
    native_name = forms.CharField(max_length=200, required=False)
    role = forms.ChoiceField(choices=Character.Role.choices)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False
    )


class TitleForm(forms.Form):
    text = forms.CharField(label="Title", max_length=500)
    kind = forms.ChoiceField(choices=AnimeTitle.Kind.choices, initial=AnimeTitle.Kind.SYNONYM)
    language = forms.CharField(
        max_length=16,
        required=False,
        help_text="BCP 47 (ja, en, zh-Hant); blank guesses from the script.",
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` next to the form fields it names."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        field = _FORM_FIELD.get(name, name)
        form.add_error(field if field in form.fields else None, messages)
