"""Sign-up, password reset and profile pages. Log-in, log-out and the rest of password reset are
Django's own views (``django.contrib.auth.urls``) with the templates in
``kansou/templates/registration/``.

Sign-up takes two steps so that it never tells a stranger whether an address has an account:
the form asks for a name and an address and always answers "check your email"; the mail holds
a signed link (valid ``SIGN_UP_DAYS``) to choose a password, which creates the account and logs
in — or, when the address already has an account, says so to its owner with a reset link.
Nothing is stored before the link is used. Sign-up and reset requests are limited per client
address (``KANSOU_ACCOUNT_IP_RATE``, a 429 page saying how long) and mails per address
(``KANSOU_ACCOUNT_MAIL_RATE``: over it nothing is sent, and the answer is the same). Links are
built on ``KANSOU_SITE_URL`` when it is set, never on the request's ``Host`` header.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters

from kansou.community.forms import (
    LimitedPasswordResetForm,
    SignUpForm,
    mail_allowed,
    username_taken,
)
from kansou.community.ratelimit import ip_rate_hit, wait_text
from kansou.community.selectors import profile_detail
from kansou.community.services import user_sign_up
from kansou.reviews.seo import site_origin

User = get_user_model()
SIGN_UP_SALT = "kansou.community.sign-up"
SIGN_UP_DAYS = 2
SIGN_UP_SUBJECT = "Finish signing up to Kansou"
TOO_MANY = "Too many requests from your address. You can try again in {wait}."
LINK_INVALID = "This sign-up link is invalid or has expired."
NAME_TAKEN_MEANWHILE = "This name was taken in the meantime: sign up again with another one."


def safe_next(request: HttpRequest, default: str, target: str | None = None) -> str:
    """``next`` (from the POST or query string, or ``target``) when it points at this site,
    else ``default``."""
    if target is None:
        target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else resolve_url(default)


def too_many(request: HttpRequest, wait: int) -> HttpResponse:
    """429 with ``Retry-After`` and a sentence saying how long."""
    message = TOO_MANY.format(wait=wait_text(wait))
    response = render(request, "registration/too_many.html", {"message": message}, status=429)
    response["Retry-After"] = str(wait)
    return response


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("community:profile", request.user.get_username())
    next_url = request.POST.get("next") or request.GET.get("next", "")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        wait = ip_rate_hit(request, scope="sign-up-ip", rates=settings.KANSOU_ACCOUNT_IP_RATE)
        if wait:
            return too_many(request, wait)
        if form.is_valid():
            _send_sign_up_mail(request, **form.cleaned_data, next_url=next_url)
            context = {"email": form.cleaned_data["email"]}
            return render(request, "registration/sign_up_sent.html", context)
    return render(request, "registration/sign_up.html", {"form": form, "next": next_url})


def _send_sign_up_mail(request, *, username: str, email: str, next_url: str) -> None:
    """The link to finish signing up, or, when an account already uses ``email``, a note to
    its owner; nothing past the address's mail limit."""
    if not mail_allowed(email):
        return
    origin = site_origin(request)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        context = {"user": existing, "reset_url": origin + reverse("password_reset")}
        body = render_to_string("registration/sign_up_exists_email.txt", context)
        email = existing.email  # the address the account holds, as its owner wrote it
    else:
        token = signing.dumps({"u": username, "e": email, "n": next_url}, salt=SIGN_UP_SALT)
        link = origin + reverse("sign-up-confirm", args=[token])
        context = {"username": username, "link": link, "days": SIGN_UP_DAYS}
        body = render_to_string("registration/sign_up_email.txt", context)
    send_mail(SIGN_UP_SUBJECT, body, None, [email])


@sensitive_post_parameters("new_password1", "new_password2")
def sign_up_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed link: choose a password, and the account is created and logged in."""
    try:
        pending = signing.loads(token, salt=SIGN_UP_SALT, max_age=SIGN_UP_DAYS * 86400)
    except signing.BadSignature:
        return render(request, "registration/sign_up_confirm.html", {"invalid": LINK_INVALID})
    candidate = User(username=pending["u"], email=pending["e"])
    form = SetPasswordForm(candidate, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if username_taken(pending["u"]):  # someone took it, or a look-alike, meanwhile
                raise ValidationError({"username": [NAME_TAKEN_MEANWHILE]})
            user = user_sign_up(
                username=pending["u"],
                email=pending["e"],
                password=form.cleaned_data["new_password1"],
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    form.add_error("new_password2" if name == "password" else None, message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(safe_next(request, settings.LOGIN_REDIRECT_URL, target=pending["n"]))
    context = {"form": form, "username": pending["u"], "email": pending["e"]}
    return render(request, "registration/sign_up_confirm.html", context)


_password_reset_view = auth_views.PasswordResetView.as_view(form_class=LimitedPasswordResetForm)


def password_reset(request: HttpRequest) -> HttpResponse:
    """Django's reset view, limited per client address; the form limits mails per address."""
    if request.method == "POST":
        wait = ip_rate_hit(request, scope="reset-ip", rates=settings.KANSOU_ACCOUNT_IP_RATE)
        if wait:
            return too_many(request, wait)
    return _password_reset_view(request)


def profile(request: HttpRequest, username: str) -> HttpResponse:
    try:
        detail = profile_detail(username=username, viewer=request.user)
    except User.DoesNotExist:
        raise Http404("No reader with this name.") from None
    return render(request, "community/profile.html", {"profile": detail})
