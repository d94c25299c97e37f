"""Forms for recommendation pairs. They only check shapes; the rules live in ``pairs``."""

from __future__ import annotations

from django import forms

from kansou.discovery.pairs.models import PITCH_MAX_LENGTH, PITCH_MIN_LENGTH


class PairForm(forms.Form):
    title = forms.CharField(
        label="If you liked this, watch",
        required=False,
        max_length=200,
        help_text="A title in any language; pick from the matches when several fit.",
    )
    other = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    pitch = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": PITCH_MAX_LENGTH}),
        # Lengths are the service's rule (with its messages); the form only carries the text.
        required=False,
        strip=False,
        help_text=(
            f"{PITCH_MIN_LENGTH}–{PITCH_MAX_LENGTH} characters of plain text: what the two "
            "share, and who will like it."
        ),
    )


class AgreeForm(forms.Form):
    action = forms.ChoiceField(choices=[("agree", "Agree"), ("withdraw", "Withdraw")])
