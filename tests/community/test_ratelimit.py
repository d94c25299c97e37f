"""Fixed-window counters, and the failed-log-in limits built on them, on both cache backends
(diskcache and a real redis-server: ``cache_backend`` from ``tests/core/test_cache.py``)."""

from __future__ import annotations

import functools
import threading

import pytest

from kansou.community.login_limits import LOGIN_LOCKED
from kansou.community.ratelimit import (
    Rate,
    ip_rate_hit,
    parse_rates,
    rate_hit,
    rate_wait,
    wait_text,
)
from tests.community.factories import PASSWORD, UserFactory
from tests.core.test_cache import cache_backend, redis_url  # noqa: F401 (fixtures)

T0 = 1_800_000_000.0  # a multiple of 60, 900 and 3600: windows start here
on_both_backends = pytest.mark.usefixtures("cache_backend")


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


@on_both_backends
def test_limit_blocks_for_the_rest_of_the_window_then_opens():
    rates = [Rate(2, 60)]
    assert rate_hit(scope="t", ident="a", rates=rates, now=T0) == 0
    assert rate_hit(scope="t", ident="a", rates=rates, now=T0 + 1) == 0
    assert rate_hit(scope="t", ident="a", rates=rates, now=T0 + 20) == 40
    assert rate_wait(scope="t", ident="a", rates=rates, now=T0 + 59.5) == 1
    assert rate_hit(scope="t", ident="a", rates=rates, now=T0 + 60) == 0


@on_both_backends
def test_counters_are_per_identity_and_scope():
    rates = [Rate(1, 60)]
    rate_hit(scope="t", ident="a", rates=rates, now=T0)
    assert rate_hit(scope="t", ident="b", rates=rates, now=T0) == 0
    assert rate_hit(scope="u", ident="a", rates=rates, now=T0) == 0
    assert rate_wait(scope="t", ident="a", rates=rates, now=T0) == 60


@on_both_backends
def test_the_longest_exceeded_window_decides_the_wait():
    rates = [Rate(5, 60), Rate(2, 3600)]
    rate_hit(scope="t", ident="a", rates=rates, now=T0)
    rate_hit(scope="t", ident="a", rates=rates, now=T0)
    assert rate_wait(scope="t", ident="a", rates=rates, now=T0 + 100) == 3500


@on_both_backends
def test_workers_counting_at_once_let_exactly_the_limit_through():
    rates = [Rate(10, 60), Rate(15, 3600)]
    answers = []

    def post():
        for _ in range(3):
            answers.append(rate_hit(scope="t", ident="a", rates=rates, now=T0))

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answers.count(0) == 10 and len(answers) == 24
    assert rate_wait(scope="t", ident="a", rates=rates, now=T0) == 60
    # The 14 refused were given back: the hour has room for exactly 5 more.
    later = [rate_hit(scope="t", ident="a", rates=rates, now=T0 + 60) for _ in range(6)]
    assert later == [0] * 5 + [3600 - 60]


@on_both_backends
def test_a_refused_event_is_not_counted():
    rates = [Rate(2, 60), Rate(3, 3600)]
    assert [rate_hit(scope="t", ident="a", rates=rates, now=T0) for _ in range(3)] == [0, 0, 60]
    assert rate_hit(scope="t", ident="a", rates=rates, now=T0 + 60) == 0  # the hour counted 3
    assert rate_hit(scope="t", ident="a", rates=rates, now=T0 + 120) == 3600 - 120


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(1, "1 second"), (40, "40 seconds"), (60, "1 minute"), (61, "2 minutes"), (3600, "1 hour"),
     (3601, "2 hours")],
)  # fmt: skip
def test_wait_text(seconds, text):
    assert wait_text(seconds) == text


