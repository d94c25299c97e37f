"""Forms for comments and moderation. They only check shapes; the rules live in the services."""

from __future__ import annotations

from django import forms

from kansou.community.models import COMMENT_MAX_LENGTH

HONEYPOT_FIELD = "website"


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": COMMENT_MAX_LENGTH}),
        # Lengths are the service's rule (with its messages); the form only carries the text.
        required=False,
        strip=False,
        help_text=(
            "Light Markdown: *emphasis*, **strong**, `code`, [links](https://…), > quotes, "
            "lists. No images, headings or HTML."
        ),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The honeypot: hidden from people by a CSS class (``comment-form__trap``), filled by bots.
    website = forms.CharField(required=False, label="Leave this empty")


class ModerationForm(forms.Form):
    ACTIONS = [("approve", "Approve"), ("hide", "Hide"), ("spam", "Spam"), ("ban", "Ban author")]

    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(required=False, max_length=500)
    ban_days = forms.IntegerField(
        required=False, min_value=1, max_value=3650, help_text="Empty: for good."
    )
