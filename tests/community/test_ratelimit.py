"""Fixed-window counters, and the failed-log-in limits built on them."""

from __future__ import annotations

import pytest

from kansou.community.login_limits import LOGIN_LOCKED
from kansou.community.ratelimit import Rate, parse_rates, rate_hit, rate_wait, wait_text
from tests.community.factories import PASSWORD, UserFactory

T0 = 1_800_000_000.0  # a multiple of 60, 900 and 3600: windows start here


@pytest.mark.parametrize(
    ("text", "rates"),
    [("5/m", [Rate(5, 60)]), ("5/m,30/h", [Rate(5, 60), Rate(30, 3600)]),
     ("5/15m", [Rate(5, 900)]), ("10/30s", [Rate(10, 30)]), ("", [])],
)  # fmt: skip
def test_parse_rates(text, rates):
    assert parse_rates(text) == rates


def test_a_bad_rate_names_itself():
    with pytest.raises(ValueError, match="'5 per minute'"):
        parse_rates("5 per minute")


def test_limit_blocks_for_the_rest_of_the_window_then_opens():
    rates = [Rate(2, 60)]
    assert rate_hit(scope="t", ident="a", rates=rates, now=T0) == 0
    assert rate_hit(scope="t", ident="a", rates=rates, now=T0 + 1) == 0
    assert rate_hit(scope="t", ident="a", rates=rates, now=T0 + 20) == 40
    assert rate_wait(scope="t", ident="a", rates=rates, now=T0 + 59.5) == 1
    assert rate_hit(scope="t", ident="a", rates=rates, now=T0 + 60) == 0


def test_counters_are_per_identity_and_scope():
    rates = [Rate(1, 60)]
    rate_hit(scope="t", ident="a", rates=rates, now=T0)
    assert rate_hit(scope="t", ident="b", rates=rates, now=T0) == 0
    assert rate_hit(scope="u", ident="a", rates=rates, now=T0) == 0
    assert rate_wait(scope="t", ident="a", rates=rates, now=T0) == 60


def test_the_longest_exceeded_window_decides_the_wait():
    rates = [Rate(5, 60), Rate(2, 3600)]
    rate_hit(scope="t", ident="a", rates=rates, now=T0)
    rate_hit(scope="t", ident="a", rates=rates, now=T0)
    assert rate_wait(scope="t", ident="a", rates=rates, now=T0 + 100) == 3500


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(1, "1 second"), (40, "40 seconds"), (60, "1 minute"), (61, "2 minutes"), (3600, "1 hour"),
     (3601, "2 hours")],
)  # fmt: skip
def test_wait_text(seconds, text):
    assert wait_text(seconds) == text


@pytest.mark.django_db
class TestLoginLimits:
    URL = "/accounts/login/"

    def fail(self, client, username="ana", ip="10.0.0.1"):
        return client.post(self.URL, {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)

    def test_fifth_failure_locks_the_username_even_with_the_right_password(self, client, settings):
        settings.KANSOU_LOGIN_RATE = "5/15m"
        UserFactory(username="ana")
        for _ in range(5):
            assert "correct username and password" in self.fail(client).content.decode()
        response = client.post(
            self.URL, {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
        )
        html = response.content.decode()
        assert "Too many failed log-ins. You can try again in" in html
        assert "_auth_user_id" not in client.session

    def test_an_ip_with_many_failures_is_locked_for_every_username(self, client, settings):
        settings.KANSOU_LOGIN_RATE = "3/15m"
        UserFactory(username="bea")
        for name in ["x", "y", "z"]:
            self.fail(client, username=name, ip="10.0.0.9")
        response = client.post(
            self.URL, {"username": "bea", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
        )
        assert LOGIN_LOCKED.split("{")[0] in response.content.decode()
        other = client.post(
            self.URL, {"username": "bea", "password": PASSWORD}, REMOTE_ADDR="10.0.0.10"
        )
        assert other.status_code == 302

    def test_a_successful_log_in_clears_the_username_count(self, client, settings):
        settings.KANSOU_LOGIN_RATE = "2/15m"
        UserFactory(username="cai")
        self.fail(client, username="cai", ip="10.1.0.1")
        ok = client.post(
            self.URL, {"username": "cai", "password": PASSWORD}, REMOTE_ADDR="10.1.0.2"
        )
        assert ok.status_code == 302
        client.logout()
        self.fail(client, username="cai", ip="10.1.0.3")
        ok = client.post(
            self.URL, {"username": "cai", "password": PASSWORD}, REMOTE_ADDR="10.1.0.4"
        )
        assert ok.status_code == 302

    def test_the_admin_log_in_counts_too(self, client, settings):
        settings.KANSOU_LOGIN_RATE = "1/15m"
        client.post("/admin/login/", {"username": "dee", "password": "no"}, REMOTE_ADDR="10.2.0.1")
        response = client.post(
            "/admin/login/", {"username": "dee", "password": "no"}, REMOTE_ADDR="10.2.0.2"
        )
        assert "Too many failed log-ins" in response.content.decode()
