"""The review page in a real browser: sections, share row, spoilers, no script from the body."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from kansou.reviews.documents import review_import_text
from tests.catalog.factories import AnimeFactory, ExternalIdFactory

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".kansou" / "screenshots"

REVIEW = """\
---
title: "Koe & Katachi: a test review"
slug: browser-review
anime: https://myanimelist.net/anime/28851
authors: [ana]
status: published
score: 9
labels: [Tearjerker]
summary: A summary.
audience:
  - name: Drama fans
    why: Because.
    comparable: [https://myanimelist.net/anime/2167]
characters:
  - name: Shouya
    text: A character.
themes:
  - name: Atonement
    text: A theme.
final_thoughts: Final words.
sections:
  - heading: The bridge
    body: |
      ::: spoiler The ending
      Hidden words.
      :::
---

Intro text.

<script>window.pwned = "script"</script>
<img src="/static/kansou/share.js" onerror="window.pwned = 'onerror'">
<a href="javascript:window.pwned='link'" id="bad-link">bad link</a>
"""


@pytest.fixture
def review(db):
    koe = AnimeFactory(title="Koe no Katachi", kind="MOVIE", picture="", thumbnail="")
    ExternalIdFactory(anime=koe, site="myanimelist", url="https://myanimelist.net/anime/28851")
    clannad = AnimeFactory(title="Clannad", picture="", thumbnail="")
    ExternalIdFactory(anime=clannad, site="myanimelist", url="https://myanimelist.net/anime/2167")
    return review_import_text(text=REVIEW).review


def test_review_page_shows_its_sections(page, live_server, review):
    page.goto(live_server.url + review.get_absolute_url())
    headings = page.locator("main h2:not(.visually-hidden)").all_inner_texts()
    for heading in ["About Koe no Katachi", "Who should watch", "Characters", "Themes",
                    "The bridge", "Final thoughts", "Share this review"]:  # fmt: skip
        assert heading in headings
    assert page.locator("h1").inner_text() == "Koe & Katachi: a test review"
    assert page.get_by_role("link", name="Clannad").get_attribute("href").endswith("/")
    assert page.errors == []


def test_copy_link_puts_the_url_on_the_clipboard(page, live_server, review):
    url = live_server.url + review.get_absolute_url()
    page.goto(url)
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == url


def test_x_link_carries_title_and_url(page, live_server, review):
    url = live_server.url + review.get_absolute_url()
    page.goto(url)
    href = page.get_by_role("link", name="Post to X").get_attribute("href")
    parts = urllib.parse.urlsplit(href)
    query = urllib.parse.parse_qs(parts.query)
    assert (parts.netloc, parts.path) == ("x.com", "/intent/post")
    assert query == {"text": ["Koe & Katachi: a test review"], "url": [url]}


def test_share_button_matches_web_share_support(page, live_server, review):
    page.goto(live_server.url + review.get_absolute_url())
    supported = page.evaluate("typeof navigator.share === 'function'")
    assert page.locator("[data-share-native]").is_visible() == supported


def test_spoiler_opens_on_click_and_with_the_keyboard(page, live_server, review):
    page.goto(live_server.url + review.get_absolute_url())
    hidden = page.get_by_text("Hidden words.")
    assert not hidden.is_visible()
    page.locator("summary", has_text="The ending").click()
    assert hidden.is_visible()
    page.locator("summary", has_text="The ending").press("Enter")
    assert not hidden.is_visible()


def test_script_in_the_review_body_never_runs(page, live_server, review):
    page.goto(live_server.url + review.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.pwned") is None
    assert (
        page.locator("#bad-link").count() == 0 or not page.locator("a[href^='javascript']").count()
    )
    assert page.errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshot_at_phone_and_desktop_width(page, live_server, review, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + review.get_absolute_url())
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, "the page scrolls sideways"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"review-{width}.png", full_page=True)
