"""What every form page shares."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def errors_onto(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on ``form``: messages for a field the form has go to
    that field, the rest to the whole form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
