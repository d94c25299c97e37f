"""Sign-up and profile pages. Log-in, log-out and password reset are Django's own views
(``django.contrib.auth.urls``) with the templates in ``kansou/templates/registration/``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters

from kansou.community.forms import SignUpForm
from kansou.community.selectors import profile_detail
from kansou.community.services import user_sign_up

User = get_user_model()


def safe_next(request: HttpRequest, default: str) -> str:
    """``next`` from the POST or query string when it points at this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else resolve_url(default)


@sensitive_post_parameters("password1", "password2")
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("community:profile", request.user.get_username())
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_sign_up(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    name = "password1" if name == "password" else name
                    form.add_error(name if name in form.fields else None, message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(safe_next(request, settings.LOGIN_REDIRECT_URL))
    return render(
        request, "registration/sign_up.html", {"form": form, "next": request.GET.get("next", "")}
    )


def profile(request: HttpRequest, username: str) -> HttpResponse:
    try:
        detail = profile_detail(username=username, viewer=request.user)
    except User.DoesNotExist:
        raise Http404("No reader with this name.") from None
    return render(request, "community/profile.html", {"profile": detail})
