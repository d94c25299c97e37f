"""Forms for sign-up, password reset, list entries, list privacy and the MAL upload. Writes go
via services.

Sign-up names are NFKC-normalised (``UsernameField``) and refused when their *skeleton* matches an
existing name's: casefolded, NFKC-normalised, with look-alike letters from other scripts and the
ASCII look-alikes (``1``/``l``/``i``, ``0``/``o``, ``rn``/``m``) mapped to one letter, so
``аlice`` with a Cyrillic а, ``ALICE``, ``ａｌｉｃｅ`` or ``aIice`` cannot sit beside ``alice``.
The table covers the Latin look-alikes of Cyrillic, Greek and Armenian (after Unicode TR39's
``confusables.txt``); it errs on refusing a name, never on accepting an impostor.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, UsernameField
from django.contrib.auth.validators import UnicodeUsernameValidator

from kansou.catalog.importers.mal_xml import MAX_COMPRESSED, MalXmlError, read_mal_file
from kansou.catalog.text import clean_text
from kansou.community.models import ENTRY_FIELDS, MAX_SCORE, ListEntry, Privacy
from kansou.community.ratelimit import parse_rates, rate_hit

SCORE_CHOICES = [(0, "–"), *((n, str(n)) for n in range(MAX_SCORE, 0, -1))]
QUICK_FIELDS = ("status", "score", "episodes_watched")
USERNAME_TAKEN = "This name is taken, or looks too much like one that is. Choose another."

# Pairs "look-alike, Latin letter". Applied before casefolding: capitals that look like Latin
# capitals (Cyrillic, Greek, Armenian).
_UPPER_LOOKALIKES = str.maketrans(
    dict("АA ВB ЕE ЅS ІI ЈJ КK МM НH ОO РP СC ТT ХX УY ԚQ ԜW ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT "
         "ΥY ΧX ՏS ՍU ՕO".split())
)  # fmt: skip
# Applied after casefolding: small letters that look like Latin small letters, and the ASCII
# characters that look like each other (1, l and i; 0 and o), mapped to one of them.
_LOWER_LOOKALIKES = str.maketrans(
    dict("аa еe оo рp сc уy хx ѕs іl јj һh ԁd ԛq ԝw ӏl ьb вb кk нh мm тt гr αa οo νv ρp υu ιl "
         "ϲc ϳj κk τt χx εe ωw օo սu ոn հh ցg զq ɡg ıl ɩl ɑa 1l 0o il".split())
)  # fmt: skip
_LOOKALIKE_SEQUENCES = (("rn", "m"), ("vv", "w"), ("cl", "d"))


def username_skeleton(name: str) -> str:
    """The form two names share when they look alike: ``"Аlice"`` → ``"alice"``.

    >>> username_skeleton("ａＬＩＣＥ") == username_skeleton("аlice") == username_skeleton("alice")
    True
    """
    text = unicodedata.normalize("NFKC", name).translate(_UPPER_LOOKALIKES).casefold()
    text = unicodedata.normalize("NFKC", text).translate(_LOWER_LOOKALIKES)
    for sequence, letter in _LOOKALIKE_SEQUENCES:
        text = text.replace(sequence, letter)
    return text


def username_taken(name: str) -> bool:
    """Whether an account's name is ``name`` or looks like it (same skeleton).

    Names are compared in Python, a few thousand per chunk: a reader site has thousands of
    accounts, not millions, and sign-up is rate-limited per address.
    """
    skeleton = username_skeleton(name)
    names = get_user_model().objects.values_list("username", flat=True)
    return any(username_skeleton(other) == skeleton for other in names.iterator(chunk_size=2000))


class SignUpForm(forms.Form):
    """First step: a name and an address. The address is only used to send a link; whether an
    account already uses it is never said here (that mail tells its owner instead)."""

    username = UsernameField(
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="150 characters or fewer: letters, digits and @ . + - _ only.",
    )
    email = forms.EmailField(
        help_text="We send a link there to finish signing up; never shown to others.",
        max_length=254,
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if username_taken(username):
            raise forms.ValidationError(USERNAME_TAKEN, code="taken")
        return username


def mail_allowed(email: str) -> bool:
    """Count one account mail to ``email``; False once ``KANSOU_ACCOUNT_MAIL_RATE`` is spent.

    Counted whether or not an account uses the address, so the answer gives nothing away.
    """
    rates = parse_rates(settings.KANSOU_ACCOUNT_MAIL_RATE)
    return rate_hit(scope="account-mail", ident=email.strip().casefold(), rates=rates) == 0


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with at most ``KANSOU_ACCOUNT_MAIL_RATE`` mails to one address and
    the link built on ``KANSOU_SITE_URL`` when it is set, never on the request's ``Host``."""

    def save(self, *, domain_override=None, use_https=False, **kwargs) -> None:
        if not mail_allowed(self.cleaned_data["email"]):
            return
        if settings.KANSOU_SITE_URL:
            origin = urlsplit(settings.KANSOU_SITE_URL)
            domain_override, use_https = origin.netloc, origin.scheme == "https"
        super().save(domain_override=domain_override, use_https=use_https, **kwargs)


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

    # Control characters go before the model's checks, as in ``list_entry_save``.
    def clean_tags(self) -> str:
        return clean_text(self.cleaned_data["tags"])

    def clean_notes(self) -> str:
        return clean_text(self.cleaned_data["notes"])


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
