"""Writes for accounts and lists: sign-up, roles, list entries, privacy and the MAL import."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from kansou.catalog.importers.mal_xml import parse_mal_xml
from kansou.community import roles
from kansou.community.models import AnimeList, ListEntry, ListStatus, Privacy
from kansou.community.services import (
    EMAIL_TAKEN,
    anime_list_import_mal,
    anime_list_set_privacy,
    list_entry_delete,
    list_entry_save,
    user_grant_role,
    user_revoke_role,
    user_sign_up,
)
from tests.catalog.factories import AnimeFactory, ExternalIdFactory

from .factories import PASSWORD, ListEntryFactory, UserFactory, mal_anime
from .mal_files import anime, mal_xml

pytestmark = pytest.mark.django_db
User = get_user_model()
MAY_2 = dt.date(2020, 5, 2)


class TestUserSignUp:
    def test_creates_a_reader_with_a_hashed_password(self):
        user = user_sign_up(username="mai", email="Mai@Example.ORG", password=PASSWORD)

        assert user.check_password(PASSWORD)
        assert user.password != PASSWORD
        assert user.email == "Mai@example.org"
        assert roles.user_roles(user) == ["reader"]

    def test_weak_password_is_refused_and_nothing_is_written(self):
        with pytest.raises(ValidationError) as error:
            user_sign_up(username="mai", email="mai@example.org", password="123")
        assert "password" in error.value.message_dict
        assert not User.objects.exists()

    def test_email_already_used_is_refused_whatever_its_case(self):
        UserFactory(username="first", email="mai@example.org")
        with pytest.raises(ValidationError) as error:
            user_sign_up(username="mai", email="MAI@example.org", password=PASSWORD)
        assert error.value.message_dict["email"] == [EMAIL_TAKEN]
        assert not User.objects.filter(username="mai").exists()

    def test_username_must_be_valid_and_unused(self):
        UserFactory(username="mai")
        with pytest.raises(ValidationError) as error:
            user_sign_up(username="mai", email="other@example.org", password=PASSWORD)
        assert "username" in error.value.message_dict


class TestRoles:
    def test_migration_created_the_four_groups(self):
        from django.contrib.auth.models import Group

        assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)

    def test_author_may_correct_the_catalog_and_reader_may_not(self):
        author, reader = UserFactory(), UserFactory()
        user_grant_role(user=author, role=roles.AUTHOR)
        user_grant_role(user=reader, role=roles.READER)

        assert User.objects.get(pk=author.pk).has_perm("catalog.change_anime")
        assert not User.objects.get(pk=reader.pk).has_perm("catalog.change_anime")
        assert roles.user_has_role(author, roles.AUTHOR)

    def test_an_author_writes_reviews_but_only_an_editor_changes_everyones(self):
        author, editor = UserFactory(), UserFactory()
        user_grant_role(user=author, role=roles.AUTHOR)
        user_grant_role(user=editor, role=roles.EDITOR)
        author, editor = User.objects.get(pk=author.pk), User.objects.get(pk=editor.pk)

        assert author.has_perm("reviews.add_review")
        for codename in ("change_review", "view_review", "delete_review"):
            assert not author.has_perm(f"reviews.{codename}")
            assert editor.has_perm(f"reviews.{codename}")

    def test_no_role_holds_rights_over_every_readers_list(self):
        for role in roles.ROLES:
            user = UserFactory()
            user_grant_role(user=user, role=role)
            user = User.objects.get(pk=user.pk)
            assert user.has_perm("community.view_listentry") == (role == roles.ADMIN), role

    def test_the_migration_narrows_groups_made_before_it(self):
        from django.apps import apps
        from django.contrib.auth.models import Group, Permission

        migration = importlib.import_module("kansou.community.migrations.0004_roles_narrowed")
        old_rights = ["change_review", "view_review", "view_listentry", "change_listentry"]
        author, reader = Group.objects.get(name=roles.AUTHOR), Group.objects.get(name=roles.READER)
        author.permissions.add(*Permission.objects.filter(codename__in=old_rights))
        reader.permissions.add(*Permission.objects.filter(codename__endswith="_listentry"))
        Group.objects.filter(name=roles.EDITOR).delete()

        migration.roles_narrowed(apps, None)

        codenames = set(author.permissions.values_list("codename", flat=True))
        assert "add_review" in codenames and not codenames & set(old_rights)
        assert not reader.permissions.filter(codename__in=old_rights).exists()
        editor = Group.objects.get(name=roles.EDITOR)
        assert editor.permissions.filter(codename="change_review").exists()

    def test_moderator_holds_the_moderation_permission(self):
        moderator = UserFactory()
        user_grant_role(user=moderator, role=roles.MODERATOR)
        assert User.objects.get(pk=moderator.pk).has_perm("community.moderate_community")

    def test_admin_gets_every_permission_and_the_admin_site(self):
        admin = UserFactory()
        user_grant_role(user=admin, role=roles.ADMIN)
        admin = User.objects.get(pk=admin.pk)
        assert admin.is_staff
        assert admin.has_perm("auth.change_user")
        assert admin.has_perm("catalog.change_anime")

    def test_revoking_a_role_takes_its_permissions_away(self):
        author = UserFactory()
        user_grant_role(user=author, role=roles.AUTHOR)
        user_revoke_role(user=author, role=roles.AUTHOR)
        assert not User.objects.get(pk=author.pk).has_perm("catalog.change_anime")
        assert roles.user_roles(author) == []

    def test_superuser_counts_as_admin(self):
        assert roles.user_roles(User.objects.create_superuser("root", password="x")) == ["admin"]

    def test_unknown_role_is_an_error(self):
        with pytest.raises(ValueError, match="unknown role"):
            user_grant_role(user=UserFactory(), role="overlord")

    def test_sync_is_idempotent_and_keeps_permissions_added_by_hand(self):
        from django.contrib.auth.models import Group, Permission

        reader = Group.objects.get(name="reader")
        extra = Permission.objects.get(codename="view_anime")
        reader.permissions.add(extra)
        before = set(reader.permissions.values_list("pk", flat=True))

        roles.roles_sync()
        roles.roles_sync()

        assert set(reader.permissions.values_list("pk", flat=True)) == before


class TestListEntrySave:
    def test_adds_then_changes_only_the_given_fields(self):
        user, show = UserFactory(), AnimeFactory(episodes=24)
        list_entry_save(user=user, anime=show, values={"status": "watching", "notes": "Good"})

        entry = list_entry_save(user=user, anime=show, values={"episodes_watched": 5, "score": 7})

        assert ListEntry.objects.count() == 1
        assert (entry.status, entry.episodes_watched, entry.score, entry.notes) == (
            "watching",
            5,
            7,
            "Good",
        )
        assert AnimeList.objects.get(user=user).privacy == Privacy.PUBLIC

    @pytest.mark.parametrize(
        ("values", "field"),
        [
            ({"score": 11}, "score"),
            ({"status": "binging"}, "status"),
            ({"started_on": MAY_2, "finished_on": MAY_2 - dt.timedelta(days=1)}, "finished_on"),
            ({"episodes_watched": 13}, "episodes_watched"),
        ],
    )
    def test_invalid_values_are_refused_and_nothing_is_written(self, values, field):
        with pytest.raises(ValidationError) as error:
            list_entry_save(user=UserFactory(), anime=AnimeFactory(episodes=12), values=values)
        assert field in error.value.message_dict
        assert not ListEntry.objects.exists()

    def test_progress_may_pass_the_known_count_of_an_airing_series(self):
        airing = AnimeFactory(episodes=12, status="ONGOING")
        entry = list_entry_save(user=UserFactory(), anime=airing, values={"episodes_watched": 14})
        assert entry.episodes_watched == 14

    def test_unknown_field_names_are_a_programming_error(self):
        with pytest.raises(ValueError, match="not entry fields: anime_list"):
            list_entry_save(user=UserFactory(), anime=AnimeFactory(), values={"anime_list": 1})


def test_list_entry_delete_removes_only_the_readers_own_entry():
    mine = ListEntryFactory()
    theirs = ListEntryFactory(anime=mine.anime)

    assert list_entry_delete(user=mine.anime_list.user, anime=mine.anime) is True
    assert list_entry_delete(user=mine.anime_list.user, anime=mine.anime) is False
    assert list(ListEntry.objects.all()) == [theirs]


def test_anime_list_set_privacy_refuses_unknown_values():
    user = UserFactory()
    assert anime_list_set_privacy(user=user, privacy="private").privacy == Privacy.PRIVATE
    with pytest.raises(ValidationError):
        anime_list_set_privacy(user=user, privacy="friends")
    assert AnimeList.objects.get(user=user).privacy == Privacy.PRIVATE


class TestAnimeListImportMal:
    def test_report_counts_matched_unmatched_and_rejected(self):
        user = UserFactory()
        bebop = mal_anime(1, title="Cowboy Bebop", episodes=26)
        mal_anime(5114, title="FMA: Brotherhood", episodes=64)
        export = parse_mal_xml(
            mal_xml(
                anime(1, "Cowboy Bebop", my_status="Completed", my_watched_episodes=26, my_score=9),
                anime(5114, "FMA: Brotherhood", my_status="Watching", my_watched_episodes=70),
                anime(99999, "Not here", my_status="Dropped"),
                anime(777, "Bad date", my_start_date="2020-13-01"),
            )
        )

        report = anime_list_import_mal(user=user, export=export)

        assert (report.created, report.updated, report.kept) == (1, 0, 0)
        assert report.unmatched == [(99999, "Not here")]
        assert [(p.position, p.field) for p in report.rejected] == [
            (2, "my_watched_episodes"),
            (4, "my_start_date"),
        ]
        assert "the series has 64" in report.rejected[0].message
        entry = ListEntry.objects.get()
        assert (entry.anime, entry.status, entry.score, entry.episodes_watched) == (
            bebop,
            ListStatus.COMPLETED,
            9,
            26,
        )
        assert str(report) == (
            "1 added, 0 updated, 0 kept as they were, 1 not in the catalog, 2 rejected"
        )

    def test_update_on_import_0_keeps_an_existing_entry_unless_overwrite(self):
        user = UserFactory()
        show = mal_anime(1, episodes=26)
        list_entry_save(user=user, anime=show, values={"status": "watching", "score": 5})
        export = parse_mal_xml(mal_xml(anime(1, my_score=9, update_on_import=0)))

        kept = anime_list_import_mal(user=user, export=export)
        assert (kept.kept, ListEntry.objects.get().score) == (1, 5)

        replaced = anime_list_import_mal(user=user, export=export, overwrite=True)
        assert (replaced.updated, ListEntry.objects.get().score) == (1, 9)

    def test_update_on_import_1_overwrites(self):
        user = UserFactory()
        show = mal_anime(1)
        list_entry_save(user=user, anime=show, values={"score": 5})
        export = parse_mal_xml(mal_xml(anime(1, my_score=9, update_on_import=1)))
        assert anime_list_import_mal(user=user, export=export).updated == 1
        assert ListEntry.objects.get().score == 9

    def test_the_same_anime_twice_in_one_file_is_rejected_the_second_time(self):
        mal_anime(1)
        export = parse_mal_xml(mal_xml(anime(1, my_score=9), anime(1, my_score=2)))
        report = anime_list_import_mal(user=UserFactory(), export=export)
        assert report.created == 1
        [problem] = report.rejected
        assert (problem.position, problem.message) == (2, "the same anime as entry 1")
        assert ListEntry.objects.get().score == 9

    def test_a_rejected_overwrite_leaves_the_existing_entry_as_it_was(self):
        user = UserFactory()
        show = mal_anime(1, episodes=12)
        list_entry_save(user=user, anime=show, values={"episodes_watched": 3})
        export = parse_mal_xml(mal_xml(anime(1, my_watched_episodes=99)))
        report = anime_list_import_mal(user=user, export=export, overwrite=True)
        assert (report.updated, len(report.rejected)) == (0, 1)
        assert ListEntry.objects.get().episodes_watched == 3

    def test_import_touches_only_the_importing_readers_list(self):
        other = ListEntryFactory(score=3)
        ExternalIdFactory(anime=other.anime, external_id="42")
        export = parse_mal_xml(mal_xml(anime(42, my_score=10)))

        anime_list_import_mal(user=UserFactory(), export=export)

        other.refresh_from_db()
        assert other.score == 3
        assert ListEntry.objects.count() == 2


class TestListTextIsClean:
    """Finding 25: a reader's notes and tags lose their control characters when saved."""

    def test_saving_an_entry_drops_control_characters_from_notes_and_tags(self):
        values = {"notes": "Loved\x07 it\x1b[2J\x9b", "tags": "calm\x00, slow\x85"}

        entry = list_entry_save(user=UserFactory(), anime=AnimeFactory(), values=values)

        assert (entry.notes, entry.tags) == ("Loved it[2J", "calm, slow")
        entry.refresh_from_db()
        assert entry.notes == "Loved it[2J"

    def test_importing_a_list_drops_control_characters_from_notes_and_tags(self):
        mal_anime(1)
        # C1 controls are legal in XML 1.0, so a MAL export can carry them.
        export = parse_mal_xml(mal_xml(anime(1, my_comments="Re\x85watch\x9b", my_tags="a\x80")))

        anime_list_import_mal(user=UserFactory(), export=export)

        entry = ListEntry.objects.get()
        assert (entry.notes, entry.tags) == ("Rewatch", "a")
