"""Failed log-in limits: ``KANSOU_LOGIN_RATE`` (default 5 per 15 minutes) per username and per
IP address. Once either count is reached, log-in with that name, or from that address, is refused
for the rest of the window with a message saying how long, even with the right password; a
successful log-in clears its username's count.

The check sits in the log-in form (:class:`LimitedAuthenticationForm`, used by
``/accounts/login/`` and the admin's log-in page), before the password is checked, so a locked
attempt costs no password hashing and says why it failed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from kansou.community.ratelimit import parse_rates, rate_clear, rate_hit, rate_wait, wait_text

LOGIN_LOCKED = "Too many failed log-ins. You can try again in {wait}."
_USER, _IP = "login-user", "login-ip"


def _idents(*, username: str, ip: str) -> list[tuple[str, str]]:
    idents = [(_USER, username.strip().casefold())] if username.strip() else []
    return idents + ([(_IP, ip)] if ip else [])


def login_wait(*, username: str, ip: str) -> int:
    """Seconds until ``username`` may try from ``ip`` again (0: now)."""
    rates = parse_rates(settings.KANSOU_LOGIN_RATE)
    waits = [rate_wait(scope=s, ident=i, rates=rates) for s, i in _idents(username=username, ip=ip)]
    return max(waits, default=0)


def login_failed(*, username: str, ip: str) -> None:
    rates = parse_rates(settings.KANSOU_LOGIN_RATE)
    for scope, ident in _idents(username=username, ip=ip):
        rate_hit(scope=scope, ident=ident, rates=rates)


def login_succeeded(*, username: str) -> None:
    rates = parse_rates(settings.KANSOU_LOGIN_RATE)
    rate_clear(scope=_USER, ident=username.strip().casefold(), rates=rates)


class LoginLimitMixin:
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        wait = login_wait(username=username, ip=ip)
        if wait:
            raise ValidationError(LOGIN_LOCKED.format(wait=wait_text(wait)), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if getattr(error, "code", None) == "invalid_login":
                login_failed(username=username, ip=ip)
            raise
        login_succeeded(username=username)
        return cleaned


class LimitedAuthenticationForm(LoginLimitMixin, AuthenticationForm):
    pass


class LimitedAdminAuthenticationForm(LoginLimitMixin, AdminAuthenticationForm):
    pass
