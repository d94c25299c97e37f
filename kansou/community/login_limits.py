"""Failed log-in limits, keyed so that a stranger cannot lock a reader out:

- ``KANSOU_LOGIN_RATE`` (default 5 per 15 minutes) per username *from one IP address*: guessing
  alice's password from one address locks that address out of alice, not alice herself;
- ``KANSOU_LOGIN_ACCOUNT_RATE`` (default 50 an hour) per username from all addresses together:
  the slower backstop against guessing from many addresses;
- ``KANSOU_LOGIN_IP_RATE`` (default 50 an hour) per address, all usernames together: against
  trying one password on many accounts, slow enough that readers sharing an address are not
  locked out by a few typos.

Once a count is reached, log-in is refused for the rest of its window with a message saying how
long, even with the right password; a successful log-in clears its (username, address) count.
The address is :func:`kansou.core.clientip.client_ip` (the reader's, behind a trusted proxy).

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
from kansou.core.clientip import client_ip

LOGIN_LOCKED = "Too many failed log-ins. You can try again in {wait}."
_PAIR, _USER, _IP = "login-pair", "login-user", "login-ip"


def _counters(*, username: str, ip: str) -> list[tuple[str, str, str]]:
    """(scope, identity, rates) of every counter one failed log-in moves."""
    name = username.strip().casefold()
    counters = []
    if name:
        counters.append((_PAIR, f"{name}\n{ip}", settings.KANSOU_LOGIN_RATE))
        counters.append((_USER, name, settings.KANSOU_LOGIN_ACCOUNT_RATE))
    if ip:
        counters.append((_IP, ip, settings.KANSOU_LOGIN_IP_RATE))
    return counters


def login_wait(*, username: str, ip: str) -> int:
    """Seconds until ``username`` may try from ``ip`` again (0: now)."""
    waits = [
        rate_wait(scope=scope, ident=ident, rates=parse_rates(rates))
        for scope, ident, rates in _counters(username=username, ip=ip)
    ]
    return max(waits, default=0)


def login_failed(*, username: str, ip: str) -> None:
    for scope, ident, rates in _counters(username=username, ip=ip):
        rate_hit(scope=scope, ident=ident, rates=parse_rates(rates))


def login_succeeded(*, username: str, ip: str) -> None:
    name = username.strip().casefold()
    rate_clear(scope=_PAIR, ident=f"{name}\n{ip}", rates=parse_rates(settings.KANSOU_LOGIN_RATE))


class LoginLimitMixin:
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else ""
        wait = login_wait(username=username, ip=ip)
        if wait:
            raise ValidationError(LOGIN_LOCKED.format(wait=wait_text(wait)), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if getattr(error, "code", None) == "invalid_login":
                login_failed(username=username, ip=ip)
            raise
        login_succeeded(username=username, ip=ip)
        return cleaned


class LimitedAuthenticationForm(LoginLimitMixin, AuthenticationForm):
    pass


class LimitedAdminAuthenticationForm(LoginLimitMixin, AdminAuthenticationForm):
    pass
