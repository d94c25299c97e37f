"""Reading lists in a real browser: a reader adds an anime from its page, edits the entry there,
and finds it on their list. Plain forms: no script needed."""

from __future__ import annotations

import pytest

from kansou.community.models import ListEntry
from tests.catalog.factories import AnimeFactory
from tests.community.comment_factories import ReaderFactory
from tests.community.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_adds_an_anime_to_their_list_from_its_page(page, live_server):
    show = AnimeFactory(title="Koe no Katachi", episodes=1, picture="", thumbnail="")
    reader = ReaderFactory(username="shouko")
    anime_url = f"{live_server.url}{show.get_absolute_url()}"

    page.goto(anime_url)
    page.get_by_role("link", name="Log in to add it to your list").click()
    page.get_by_label("Username").fill("shouko")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Add to your list").wait_for()
    assert page.url == anime_url  # the log-in link comes back to the anime's page

    page.get_by_role("button", name="Plan to watch").click()
    page.get_by_text("Added to your list: Koe no Katachi.").wait_for()
    assert page.url == anime_url
    panel = page.locator("section.list-panel")
    assert panel.get_by_role("heading", name="On your list").is_visible()

    panel.get_by_label("Status").select_option("completed")
    panel.get_by_label("Score").select_option("9")
    panel.get_by_label("Episodes").fill("1")
    panel.get_by_role("button", name="Save").click()
    page.get_by_text("Updated Koe no Katachi.").wait_for()
    assert page.url == anime_url

    entry = ListEntry.objects.get(anime_list__user=reader)
    assert (entry.anime, entry.status, entry.score, entry.episodes_watched) == (
        show,
        "completed",
        9,
        1,
    )
    page.get_by_role("link", name="Your list").click()
    assert page.locator("li.entry", has_text="Koe no Katachi").is_visible()
    assert page.errors == []
