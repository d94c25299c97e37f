"""The client address behind trusted proxies, and never from a stranger's headers."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from kansou.core.clientip import client_ip, parse_proxies

PROXY = "10.9.0.1"


def ip(remote: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


@pytest.fixture
def behind_proxy(settings):
    settings.KANSOU_TRUSTED_PROXIES = f"{PROXY}, 172.16.0.0/12"


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.KANSOU_TRUSTED_PROXIES = ""
    assert ip("203.0.113.5", "198.51.100.1") == "203.0.113.5"


def test_behind_a_trusted_proxy_the_forwarded_client_is_used(behind_proxy):
    assert ip(PROXY, "203.0.113.5") == "203.0.113.5"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client made up the left-hand entry
        ("203.0.113.5, 172.16.3.4", "203.0.113.5"),  # two trusted proxies in a row
        ("not-an-ip, 203.0.113.5", "203.0.113.5"),
        ("203.0.113.5, not-an-ip", PROXY),  # garbage from the proxy side: the proxy itself
        ("", PROXY),
        ("172.16.3.4", "172.16.3.4"),  # every hop trusted: the first one
        ("2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_rightmost_untrusted_address_is_the_client(behind_proxy, forwarded, client):
    assert ip(PROXY, forwarded) == client


def test_a_stranger_cannot_choose_its_address_with_the_header(behind_proxy):
    assert ip("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_an_ipv4_mapped_peer_counts_as_the_proxy(behind_proxy):
    assert ip(f"::ffff:{PROXY}", "203.0.113.5") == "203.0.113.5"


def test_a_bad_setting_names_the_entry():
    with pytest.raises(ValueError, match="'proxy.example'"):
        parse_proxies("10.0.0.1, proxy.example")


def test_comment_limits_use_the_same_function():
    from kansou.community.comments import views as comments_views

    assert comments_views.client_ip is client_ip
