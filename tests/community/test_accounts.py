"""Sign-up, log-in, log-out, password reset and profiles, as a visitor goes through them."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from kansou.community.models import Privacy

from .factories import PASSWORD, AnimeListFactory, ListEntryFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
SIGN_UP = reverse("community:sign-up")
LOGIN = reverse("login")
LOGOUT = reverse("logout")


def sign_up_data(**changes) -> dict:
    data = {
        "username": "mai",
        "email": "mai@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return {**data, **changes}


class TestSignUp:
    def test_new_reader_is_logged_in_and_sent_to_their_list(self, client):
        response = client.post(SIGN_UP, sign_up_data())

        assert response.status_code == 302
        assert response["Location"] == reverse("community:my-list")
        user = User.objects.get(username="mai")
        assert client.session["_auth_user_id"] == str(user.pk)
        assert user.groups.filter(name="reader").exists()

    def test_password_validators_apply(self, client):
        response = client.post(SIGN_UP, sign_up_data(password1="password", password2="password"))
        assert response.status_code == 200
        assert "password2" in response.context["form"].errors
        assert not User.objects.exists()

    def test_email_is_required_and_must_be_unused(self, client):
        UserFactory(email="mai@example.org")
        response = client.post(SIGN_UP, sign_up_data(email="MAI@example.org"))
        assert "already exists" in str(response.context["form"].errors["email"])
        response = client.post(SIGN_UP, sign_up_data(username="mai2", email=""))
        assert "email" in response.context["form"].errors

    def test_form_needs_a_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        assert client.post(SIGN_UP, sign_up_data()).status_code == 403
        assert not User.objects.exists()

    def test_next_is_followed_only_within_the_site(self, client):
        response = client.post(SIGN_UP + "?next=https://evil.example/", sign_up_data())
        assert response["Location"] == reverse("community:my-list")
        client.logout()
        response = client.post(
            SIGN_UP, {**sign_up_data(username="ren", email="ren@example.org"), "next": "/anime/"}
        )
        assert response["Location"] == "/anime/"


class TestLogInAndOut:
    def test_log_in_with_the_right_password_then_log_out_with_a_post(self, client):
        user = UserFactory(username="mai")
        response = client.post(LOGIN, {"username": "mai", "password": PASSWORD})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)

        assert client.get(LOGOUT).status_code == 405  # log-out is a POST form, never a link
        response = client.post(LOGOUT)
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session

    def test_wrong_password_shows_an_error(self, client):
        UserFactory(username="mai")
        response = client.post(LOGIN, {"username": "mai", "password": "nope"})
        assert response.status_code == 200
        assert "correct username and password" in response.text

    def test_login_page_is_the_sites_own(self, client, settings):
        assert settings.LOGIN_URL == "login"
        response = client.get(reverse("community:my-list"))
        assert response["Location"].startswith(LOGIN + "?next=")
        assert 'action="/accounts/login/"' in client.get(LOGIN).text

    def test_header_shows_log_in_and_sign_up_or_the_readers_links(self, client):
        page = client.get(reverse("catalog:anime-list")).text
        assert f'href="{LOGIN}?next=' in page and f'href="{SIGN_UP}"' in page

        client.force_login(UserFactory(username="mai"))
        page = client.get(reverse("catalog:anime-list")).text
        assert f'action="{LOGOUT}"' in page and 'href="/u/mai/"' in page
        assert f'href="{SIGN_UP}"' not in page


class TestPasswordReset:
    def test_reset_mail_link_sets_a_new_password(self, client):
        user = UserFactory(username="mai", email="mai@example.org")

        response = client.post(reverse("password_reset"), {"email": "MAI@example.org"})
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["mai@example.org"]
        assert message.subject == "Reset your Kansou password"
        link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)

        form_page = client.get(link, follow=True)
        assert form_page.context["validlink"]
        done = client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
        )
        assert done["Location"] == reverse("password_reset_complete")
        user.refresh_from_db()
        assert user.check_password("a brand new passphrase")

    def test_unknown_address_sends_nothing_and_says_the_same(self, client):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
        assert response["Location"] == reverse("password_reset_done")
        assert mail.outbox == []

    def test_a_used_or_forged_link_is_refused(self, client):
        response = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))
        assert response.context["validlink"] is False
        assert "invalid" in response.text


class TestProfile:
    def test_shows_the_readers_public_list_summary(self, client):
        entry = ListEntryFactory(status="watching")
        username = entry.anime_list.user.username

        page = client.get(reverse("community:profile", args=[username]))

        assert page.status_code == 200
        assert entry.anime.title in page.text
        assert "1 watching" in page.text
        assert "reader" not in page.context["profile"].roles  # factory users have no group

    def test_private_list_is_not_shown_to_others(self, client):
        entry = ListEntryFactory(anime_list=AnimeListFactory(privacy=Privacy.PRIVATE))
        page = client.get(reverse("community:profile", args=[entry.anime_list.user.username]))
        assert entry.anime.title not in page.text
        assert "This list is private." in page.text

    def test_unknown_reader_is_404(self, client):
        assert client.get(reverse("community:profile", args=["ghost"])).status_code == 404
