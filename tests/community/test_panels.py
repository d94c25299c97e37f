"""The list panel on an anime's page: add in one click, see and edit the entry, come back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kansou.catalog.panels import ANIME_PANELS
from kansou.community.models import ListEntry
from kansou.community.panels import PANEL, register_panels
from tests.catalog.factories import AnimeFactory

from .factories import AnimeListFactory, ListEntryFactory, UserFactory

pytestmark = pytest.mark.django_db

PLAN = {"status": "plan_to_watch", "score": "0", "episodes_watched": "0"}


@pytest.fixture
def show():
    return AnimeFactory(title="Koe no Katachi", episodes=1)


@pytest.fixture
def reader(client):
    user = UserFactory(username="mai")
    client.force_login(user)
    return user


def test_an_anonymous_reader_gets_a_log_in_link_back_to_the_page_and_no_form(client, show):
    html = client.get(show.get_absolute_url()).text

    login = f"{reverse('login')}?next={show.get_absolute_url()}"
    assert f'<a href="{login}">Log in to add it to your list</a>' in html
    assert reverse("community:entry-save", args=[show.pk]) not in html
    assert "csrfmiddlewaretoken" not in html  # no form: the page stays cacheable


def test_a_reader_adds_the_anime_as_plan_to_watch_in_one_click_and_comes_back(client, reader, show):
    page = client.get(show.get_absolute_url()).text
    assert "Add to your list" in page and ">Plan to watch</button>" in page
    assert f'name="next" value="{show.get_absolute_url()}"' in page

    response = client.post(
        reverse("community:entry-save", args=[show.pk]),
        {**PLAN, "next": show.get_absolute_url()},
    )

    assert response.status_code == 302 and response["Location"] == show.get_absolute_url()
    entry = ListEntry.objects.get()
    assert (entry.anime_list.user, entry.anime, entry.status) == (reader, show, "plan_to_watch")
    after = client.get(show.get_absolute_url()).text
    assert "Added to your list: Koe no Katachi." in after
    assert "On your list" in after and ">Plan to watch</button>" not in after


def test_a_reader_sets_status_score_and_progress_from_the_small_form(client, reader, show):
    client.post(
        reverse("community:entry-save", args=[show.pk]),
        {"status": "completed", "score": "9", "episodes_watched": "1"},
    )
    entry = ListEntry.objects.get()
    assert (entry.status, entry.score, entry.episodes_watched) == ("completed", 9, 1)


def test_an_entry_on_the_list_is_shown_with_a_quick_edit_and_the_full_form(client, reader, show):
    ListEntryFactory(
        anime_list=AnimeListFactory(user=reader),
        anime=show,
        status="watching",
        score=8,
        episodes_watched=0,
    )

    html = client.get(show.get_absolute_url()).text

    assert "On your list" in html
    assert "<span>Watching</span> · <span>★ 8</span> · <span>0/1 ep.</span>" in html
    assert '<option value="watching" selected>' in html
    assert '<option value="8" selected>' in html
    edit = reverse("community:entry-edit", args=[show.pk])
    assert f'href="{edit}?next={show.get_absolute_url()}">More…</a>' in html


def test_the_full_edit_form_comes_back_to_the_anime_page(client, reader, show):
    ListEntryFactory(anime_list=AnimeListFactory(user=reader), anime=show)
    url = reverse("community:entry-edit", args=[show.pk])
    data = {
        "status": "dropped",
        "score": "3",
        "episodes_watched": "0",
        "priority": "low",
        "rewatching_episode": "0",
        "times_rewatched": "0",
        "next": show.get_absolute_url(),
    }
    assert client.post(url, data)["Location"] == show.get_absolute_url()
    assert ListEntry.objects.get().status == "dropped"


def test_anonymous_get_and_post_are_both_sent_to_log_in_and_write_nothing(client, show):
    save = reverse("community:entry-save", args=[show.pk])
    edit = reverse("community:entry-edit", args=[show.pk])
    answers = [
        client.get(save),
        client.post(save, PLAN),
        client.get(edit),
        client.post(edit, PLAN),
    ]
    for response in answers:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('login')}?next=")
    assert not ListEntry.objects.exists()


def test_the_anime_page_costs_one_query_more_for_a_reader(
    client, reader, show, django_assert_num_queries
):
    client.get(show.get_absolute_url())  # warm the session
    # 1 for the user (the session comes from the cache), 2 for the user's and groups'
    # permissions (the edit button's check), 8 for the entry (catalog), 1 for the reviews
    # panel, 4 for discovery's panels (no trained model), 1 for the reader's list entry.
    with django_assert_num_queries(17):
        client.get(show.get_absolute_url())


def test_the_list_panel_comes_first_and_registers_once():
    register_panels()
    register_panels()
    assert list(ANIME_PANELS)[0] == PANEL
    assert list(ANIME_PANELS).count(PANEL) == 1
