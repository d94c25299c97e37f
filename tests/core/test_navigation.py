"""The header's fixed links: reversed once, right under any script prefix."""

from __future__ import annotations

import pytest
from django.urls import set_script_prefix

from kansou.core.navigation import LINKS, site_links


def test_every_link_is_the_path_of_its_view():
    links = site_links()
    assert set(links) == set(LINKS)
    assert links["home"] == "/" and links["login"] == "/accounts/login/"


def test_a_site_served_under_a_prefix_links_under_it():
    try:
        set_script_prefix("/blog/")
        assert site_links()["search"].startswith("/blog/")
    finally:
        set_script_prefix("/")
    assert not site_links()["search"].startswith("/blog/")


@pytest.mark.django_db
def test_the_header_of_a_page_carries_the_links(client):
    html = client.get(site_links()["catalog"]).content.decode()
    links = site_links()
    for name in ("home", "atom", "rss", "search", "catalog", "discover", "login", "sign_up"):
        assert f'"{links[name]}' in html, name
