"""Forms for sign-up, list entries, list privacy and the MAL upload. Writes go via services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from kansou.community.mal_xml import MAX_COMPRESSED, MalXmlError, read_mal_file
from kansou.community.models import ENTRY_FIELDS, MAX_SCORE, ListEntry, Privacy
from kansou.community.services import EMAIL_TAKEN

SCORE_CHOICES = [(0, "–"), *((n, str(n)) for n in range(MAX_SCORE, 0, -1))]
QUICK_FIELDS = ("status", "score", "episodes_watched")


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        help_text="For resetting your password; never shown to others.", max_length=254
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN)
        return email


class _EntryFormBase(forms.ModelForm):
    """Validates like the model (``ListEntry.clean`` needs the anime, passed to ``__init__``)."""

    def __init__(self, *args, anime, entry: ListEntry | None = None, **kwargs):
        super().__init__(*args, instance=entry or ListEntry(anime=anime), **kwargs)

    def values(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class QuickEntryForm(_EntryFormBase):
    """The small form on list rows and the catalog page: status, score, progress."""

    class Meta:
        model = ListEntry
        fields = QUICK_FIELDS
        widgets = {"score": forms.Select(choices=SCORE_CHOICES)}


class EntryForm(_EntryFormBase):
    class Meta:
        model = ListEntry
        fields = ENTRY_FIELDS
        widgets = {
            "score": forms.Select(choices=SCORE_CHOICES),
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "finished_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"times_rewatched": "Times rewatched", "rewatching_episode": "Rewatch episode"}


class PrivacyForm(forms.Form):
    privacy = forms.ChoiceField(choices=Privacy.choices, widget=forms.RadioSelect)


class MalImportForm(forms.Form):
    file = forms.FileField(
        label="MyAnimeList export",
        help_text=f"animelist_….xml or .xml.gz, at most {MAX_COMPRESSED // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.gz"}),
    )
    overwrite = forms.BooleanField(
        required=False,
        label="Overwrite entries already on my list",
        help_text="Otherwise each entry's update_on_import decides (1 overwrite, 0 keep).",
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if upload.size > MAX_COMPRESSED:
            raise forms.ValidationError(
                {"file": f"The file is larger than {MAX_COMPRESSED // (1024 * 1024)} MB."}
            )
        try:
            cleaned["export"] = read_mal_file(upload.open("rb"))
        except MalXmlError as exc:
            raise forms.ValidationError({"file": str(exc)}) from None
        return cleaned
