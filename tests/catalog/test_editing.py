"""Editing an entry in the browser: author-only forms that store local corrections."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from kansou.catalog.models import AnimeTitle, Character, Origin, StaffCredit
from kansou.catalog.services.corrections import ERROR_ALREADY_SHOWN, anime_correct
from tests.catalog.factories import (
    AnimeCompanyFactory,
    AnimeFactory,
    AnimeTagFactory,
    AnimeTitleFactory,
    CharacterFactory,
    CompanyFactory,
    StaffCreditFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def author_client(client):
    user = get_user_model().objects.create_user("author", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="change_anime"))
    client.force_login(user)
    return client


@pytest.fixture
def anime():
    return AnimeFactory(title="Cowboy Bebop", episodes=26, year=1998, score=8.6)


def edit_url(anime, section: str = "") -> str:
    name = f"catalog:anime-edit-{section}" if section else "catalog:anime-edit"
    return reverse(name, args=[anime.pk])


def facts(anime, **changes) -> dict:
    """The facts form as the browser posts it, unchanged unless ``changes`` say otherwise."""
    data = {
        "title": anime.title,
        "kind": anime.kind,
        "episodes": anime.episodes,
        "status": anime.status,
        "season": anime.season,
        "year": anime.year or "",
        "duration_minutes": round(anime.duration_seconds / 60) if anime.duration_seconds else "",
        "score": anime.score if anime.score is not None else "",
        "picture": anime.picture,
        "thumbnail": anime.thumbnail,
    }
    return {**data, **changes}


def last_notice(response) -> str:
    return [str(m) for m in response.context["messages"]][-1]


class TestPermission:
    def test_anonymous_visitor_is_sent_to_log_in(self, client, anime):
        response = client.get(edit_url(anime))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")

    def test_user_without_permission_is_forbidden(self, client, anime):
        client.force_login(get_user_model().objects.create_user("reader", password="pw"))
        assert client.get(edit_url(anime)).status_code == 403
        response = client.post(edit_url(anime, "tags"), {"action": "add", "tag-name": "x"})
        assert response.status_code == 403
        assert not anime.anime_tags.exists()

    def test_author_with_permission_sees_the_form(self, author_client, anime):
        response = author_client.get(edit_url(anime))
        assert response.status_code == 200
        assert b"<script" not in response.content

    def test_post_without_csrf_token_is_refused(self, anime):
        client = Client(enforce_csrf_checks=True)
        user = get_user_model().objects.create_superuser("admin", password="pw")
        client.force_login(user)
        response = client.post(edit_url(anime), facts(anime, episodes=27))
        assert response.status_code == 403


class TestFacts:
    def test_page_shows_the_imported_value_and_resets_only_for_corrected_fields(
        self, author_client, anime
    ):
        anime_correct(anime=anime, values={"episodes": 27}, by=None)
        page = author_client.get(edit_url(anime)).content.decode()
        assert "Imported: 26" in page
        assert 'name="field" value="episodes"' in page
        assert 'name="field" value="year"' not in page

    def test_changed_fields_become_corrections_and_unchanged_ones_do_not(
        self, author_client, anime
    ):
        response = author_client.post(edit_url(anime), facts(anime, episodes=27), follow=True)
        anime.refresh_from_db()
        assert anime.episodes == 27 and anime.local_overrides == {"episodes": 27}
        assert last_notice(response) == "Saved corrections: episodes."

    def test_episode_length_is_entered_in_minutes(self, author_client, anime):
        author_client.post(edit_url(anime), facts(anime, duration_minutes=25))
        anime.refresh_from_db()
        assert anime.duration_seconds == 1500

    def test_invalid_value_is_shown_next_to_the_field_and_nothing_is_saved(
        self, author_client, anime
    ):
        response = author_client.post(edit_url(anime), facts(anime, episodes=-1, year=2020))
        assert response.status_code == 200
        assert response.context["scalars"].errors["episodes"]
        assert 'aria-invalid="true"' in response.content.decode()
        anime.refresh_from_db()
        assert anime.local_overrides == {} and anime.year == 1998

    def test_reset_button_restores_the_imported_value(self, author_client, anime):
        anime_correct(anime=anime, values={"score": 9.5}, by=None)
        response = author_client.post(edit_url(anime, "reset"), {"field": "score"}, follow=True)
        anime.refresh_from_db()
        assert anime.score == 8.6 and anime.local_overrides == {}
        assert last_notice(response) == "score: imported value restored."


class TestTags:
    def test_add_hide_and_restore(self, author_client, anime):
        imported = AnimeTagFactory(anime=anime, tag=TagFactory(name="ecchi"))
        author_client.post(edit_url(anime, "tags"), {"action": "add", "tag-name": "Noir"})
        assert anime.anime_tags.get(tag__name="noir").origin == Origin.LOCAL
        author_client.post(edit_url(anime, "tags"), {"action": "hide", "row": imported.pk})
        assert list(anime.anime_tags.shown().values_list("tag__name", flat=True)) == ["noir"]
        hidden = anime.anime_tags.get(origin=Origin.HIDDEN)
        response = author_client.post(
            edit_url(anime, "tags"), {"action": "restore", "row": hidden.pk}, follow=True
        )
        assert anime.anime_tags.shown().count() == 2
        assert last_notice(response) == "Tag “ecchi”: restored."

    def test_a_tag_already_shown_is_reported_next_to_the_field(self, author_client, anime):
        AnimeTagFactory(anime=anime, tag=TagFactory(name="space"))
        response = author_client.post(
            edit_url(anime, "tags"), {"action": "add", "tag-name": "space"}
        )
        assert response.context["tag_form"].errors == {"name": [ERROR_ALREADY_SHOWN]}

    def test_a_row_of_another_entry_is_not_found(self, author_client, anime):
        other = AnimeTagFactory()
        response = author_client.post(edit_url(anime, "tags"), {"action": "hide", "row": other.pk})
        assert response.status_code == 404


class TestCompanies:
    def test_add_a_studio_and_hide_an_imported_producer(self, author_client, anime):
        producer = AnimeCompanyFactory(
            anime=anime, company=CompanyFactory(name="Bandai"), role="producer"
        )
        author_client.post(
            edit_url(anime, "companies"),
            {"action": "add", "company-name": "Sunrise", "company-role": "studio"},
        )
        author_client.post(edit_url(anime, "companies"), {"action": "hide", "row": producer.pk})
        shown = anime.anime_companies.shown()
        assert [(r.company.name, r.role, r.origin) for r in shown] == [
            ("Sunrise", "studio", Origin.LOCAL)
        ]


class TestTitles:
    def test_add_hide_and_restore(self, author_client, anime):
        wrong = AnimeTitleFactory(anime=anime, text="Wrong Title")
        author_client.post(
            edit_url(anime, "titles"),
            {
                "action": "add",
                "title-text": "カウボーイビバップ",
                "title-kind": "native",
                "title-language": "",
            },
        )
        added = anime.titles.get(origin=Origin.LOCAL)
        assert (added.kind, added.language) == (AnimeTitle.Kind.NATIVE, "ja")
        author_client.post(edit_url(anime, "titles"), {"action": "hide", "row": wrong.pk})
        assert not anime.titles.shown().filter(text="Wrong Title").exists()
        hidden = anime.titles.get(origin=Origin.HIDDEN)
        author_client.post(edit_url(anime, "titles"), {"action": "restore", "row": hidden.pk})
        assert anime.titles.shown().filter(text="Wrong Title").exists()

    def test_invalid_language_is_shown_next_to_the_field(self, author_client, anime):
        response = author_client.post(
            edit_url(anime, "titles"),
            {
                "action": "add",
                "title-text": "Bebop",
                "title-kind": "synonym",
                "title-language": "not a tag",
            },
        )
        assert list(response.context["title_form"].errors) == ["language"]
        assert not anime.titles.filter(origin=Origin.LOCAL).exists()


class TestStaff:
    def test_add_edit_and_remove_a_credit(self, author_client, anime):
        author_client.post(
            edit_url(anime, "staff"),
            {
                "action": "add",
                "staff-new-person_name": "Shinichirō Watanabe",
                "staff-new-role": "Director",
                "staff-new-person_native_name": "渡辺信一郎",
            },
        )
        credit = StaffCredit.objects.get(anime=anime)
        assert (credit.person.name, credit.role, credit.origin) == (
            "Shinichirō Watanabe",
            "Director",
            Origin.LOCAL,
        )
        prefix = f"staff-{credit.pk}"
        author_client.post(
            edit_url(anime, "staff"),
            {
                "action": "edit",
                "row": credit.pk,
                f"{prefix}-person_name": "Yoko Kanno",
                f"{prefix}-role": "Music",
                f"{prefix}-person_native_name": "",
            },
        )
        credit.refresh_from_db()
        assert (credit.person.name, credit.role) == ("Yoko Kanno", "Music")
        author_client.post(edit_url(anime, "staff"), {"action": "remove", "row": credit.pk})
        assert not StaffCredit.objects.exists()

    def test_edit_errors_are_shown_on_that_credit(self, author_client, anime):
        credit = StaffCreditFactory(anime=anime)
        response = author_client.post(
            edit_url(anime, "staff"),
            {
                "action": "edit",
                "row": credit.pk,
                f"staff-{credit.pk}-person_name": "X",
                f"staff-{credit.pk}-role": "",
            },
        )
        forms = dict(response.context["staff"])
        assert list(forms[credit].errors) == ["role"]


class TestCharacters:
    def test_add_edit_and_remove_a_character(self, author_client, anime):
        author_client.post(
            edit_url(anime, "characters"),
            {
                "action": "add",
                "character-new-name": "Spike Spiegel",
                "character-new-native_name": "スパイク",
                "character-new-role": "main",
                "character-new-description": "A bounty hunter.",
            },
        )
        character = Character.objects.get(anime=anime)
        assert (character.name, character.origin) == ("Spike Spiegel", Origin.LOCAL)
        prefix = f"character-{character.pk}"
        author_client.post(
            edit_url(anime, "characters"),
            {
                "action": "edit",
                "row": character.pk,
                f"{prefix}-name": "Spike Spiegel",
                f"{prefix}-native_name": "",
                f"{prefix}-role": "supporting",
                f"{prefix}-description": "",
            },
        )
        character.refresh_from_db()
        assert character.role == "supporting"
        response = author_client.post(
            edit_url(anime, "characters"), {"action": "remove", "row": character.pk}, follow=True
        )
        assert not Character.objects.exists()
        assert last_notice(response) == "Removed Spike Spiegel."

    def test_page_lists_existing_characters_with_their_forms(self, author_client, anime):
        CharacterFactory(anime=anime, name="Faye Valentine")
        page = author_client.get(edit_url(anime)).content.decode()
        assert 'value="Faye Valentine"' in page


class TestAdmin:
    @pytest.fixture
    def admin_client(self, client):
        client.force_login(get_user_model().objects.create_superuser("admin", password="pw"))
        return client

    def test_anime_are_found_by_any_title(self, admin_client, anime):
        AnimeTitleFactory(anime=anime, text="カウボーイビバップ")
        AnimeFactory(title="Trigun")
        url = reverse("admin:catalog_anime_changelist")
        for query in ("bebop", "カウボーイ"):
            response = admin_client.get(url, {"q": query})
            assert [a.title for a in response.context["cl"].result_list] == ["Cowboy Bebop"]

    def test_every_catalog_page_renders(self, admin_client, anime):
        AnimeTagFactory(anime=anime)
        StaffCreditFactory(anime=anime)
        for model in (
            "anime",
            "animetitle",
            "tag",
            "animetag",
            "company",
            "animecompany",
            "person",
            "staffcredit",
            "character",
            "correction",
        ):
            response = admin_client.get(reverse(f"admin:catalog_{model}_changelist"))
            assert response.status_code == 200, model
        change = admin_client.get(reverse("admin:catalog_anime_change", args=[anime.pk]))
        assert change.status_code == 200
        assert edit_url(anime).encode() in change.content

    def test_imported_rows_are_view_only_and_local_rows_editable(self, admin_client, anime):
        imported = AnimeTagFactory(anime=anime, origin=Origin.IMPORTED)
        local = AnimeTagFactory(anime=anime, origin=Origin.LOCAL)
        imported_page = admin_client.get(
            reverse("admin:catalog_animetag_change", args=[imported.pk])
        )
        local_page = admin_client.get(reverse("admin:catalog_animetag_change", args=[local.pk]))
        assert not imported_page.context["has_change_permission"]
        assert local_page.context["has_change_permission"]
        delete = admin_client.post(
            reverse("admin:catalog_animetag_delete", args=[imported.pk]), {"post": "yes"}
        )
        assert delete.status_code == 403
