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
    data = {"username": "mai", "email": "mai@example.org"}
    return {**data, **changes}


def mailed_link(message) -> str:
    return re.search(r"http://testserver(/accounts/sign-up/confirm/\S+/)", message.body).group(1)


def finish(client, link: str, password: str = PASSWORD):
    return client.post(link, {"new_password1": password, "new_password2": password})


class TestSignUp:
    def test_the_mailed_link_creates_the_account_and_logs_in(self, client):
        response = client.post(SIGN_UP, sign_up_data())

        assert response.status_code == 200
        assert "Check your email" in response.text
        assert not User.objects.exists()  # nothing is stored before the link is used
        [message] = mail.outbox
        assert message.to == ["mai@example.org"]
        done = finish(client, mailed_link(message))
        assert done.status_code == 302
        assert done["Location"] == reverse("community:my-list")
        user = User.objects.get(username="mai")
        assert user.email == "mai@example.org"
        assert client.session["_auth_user_id"] == str(user.pk)
        assert user.groups.filter(name="reader").exists()

    def test_password_validators_apply(self, client):
        client.post(SIGN_UP, sign_up_data())
        response = finish(client, mailed_link(mail.outbox[0]), password="password")
        assert response.status_code == 200
        assert "new_password2" in response.context["form"].errors
        assert not User.objects.exists()

    def test_a_registered_email_gets_the_same_answer_and_its_owner_a_note(self, client):
        UserFactory(username="mai", email="mai@example.org")
        fresh = client.post(SIGN_UP, sign_up_data(username="ren", email="ren@example.org"))
        taken = client.post(SIGN_UP, sign_up_data(username="ren", email="MAI@example.org"))

        assert taken.status_code == fresh.status_code == 200
        assert taken.text.replace("MAI@example.org", "ren@example.org") == fresh.text
        assert "already exists" not in taken.text
        note = mail.outbox[1]
        assert note.to == ["mai@example.org"]
        assert "your username is mai" in note.body
        assert "/accounts/sign-up/confirm/" not in note.body
        assert User.objects.count() == 1

    def test_email_is_required(self, client):
        response = client.post(SIGN_UP, sign_up_data(email=""))
        assert "email" in response.context["form"].errors

    @pytest.mark.parametrize(
        "name",
        ["аlice", "ALICE", "ａｌｉｃｅ", "aIice", "a1ice", "alіce"],
        ids=["cyrillic-a", "capitals", "fullwidth", "capital-i", "digit-one", "cyrillic-i"],
    )
    def test_a_name_that_looks_like_an_existing_one_is_refused(self, client, name):
        UserFactory(username="alice")
        response = client.post(SIGN_UP, sign_up_data(username=name))
        assert "looks too much like one" in str(response.context["form"].errors["username"])
        assert mail.outbox == []

    def test_names_are_nfkc_normalised(self, client):
        client.post(SIGN_UP, sign_up_data(username="ｍａｉ"))
        finish(client, mailed_link(mail.outbox[0]))
        assert User.objects.get().username == "mai"

    def test_a_name_taken_before_the_link_is_used_is_refused_then(self, client):
        client.post(SIGN_UP, sign_up_data(username="mai"))
        UserFactory(username="Mai")
        response = finish(client, mailed_link(mail.outbox[0]))
        assert "taken in the meantime" in response.text
        assert User.objects.count() == 1

    def test_a_forged_or_expired_link_creates_nothing(self, client):
        response = finish(client, reverse("sign-up-confirm", args=["eyJ1IjoibWFsbG9yeSJ9:x:y"]))
        assert "invalid or has expired" in response.text
        assert not User.objects.exists()

    def test_sign_ups_are_limited_per_address(self, client, settings):
        settings.KANSOU_ACCOUNT_IP_RATE = "2/h"
        for i in range(2):
            data = sign_up_data(username=f"u{i}", email=f"u{i}@example.org")
            assert client.post(SIGN_UP, data, REMOTE_ADDR="10.5.0.1").status_code == 200
        refused = client.post(SIGN_UP, sign_up_data(), REMOTE_ADDR="10.5.0.1")
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        assert "Too many requests" in refused.text
        assert client.post(SIGN_UP, sign_up_data(), REMOTE_ADDR="10.5.0.2").status_code == 200

    def test_form_needs_a_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        assert client.post(SIGN_UP, sign_up_data()).status_code == 403
        assert mail.outbox == []

    def test_next_is_followed_only_within_the_site(self, client):
        client.post(SIGN_UP + "?next=https://evil.example/", sign_up_data())
        response = finish(client, mailed_link(mail.outbox[0]))
        assert response["Location"] == reverse("community:my-list")
        client.logout()
        client.post(
            SIGN_UP, {**sign_up_data(username="ren", email="ren@example.org"), "next": "/anime/"}
        )
        response = finish(client, mailed_link(mail.outbox[1]))
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

    def test_mails_to_one_address_are_limited_with_no_hint(self, client, settings):
        settings.KANSOU_ACCOUNT_MAIL_RATE = "3/h"
        UserFactory(username="mai", email="mai@example.org")
        answers = [
            client.post(reverse("password_reset"), {"email": "mai@example.org"}, REMOTE_ADDR=ip)
            for ip in [f"10.7.0.{i}" for i in range(14)]
        ]
        assert len(mail.outbox) == 3
        assert {a["Location"] for a in answers} == {reverse("password_reset_done")}

    def test_requests_from_one_client_address_are_limited(self, client, settings):
        settings.KANSOU_ACCOUNT_IP_RATE = "2/h"
        for i in range(2):
            client.post(reverse("password_reset"), {"email": f"n{i}@example.org"})
        refused = client.post(reverse("password_reset"), {"email": "x@example.org"})
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        assert "Too many requests" in refused.text

    def test_the_link_is_built_on_the_site_url_not_the_host_header(self, client, settings):
        settings.KANSOU_SITE_URL = "https://kansou.example"
        settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
        UserFactory(username="mai", email="mai@example.org")
        client.post(
            reverse("password_reset"), {"email": "mai@example.org"}, HTTP_HOST="evil.example"
        )
        [message] = mail.outbox
        assert "https://kansou.example/accounts/reset/" in message.body
        assert "evil.example" not in message.body

    def test_an_unknown_host_is_refused(self, client):
        UserFactory(username="mai", email="mai@example.org")
        response = client.post(
            reverse("password_reset"), {"email": "mai@example.org"}, HTTP_HOST="evil.example"
        )
        assert response.status_code == 400
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
