"""List pages: privacy, inline edits, the full edit form, import upload and export download."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from kansou.community.models import ListEntry, Privacy
from tests.catalog.factories import AnimeFactory

from .factories import AnimeListFactory, ListEntryFactory, UserFactory, mal_anime
from .mal_files import anime, gzipped, mal_xml

pytestmark = pytest.mark.django_db


def list_url(user) -> str:
    return reverse("community:list", args=[user.username])


@pytest.fixture
def reader(client):
    user = UserFactory(username="mai")
    client.force_login(user)
    return user


class TestListPage:
    def test_private_list_page_is_403_for_others_and_open_to_its_owner(self, client):
        entry = ListEntryFactory(anime_list=AnimeListFactory(privacy=Privacy.PRIVATE))
        owner = entry.anime_list.user

        anonymous = client.get(list_url(owner))
        client.force_login(UserFactory())
        other = client.get(list_url(owner))
        client.force_login(owner)
        own = client.get(list_url(owner))

        for response in (anonymous, other):
            assert response.status_code == 403
            assert entry.anime.title not in response.text
        assert own.status_code == 200 and entry.anime.title in own.text

    def test_public_list_has_no_edit_forms_for_visitors(self, client):
        entry = ListEntryFactory()
        page = client.get(list_url(entry.anime_list.user))
        assert entry.anime.title in page.text
        assert reverse("community:entry-save", args=[entry.anime_id]) not in page.text

    def test_status_filter(self, client):
        anime_list = AnimeListFactory()
        ListEntryFactory(anime_list=anime_list, anime=AnimeFactory(title="Now"), status="watching")
        ListEntryFactory(anime_list=anime_list, anime=AnimeFactory(title="Done"))
        page = client.get(list_url(anime_list.user), {"status": "watching"})
        assert [e.anime.title for e in page.context["page"].object_list] == ["Now"]
        assert "Watching (1)" in page.text

    def test_my_list_redirects_to_the_readers_own_list(self, client, reader):
        assert client.get(reverse("community:my-list"))["Location"] == list_url(reader)

    def test_list_page_query_count_does_not_grow_with_entries(
        self, client, django_assert_max_num_queries
    ):
        anime_list = AnimeListFactory()
        ListEntryFactory.create_batch(30, anime_list=anime_list)
        client.force_login(anime_list.user)
        with django_assert_max_num_queries(8):
            assert client.get(list_url(anime_list.user)).status_code == 200


class TestInlineEdits:
    def test_add_then_update_from_the_small_form(self, client, reader):
        show = AnimeFactory(episodes=12)
        url = reverse("community:entry-save", args=[show.pk])

        client.post(url, {"status": "watching", "score": "0", "episodes_watched": "3"})
        response = client.post(
            url, {"status": "completed", "score": "9", "episodes_watched": "12", "next": "/anime/"}
        )

        assert response["Location"] == "/anime/"
        entry = ListEntry.objects.get()
        assert (entry.anime_list.user, entry.status, entry.score, entry.episodes_watched) == (
            reader,
            "completed",
            9,
            12,
        )

    def test_invalid_values_are_reported_and_not_saved(self, client, reader):
        show = AnimeFactory(episodes=12, title="Short one")
        url = reverse("community:entry-save", args=[show.pk])
        response = client.post(
            url, {"status": "watching", "score": "0", "episodes_watched": "40"}, follow=True
        )
        assert "Short one not saved" in response.text
        assert not ListEntry.objects.exists()

    def test_anonymous_visitors_are_sent_to_log_in_and_get_is_refused(self, client):
        url = reverse("community:entry-save", args=[AnimeFactory().pk])
        assert client.post(url, {"status": "watching"})["Location"].startswith("/accounts/login/")
        client.force_login(UserFactory())
        assert client.get(url).status_code == 405

    def test_needs_a_csrf_token(self, reader):
        client = Client(enforce_csrf_checks=True)
        client.force_login(reader)
        url = reverse("community:entry-save", args=[AnimeFactory().pk])
        assert client.post(url, {"status": "watching", "score": 0}).status_code == 403

    def test_full_edit_form_sets_dates_and_notes_and_delete_removes(self, client, reader):
        show = AnimeFactory(episodes=12)
        url = reverse("community:entry-edit", args=[show.pk])
        assert client.get(url).status_code == 200
        data = {
            "status": "completed",
            "score": "8",
            "episodes_watched": "12",
            "started_on": "2024-01-02",
            "finished_on": "2024-01-01",
            "priority": "low",
            "rewatching_episode": "0",
            "times_rewatched": "0",
            "notes": "Lovely",
        }
        bad = client.post(url, data)
        assert "finish date is before the start date" in bad.text

        client.post(url, {**data, "finished_on": "2024-02-01"})
        entry = ListEntry.objects.get()
        assert (str(entry.finished_on), entry.notes) == ("2024-02-01", "Lovely")

        client.post(reverse("community:entry-delete", args=[show.pk]))
        assert not ListEntry.objects.exists()

    def test_privacy_form(self, client, reader):
        client.post(reverse("community:list-privacy"), {"privacy": "private"})
        assert reader.anime_list.privacy == Privacy.PRIVATE


class TestAddToListInclude:
    def render(self, user, anime) -> str:
        request = RequestFactory().get(anime.get_absolute_url())
        request.user = user
        template = Template('{% include "community/_add_to_list.html" %}')
        return template.render(Context({"anime": anime, "request": request, "user": user}))

    def test_offers_to_add_or_shows_the_current_entry(self):
        user, show = UserFactory(), AnimeFactory()
        assert "Add to your list" in self.render(user, show)
        ListEntryFactory(anime_list=AnimeListFactory(user=user), anime=show, status="dropped")
        html = self.render(user, show)
        assert "On your list" in html
        assert '<option value="dropped" selected>' in html


class TestImportAndExport:
    def test_upload_imports_and_shows_the_report(self, client, reader):
        mal_anime(1, title="Cowboy Bebop", episodes=26)
        data = gzipped(mal_xml(anime(1, my_watched_episodes=26), anime(2, "Missing")))
        upload = SimpleUploadedFile("animelist_1_-_2.xml.gz", data, "application/gzip")

        response = client.post(reverse("community:list-import"), {"file": upload})

        assert response.status_code == 200
        report = response.context["report"]
        assert (report.created, report.unmatched) == (1, [(2, "Missing")])
        assert "Not in the catalog (1)" in response.text
        assert reader.anime_list.entries.count() == 1

    def test_unsafe_or_broken_file_is_an_error_on_the_form(self, client, reader):
        data = mal_xml(anime(1), prologue='<!DOCTYPE x [<!ENTITY a "b">]>\n')
        upload = SimpleUploadedFile("animelist.xml", data, "text/xml")
        response = client.post(reverse("community:list-import"), {"file": upload})
        assert "Refused" in str(response.context["form"].errors["file"])
        assert response.context["report"] is None

    def test_oversized_upload_is_refused(self, client, reader, monkeypatch):
        monkeypatch.setattr("kansou.community.forms.MAX_COMPRESSED", 10)
        upload = SimpleUploadedFile("animelist.xml", mal_xml(anime(1)), "text/xml")
        response = client.post(reverse("community:list-import"), {"file": upload})
        assert "larger than" in str(response.context["form"].errors["file"])

    def test_exports_download_as_attachments_of_the_readers_own_list(self, client, reader):
        ListEntryFactory(anime_list=AnimeListFactory(user=reader), anime=mal_anime(5))
        ListEntryFactory(anime=mal_anime(6))  # another reader's

        xml = client.get(reverse("community:list-export", args=["xml"]))
        csv = client.get(reverse("community:list-export", args=["csv"]))

        assert xml["Content-Type"].startswith("application/xml")
        assert 'filename="animelist_kansou_mai.xml"' in xml["Content-Disposition"]
        assert b"<series_animedb_id>5</series_animedb_id>" in xml.content
        assert b"<series_animedb_id>6</series_animedb_id>" not in xml.content
        assert csv["Content-Type"].startswith("text/csv")
        assert len(csv.content.decode().splitlines()) == 2
        assert client.get("/list/export.json").status_code == 404


@pytest.mark.parametrize("change", ["add", "remove", "private"])
def test_a_list_change_refreshes_the_cached_public_page(settings, change):
    """Anonymous readers get cached pages; the owner's change shows at once, not in 5 minutes."""
    from kansou.community import services

    settings.KANSOU_PAGE_CACHE_SECONDS = 300
    owner = UserFactory(username="rin")
    kept, other = AnimeFactory(title="KEPT-TITLE"), AnimeFactory(title="OTHER-TITLE")
    services.list_entry_save(user=owner, anime=kept, values={"status": "watching"})
    if change == "remove":
        services.list_entry_save(user=owner, anime=other, values={"status": "watching"})
    anonymous = Client()
    anonymous.get(list_url(owner))
    assert anonymous.get(list_url(owner))["X-Kansou-Cache"] == "hit"
    if change == "add":
        services.list_entry_save(user=owner, anime=other, values={"status": "watching"})
    elif change == "remove":
        services.list_entry_delete(user=owner, anime=other)
    else:
        services.anime_list_set_privacy(user=owner, privacy=Privacy.PRIVATE)
    response = anonymous.get(list_url(owner))
    assert response.get("X-Kansou-Cache") != "hit"
    html = response.content.decode()
    if change == "add":
        assert "OTHER-TITLE" in html
    elif change == "remove":
        assert "OTHER-TITLE" not in html
    else:
        assert "KEPT-TITLE" not in html