@pytest.mark.django_db
@on_both_backends
class TestLoginLimits:
    URL = "/accounts/login/"

    @pytest.fixture(autouse=True)
    def _rates(self, settings):
        settings.KANSOU_LOGIN_RATE = "5/15m"
        settings.KANSOU_LOGIN_ACCOUNT_RATE = "50/h"
        settings.KANSOU_LOGIN_IP_RATE = "50/h"

    def fail(self, client, username="ana", ip="10.0.0.1", **extra):
        data = {"username": username, "password": "wrong"}
        return client.post(self.URL, data, REMOTE_ADDR=ip, **extra)

    def log_in(self, client, username, ip, **extra):
        data = {"username": username, "password": PASSWORD}
        return client.post(self.URL, data, REMOTE_ADDR=ip, **extra)

    def test_fifth_failure_locks_the_name_from_that_address_even_with_the_right_password(
        self, client
    ):
        UserFactory(username="ana")
        for _ in range(5):
            assert "correct username and password" in self.fail(client).content.decode()
        response = self.log_in(client, "ana", "10.0.0.1")
        assert "Too many failed log-ins. You can try again in" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_a_stranger_cannot_lock_a_reader_out_from_her_own_address(self, client):
        UserFactory(username="alice")
        for _ in range(10):
            self.fail(client, username="alice", ip="203.0.113.66")
        assert self.log_in(client, "alice", "198.51.100.7").status_code == 302

    def test_the_slower_account_backstop_locks_a_name_guessed_from_many_addresses(
        self, client, settings
    ):
        settings.KANSOU_LOGIN_ACCOUNT_RATE = "6/h"
        UserFactory(username="alice")
        for i in range(6):
            self.fail(client, username="alice", ip=f"203.0.113.{i}")
        response = self.log_in(client, "alice", "198.51.100.7")
        assert LOGIN_LOCKED.split("{")[0] in response.content.decode()

    def test_an_address_with_many_failures_is_locked_for_every_username(self, client, settings):
        settings.KANSOU_LOGIN_IP_RATE = "3/h"
        UserFactory(username="bea")
        for name in ["x", "y", "z"]:
            self.fail(client, username=name, ip="10.0.0.9")
        response = self.log_in(client, "bea", "10.0.0.9")
        assert LOGIN_LOCKED.split("{")[0] in response.content.decode()
        assert self.log_in(client, "bea", "10.0.0.10").status_code == 302

    def test_behind_a_trusted_proxy_each_client_has_its_own_count(self, client, settings):
        settings.KANSOU_TRUSTED_PROXIES = "10.9.0.1"
        UserFactory(username="alice")
        for _ in range(5):
            self.fail(client, username="alice", ip="10.9.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
        via_proxy = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
        assert self.log_in(client, "alice", "10.9.0.1", **via_proxy).status_code == 302

    def test_a_successful_log_in_clears_its_count(self, client, settings):
        settings.KANSOU_LOGIN_RATE = "2/15m"
        UserFactory(username="cai")
        self.fail(client, username="cai", ip="10.1.0.1")
        assert self.log_in(client, "cai", "10.1.0.1").status_code == 302
        client.logout()
        self.fail(client, username="cai", ip="10.1.0.1")
        assert self.log_in(client, "cai", "10.1.0.1").status_code == 302

    def test_the_admin_log_in_counts_too(self, client, settings):
        settings.KANSOU_LOGIN_RATE = "1/15m"
        client.post("/admin/login/", {"username": "dee", "password": "no"}, REMOTE_ADDR="10.2.0.1")
        response = client.post(
            "/admin/login/", {"username": "dee", "password": "no"}, REMOTE_ADDR="10.2.0.1"
        )
        assert "Too many failed log-ins" in response.content.decode()


class TestIpRateHit:
    def test_counts_the_client_behind_a_trusted_proxy(self, rf, settings):
        settings.KANSOU_TRUSTED_PROXIES = "10.9.0.0/24"
        first = rf.post("/", REMOTE_ADDR="10.9.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1")
        other = rf.post("/", REMOTE_ADDR="10.9.0.2", HTTP_X_FORWARDED_FOR="203.0.113.2")
        assert ip_rate_hit(first, scope="t", rates="1/h") == 0
        assert ip_rate_hit(other, scope="t", rates="1/h") == 0
        assert ip_rate_hit(first, scope="t", rates="1/h") > 0


@on_both_backends
def test_an_event_refused_by_its_address_is_not_counted_for_the_account():
    from kansou.community.ratelimit import account_and_ip_hit, rate_wait

    hit = functools.partial(
        account_and_ip_hit, scope="thing", user_id=7, user_rates="2/m", ip_rates="1/m"
    )
    assert hit(ip="10.0.0.1") == 0
    assert hit(ip="10.0.0.1") > 0  # the address's limit
    assert rate_wait(scope="thing-user", ident="7", rates=parse_rates("2/m")) == 0
    assert hit(ip="10.0.0.2") == 0  # the account's second event, from another address
    assert hit(ip="10.0.0.3") > 0  # now the account's limit
