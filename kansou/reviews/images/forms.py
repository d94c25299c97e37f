"""The upload form: a file and its alt text, both required, checked before anything is stored."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from kansou.catalog.images.pictures import ImageProblem, Picture, picture_open
from kansou.reviews.images.models import ALT_MAX
from kansou.reviews.images.services import (
    ALT_REQUIRED,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_PIXELS,
    clean_alt,
)

ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
FILE_REQUIRED = "Choose an image file (JPEG, PNG, WebP or GIF)."


class ReviewImageForm(forms.Form):
    image = forms.FileField(
        label="Image",
        error_messages={"required": FILE_REQUIRED, "empty": "The file is empty."},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    alt = forms.CharField(
        label="Alt text",
        max_length=ALT_MAX,
        error_messages={"required": ALT_REQUIRED},
        help_text="What the image shows, for readers who cannot see it.",
    )

    def clean_image(self) -> Picture:
        upload = self.cleaned_data["image"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"The file is {upload.size / 1e6:.1f} MB; the limit is "
                f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB."
            )
        try:
            return picture_open(
                upload.read(), max_bytes=MAX_UPLOAD_BYTES, max_pixels=MAX_UPLOAD_PIXELS
            )
        except ImageProblem as exc:
            raise ValidationError(str(exc)) from None

    def clean_alt(self) -> str:
        try:
            return clean_alt(self.cleaned_data["alt"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["alt"]) from None
