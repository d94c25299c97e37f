"""Local corrections: stored apart from imported values, shown over them, kept across imports."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from kansou.catalog.importers.offline_db import open_catalog
from kansou.catalog.models import (
    Anime,
    AnimeCompany,
    AnimeTag,
    AnimeTitle,
    AnimeType,
    Character,
    Correction,
    Origin,
    StaffCredit,
    Tag,
)
from kansou.catalog.services.corrections import (
    ERROR_ALREADY_SHOWN,
    ERROR_BLANK,
    ERROR_CHOICE,
    ERROR_MAIN_TITLE,
    ERROR_NOT_CORRECTABLE,
    ERROR_NOT_HIDDEN,
    ERROR_NOT_OVERRIDDEN,
    ERROR_RANGE,
    ERROR_URL,
    ERROR_WHOLE_NUMBER,
    anime_character_add,
    anime_character_edit,
    anime_character_remove,
    anime_company_add,
    anime_company_hide,
    anime_company_restore,
    anime_correct,
    anime_reset_field,
    anime_staff_add,
    anime_staff_edit,
    anime_staff_remove,
    anime_tag_add,
    anime_tag_hide,
    anime_tag_restore,
    anime_title_add,
    anime_title_hide,
    anime_title_restore,
)
from kansou.catalog.services.importing import catalog_import
from tests.catalog.aod_files import record, write_jsonl
from tests.catalog.factories import (
    AnimeCompanyFactory,
    AnimeFactory,
    AnimeTagFactory,
    AnimeTitleFactory,
    CompanyFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return get_user_model().objects.create_user("author", password="pw")


def shown_tags(anime: Anime) -> list[str]:
    return sorted(anime.anime_tags.shown().values_list("tag__name", flat=True))


def shown_studios(anime: Anime) -> list[str]:
    rows = anime.anime_companies.shown().filter(role=AnimeCompany.Role.STUDIO)
    return sorted(rows.values_list("company__name", flat=True))


def shown_titles(anime: Anime) -> list[str]:
    return sorted(anime.titles.shown().values_list("text", flat=True))


class TestAnimeCorrect:
    def test_override_wins_over_the_imported_value_and_is_marked_local(self, author):
        anime = AnimeFactory(episodes=12)
        anime_correct(anime=anime, values={"episodes": 13, "kind": "ONA"}, by=author)
        anime.refresh_from_db()
        assert (anime.episodes, anime.kind) == (13, "ONA")
        assert anime.imported["episodes"] == 12
        assert anime.is_local("episodes") and not anime.is_local("year")

    def test_empty_value_drops_the_override_and_restores_the_import(self):
        anime = AnimeFactory(year=2016)
        anime_correct(anime=anime, values={"year": 2017}, by=None)
        anime_correct(anime=anime, values={"year": None}, by=None)
        anime.refresh_from_db()
        assert anime.year == 2016 and not anime.is_local("year")

    def test_every_change_is_logged_with_its_author(self, author):
        anime = AnimeFactory(episodes=12)
        anime_correct(anime=anime, values={"episodes": 24}, by=author)
        log = Correction.objects.get(anime=anime)
        assert (log.field, log.action, log.old, log.new, log.user) == (
            "episodes",
            "set",
            None,
            24,
            author,
        )

    def test_corrected_title_is_found_by_title_search(self):
        anime = AnimeFactory(title="Kimi no Na wa.")
        anime_correct(anime=anime, values={"title": "Your Name."}, by=None)
        local = anime.titles.get(origin=Origin.LOCAL)
        assert (local.text, local.kind, local.normalized) == (
            "Your Name.",
            AnimeTitle.Kind.MAIN,
            "your name",
        )
        assert Anime.objects.get(pk=anime.pk).title == "Your Name."

    def test_resetting_the_title_removes_its_local_title_row(self):
        anime = AnimeFactory(title="Kimi no Na wa.")
        anime_correct(anime=anime, values={"title": "Your Name."}, by=None)
        anime_reset_field(anime=anime, field="title", by=None)
        assert anime.title == "Kimi no Na wa."
        assert not anime.titles.filter(origin=Origin.LOCAL).exists()

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("synopsis", "Mine.", ERROR_NOT_CORRECTABLE),
            ("import_hash", "x", ERROR_NOT_CORRECTABLE),
            ("episodes", -1, ERROR_RANGE.format(low=0, high=10000)),
            ("episodes", "12", ERROR_WHOLE_NUMBER),
            ("episodes", True, ERROR_WHOLE_NUMBER),
            ("year", 1800, ERROR_RANGE.format(low=1907, high=2200)),
            ("score", 11, ERROR_RANGE.format(low=1, high=10)),
            ("kind", "SERIES", ERROR_CHOICE.format(choices=", ".join(AnimeType.values))),
            ("picture", "not a url", ERROR_URL),
            ("title", "   ", None),
        ],
    )
    def test_invalid_value_raises_naming_the_field_and_writes_nothing(self, field, value, message):
        anime = AnimeFactory(episodes=12, title="Original")
        with pytest.raises(ValidationError) as caught:
            anime_correct(anime=anime, values={"episodes": 13, field: value}, by=None)
        assert list(caught.value.message_dict) == [field]
        if message:
            assert caught.value.message_dict[field] == [message]
        anime.refresh_from_db()
        assert anime.episodes == 12 and anime.local_overrides == {}
        assert not Correction.objects.exists()

    def test_blank_title_counts_as_no_correction(self):
        anime = AnimeFactory(title="Original")
        anime_correct(anime=anime, values={"title": ""}, by=None)
        assert anime.title == "Original" and anime.local_overrides == {}


class TestAnimeResetField:
    def test_restores_the_imported_value(self):
        anime = AnimeFactory(score=7.5, local_overrides={"score": 9.0})
        anime_reset_field(anime=anime, field="score", by=None)
        anime.refresh_from_db()
        assert anime.score == 7.5 and anime.local_overrides == {}

    def test_refuses_a_field_without_a_correction(self):
        anime = AnimeFactory()
        with pytest.raises(ValidationError) as caught:
            anime_reset_field(anime=anime, field="score", by=None)
        assert caught.value.message_dict == {"score": [ERROR_NOT_OVERRIDDEN]}


class TestTags:
    def test_added_tag_is_a_local_row_and_shown(self):
        anime = AnimeFactory()
        row = anime_tag_add(anime=anime, name="Time Travel", by=None)
        assert (row.origin, row.tag.name, row.tag.slug) == (
            Origin.LOCAL,
            "time travel",
            "time-travel",
        )
        assert shown_tags(anime) == ["time travel"]

    def test_adding_a_tag_already_shown_is_refused(self):
        anime = AnimeTagFactory(tag=TagFactory(name="drama")).anime
        with pytest.raises(ValidationError) as caught:
            anime_tag_add(anime=anime, name="Drama", by=None)
        assert caught.value.message_dict == {"name": [ERROR_ALREADY_SHOWN]}

    def test_hidden_imported_tag_is_not_shown_and_restore_brings_it_back(self):
        row = AnimeTagFactory(tag=TagFactory(name="ecchi"))
        anime, tag = row.anime, row.tag
        anime_tag_hide(anime=anime, tag=tag, by=None)
        assert shown_tags(anime) == []
        assert Anime.objects.tagged(tag.slug).count() == 0
        assert anime.anime_tags.filter(origin=Origin.IMPORTED).exists()
        anime_tag_restore(anime=anime, tag=tag, by=None)
        assert shown_tags(anime) == ["ecchi"]

    def test_hiding_a_local_tag_deletes_it(self):
        anime = AnimeFactory()
        row = anime_tag_add(anime=anime, name="mecha", by=None)
        anime_tag_hide(anime=anime, tag=row.tag, by=None)
        assert not anime.anime_tags.exists()

    def test_adding_a_hidden_tag_shows_the_imported_one_again(self):
        row = AnimeTagFactory(tag=TagFactory(name="drama"))
        anime_tag_hide(anime=row.anime, tag=row.tag, by=None)
        anime_tag_add(anime=row.anime, name="drama", by=None)
        assert list(row.anime.anime_tags.values_list("origin", flat=True)) == [Origin.IMPORTED]

    def test_restoring_a_tag_that_is_not_hidden_is_refused(self):
        row = AnimeTagFactory()
        with pytest.raises(ValidationError) as caught:
            anime_tag_restore(anime=row.anime, tag=row.tag, by=None)
        assert caught.value.message_dict == {"tag": [ERROR_NOT_HIDDEN]}


class TestCompanies:
    def test_added_studio_and_producer_are_local_rows(self):
        anime = AnimeFactory()
        anime_company_add(anime=anime, name="Madhouse", role="studio", by=None)
        anime_company_add(anime=anime, name="Aniplex", role="producer", by=None)
        rows = anime.anime_companies.order_by("role")
        assert [(r.company.name, r.role, r.origin) for r in rows] == [
            ("Aniplex", "producer", Origin.LOCAL),
            ("Madhouse", "studio", Origin.LOCAL),
        ]

    def test_hidden_imported_studio_is_not_shown_until_restored(self):
        row = AnimeCompanyFactory(company=CompanyFactory(name="Wrong Studio"))
        anime_company_hide(anime=row.anime, company=row.company, by=None)
        assert shown_studios(row.anime) == []
        anime_company_restore(anime=row.anime, company=row.company, by=None)
        assert shown_studios(row.anime) == ["Wrong Studio"]

    def test_unknown_role_is_refused(self):
        with pytest.raises(ValidationError) as caught:
            anime_company_add(anime=AnimeFactory(), name="X", role="director", by=None)
        assert list(caught.value.message_dict) == ["role"]


class TestStaff:
    def test_added_credit_is_local_and_finds_the_person_by_name(self):
        anime = AnimeFactory()
        first = anime_staff_add(
            anime=anime, person_name="Shinichirō Watanabe", role="Director", by=None
        )
        second = anime_staff_add(
            anime=AnimeFactory(), person_name="shinichirō watanabe", role="Director", by=None
        )
        assert first.origin == Origin.LOCAL and first.person == second.person

    def test_credits_keep_the_order_they_were_added_in(self):
        anime = AnimeFactory()
        anime_staff_add(anime=anime, person_name="A", role="Original creator", by=None)
        anime_staff_add(anime=anime, person_name="B", role="Director", by=None)
        assert [c.person.name for c in anime.staff.all()] == ["A", "B"]

    def test_edit_and_remove(self):
        credit = anime_staff_add(anime=AnimeFactory(), person_name="A", role="Music", by=None)
        anime_staff_edit(credit=credit, person_name="Yoko Kanno", role="Music", by=None)
        assert StaffCredit.objects.get().person.name == "Yoko Kanno"
        anime_staff_remove(credit=credit, by=None)
        assert not StaffCredit.objects.exists()

    def test_blank_role_is_refused_and_nothing_is_written(self):
        with pytest.raises(ValidationError) as caught:
            anime_staff_add(anime=AnimeFactory(), person_name="A", role=" ", by=None)
        assert caught.value.message_dict == {"role": [ERROR_BLANK]}
        assert not StaffCredit.objects.exists()


class TestCharacters:
    def test_added_character_is_local(self):
        character = anime_character_add(
            anime=AnimeFactory(),
            name="Spike Spiegel",
            native_name="スパイク・スピーゲル",
            role="main",
            description="A bounty hunter.",
            by=None,
        )
        assert character.origin == Origin.LOCAL
        assert Character.objects.get().native_name == "スパイク・スピーゲル"

    def test_edit_and_remove(self):
        character = anime_character_add(anime=AnimeFactory(), name="Ein", by=None)
        anime_character_edit(character=character, name="Ein", role="supporting", by=None)
        assert Character.objects.get().role == Character.Role.SUPPORTING
        anime_character_remove(character=character, by=None)
        assert not Character.objects.exists()

    def test_invalid_role_and_blank_name_are_both_reported(self):
        with pytest.raises(ValidationError) as caught:
            anime_character_add(anime=AnimeFactory(), name="", role="villain", by=None)
        assert set(caught.value.message_dict) == {"name", "role"}
        assert not Character.objects.exists()


class TestTitles:
    def test_added_title_is_local_normalized_with_kind_and_language(self):
        anime = AnimeFactory()
        row = anime_title_add(
            anime=anime, text="Cowboy Bebop!", kind="english", language="en", by=None
        )
        assert (row.origin, row.normalized, row.kind, row.language) == (
            Origin.LOCAL,
            "cowboy bebop",
            "english",
            "en",
        )

    def test_language_defaults_to_what_the_script_implies(self):
        row = anime_title_add(
            anime=AnimeFactory(), text="カウボーイビバップ", kind="native", by=None
        )
        assert row.language == "ja"

    def test_hidden_imported_title_is_not_shown_until_restored(self):
        anime = AnimeFactory(title="Main")
        wrong = AnimeTitleFactory(anime=anime, text="Wrong Title")
        anime_title_hide(anime=anime, title=wrong, by=None)
        assert shown_titles(anime) == ["Main"]
        anime_title_restore(anime=anime, title=wrong, by=None)
        assert shown_titles(anime) == ["Main", "Wrong Title"]

    def test_the_shown_title_cannot_be_hidden(self):
        anime = AnimeFactory(title="Main")
        with pytest.raises(ValidationError) as caught:
            anime_title_hide(anime=anime, title=anime.titles.get(), by=None)
        assert caught.value.message_dict == {"title": [ERROR_MAIN_TITLE]}

    def test_a_title_already_shown_is_refused(self):
        anime = AnimeFactory(title="Main")
        with pytest.raises(ValidationError) as caught:
            anime_title_add(anime=anime, text="MAIN", kind="synonym", by=None)
        assert caught.value.message_dict == {"text": [ERROR_ALREADY_SHOWN]}


# --- corrections survive re-imports --------------------------------------------------------


def bebop(**changes) -> dict:
    fields = {
        "episodes": 26,
        "synonyms": ["COWBOY BEBOP", "Wrong Synonym"],
        "studios": [],
        "tags": ["action", "space", "ecchi"],
    }
    return record(1, "Cowboy Bebop", **{**fields, **changes})


MOVIE = record(5, "Cowboy Bebop: The Movie", type="MOVIE", episodes=1)


def import_file(path, *entries: dict) -> None:
    summary = catalog_import(records=open_catalog(write_jsonl(path, list(entries))).records())
    assert summary.rejected == 0


class TestCorrectionsSurviveReimport:
    @pytest.fixture
    def corrected(self, tmp_path, author):
        path = tmp_path / "aod.jsonl"
        import_file(path, bebop(), MOVIE)
        anime = Anime.objects.get(title="Cowboy Bebop")
        anime_correct(anime=anime, values={"episodes": 27}, by=author)
        anime_company_add(anime=anime, name="Sunrise", role="studio", by=author)
        anime_tag_hide(anime=anime, tag=Tag.objects.get(name="ecchi"), by=author)
        anime_staff_add(anime=anime, person_name="Shinichirō Watanabe", role="Director", by=author)
        anime_character_add(anime=anime, name="Spike Spiegel", role="main", by=author)
        anime_title_add(anime=anime, text="Kaubōi Bibappu", kind="romaji", by=author)
        anime_title_hide(anime=anime, title=anime.titles.get(text="Wrong Synonym"), by=author)
        return path, anime

    def assert_corrections_intact(self, anime: Anime) -> None:
        anime.refresh_from_db()
        assert anime.episodes == 27 and anime.is_local("episodes")
        assert shown_studios(anime) == ["Sunrise"]
        assert "ecchi" not in shown_tags(anime)
        assert [(c.person.name, c.role) for c in anime.staff.all()] == [
            ("Shinichirō Watanabe", "Director")
        ]
        assert [c.name for c in anime.characters.all()] == ["Spike Spiegel"]
        assert "Kaubōi Bibappu" in shown_titles(anime)
        assert "Wrong Synonym" not in shown_titles(anime)

    def test_reimporting_the_same_file_keeps_every_correction(self, corrected):
        path, anime = corrected
        import_file(path, bebop(), MOVIE)
        self.assert_corrections_intact(anime)

    def test_a_changed_upstream_updates_only_what_was_not_corrected(self, corrected):
        path, anime = corrected
        import_file(
            path,
            bebop(
                episodes=30,
                animeSeason={"season": "FALL", "year": 1998},
                tags=["action", "space", "ecchi", "noir"],
            ),
        )
        self.assert_corrections_intact(anime)
        assert anime.imported["episodes"] == 30
        assert anime.season == "FALL"
        assert shown_tags(anime) == ["action", "noir", "space"]
        assert anime.anime_tags.filter(origin=Origin.HIDDEN).count() == 1
        assert AnimeTag.objects.filter(anime=anime, origin=Origin.IMPORTED).count() == 4

    def test_resetting_after_a_reimport_shows_the_new_upstream_value(self, corrected):
        path, anime = corrected
        import_file(path, bebop(episodes=30))
        anime.refresh_from_db()
        anime_reset_field(anime=anime, field="episodes", by=None)
        assert Anime.objects.get(pk=anime.pk).episodes == 30
