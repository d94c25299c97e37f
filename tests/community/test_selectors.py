"""Reads: the recommender's history, list visibility, profiles and exports (round trip)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import AnonymousUser

from kansou.catalog.importers.mal_xml import parse_mal_xml
from kansou.community.list_csv import COLUMNS
from kansou.community.models import ENTRY_FIELDS, ListEntry, Privacy
from kansou.community.selectors import (
    ListHidden,
    anime_list_export_csv,
    anime_list_export_mal,
    profile_detail,
    reader_history,
    reader_list,
)
from kansou.community.services import anime_list_import_mal
from tests.catalog.factories import AnimeFactory

from .factories import AnimeListFactory, ListEntryFactory, UserFactory, mal_anime
from .mal_files import anime, mal_xml

pytestmark = pytest.mark.django_db


def test_reader_history_lists_started_anime_with_scores_and_none_for_unscored():
    anime_list = AnimeListFactory(privacy=Privacy.PRIVATE)
    a, b, c, d = (AnimeFactory() for _ in range(4))
    ListEntryFactory(anime_list=anime_list, anime=b, status="completed", score=9)
    ListEntryFactory(anime_list=anime_list, anime=a, status="dropped", score=0)
    ListEntryFactory(anime_list=anime_list, anime=c, status="plan_to_watch", score=0)
    ListEntryFactory(anime=d)  # someone else's

    assert reader_history(user=anime_list.user) == [(a.pk, None), (b.pk, 9.0)]
    assert reader_history(user=UserFactory()) == []


class TestReaderList:
    def test_private_list_is_hidden_from_others_and_anonymous_visitors(self):
        entry = ListEntryFactory(anime_list=AnimeListFactory(privacy=Privacy.PRIVATE))
        owner = entry.anime_list.user

        for viewer in (UserFactory(), AnonymousUser()):
            with pytest.raises(ListHidden):
                reader_list(owner=owner, viewer=viewer)
        assert reader_list(owner=owner, viewer=owner).entries == [entry]

    def test_public_list_is_visible_to_anyone_and_filters_by_status(self):
        anime_list = AnimeListFactory()
        watching = ListEntryFactory(anime_list=anime_list, status="watching")
        ListEntryFactory(anime_list=anime_list, status="completed")

        found = reader_list(owner=anime_list.user, viewer=AnonymousUser(), status="watching")

        assert found.entries == [watching]
        assert found.counts == {"watching": 1, "completed": 1}
        assert found.total == 2

    def test_a_reader_without_a_list_has_an_empty_public_one(self):
        found = reader_list(owner=UserFactory(), viewer=AnonymousUser())
        assert (found.entries, found.anime_list.privacy) == ([], Privacy.PUBLIC)

    def test_runs_in_three_queries(self, django_assert_num_queries):
        anime_list = AnimeListFactory()
        ListEntryFactory.create_batch(5, anime_list=anime_list)
        with django_assert_num_queries(3):
            found = reader_list(owner=anime_list.user, viewer=AnonymousUser())
            [entry.anime.title for entry in found.entries]


def test_profile_of_a_private_list_shows_no_entries_to_others():
    entry = ListEntryFactory(anime_list=AnimeListFactory(privacy=Privacy.PRIVATE))
    owner = entry.anime_list.user

    seen_by_other = profile_detail(username=owner.username, viewer=UserFactory())
    seen_by_owner = profile_detail(username=owner.username, viewer=owner)

    assert (seen_by_other.list_visible, seen_by_other.recent, seen_by_other.counts) == (
        False,
        [],
        {},
    )
    assert (seen_by_owner.list_visible, seen_by_owner.recent) == (True, [entry])


def _entries_as_values(user) -> list[tuple]:
    return [
        (entry.anime_id, *(getattr(entry, name) for name in ENTRY_FIELDS))
        for entry in ListEntry.objects.of_user(user).order_by("anime_id")
    ]


class TestExports:
    def test_import_export_import_gives_the_same_list(self):
        for mal_id in (1, 5114, 30):
            mal_anime(mal_id, episodes=64)
        original = mal_xml(
            anime(
                1,
                "Cowboy Bebop",
                my_score=9,
                my_start_date="2020-01-02",
                my_finish_date="2020-02-03",
                my_tags="space, jazz",
                my_comments="See you <3",
            ),
            anime(
                5114,
                "FMA",
                my_status="Watching",
                my_watched_episodes=30,
                my_rewatching=1,
                my_rewatching_ep=4,
                my_times_watched=2,
                my_priority="HIGH",
            ),
            anime(30, "Eva", my_status="Plan to Watch", my_score=0, my_watched_episodes=0),
        )
        first, second = UserFactory(), UserFactory()
        anime_list_import_mal(user=first, export=parse_mal_xml(original))

        exported, left_out = anime_list_export_mal(owner=first)
        report = anime_list_import_mal(user=second, export=parse_mal_xml(exported))

        assert left_out == 0
        assert report.created == 3 and not report.rejected and not report.unmatched
        assert _entries_as_values(second) == _entries_as_values(first)
        # Importing one's own export again changes nothing.
        again = anime_list_import_mal(user=first, export=parse_mal_xml(exported))
        assert again.updated == 3
        assert _entries_as_values(first) == _entries_as_values(second)

    def test_xml_export_leaves_out_anime_without_a_mal_id_and_says_how_many(self):
        anime_list = AnimeListFactory()
        ListEntryFactory(anime_list=anime_list, anime=mal_anime(1))
        ListEntryFactory(anime_list=anime_list, anime=AnimeFactory())

        exported, left_out = anime_list_export_mal(owner=anime_list.user)

        assert left_out == 1
        assert [e.mal_id for e in parse_mal_xml(exported).entries] == [1]

    def test_csv_has_the_documented_columns_and_one_row_per_entry(self):
        anime_list = AnimeListFactory()
        ListEntryFactory(
            anime_list=anime_list,
            anime=mal_anime(7, title="Mushishi", episodes=26),
            status="completed",
            score=10,
            episodes_watched=26,
            finished_on=dt.date(2019, 5, 6),
            tags="calm",
            notes='=HYPERLINK("http://evil")',
        )
        ListEntryFactory(anime_list=anime_list, anime=AnimeFactory(title="No MAL id"), score=0)

        rows = list(csv.DictReader(io.StringIO(anime_list_export_csv(owner=anime_list.user))))

        assert tuple(rows[0]) == COLUMNS
        assert [row["title"] for row in rows] == ["Mushishi", "No MAL id"]
        first = rows[0]
        assert (first["mal_id"], first["status"], first["score"], first["finished_on"]) == (
            "7",
            "completed",
            "10",
            "2019-05-06",
        )
        assert (first["started_on"], first["rewatching"]) == ("", "0")
        assert first["notes"] == '\'=HYPERLINK("http://evil")'
        assert rows[1]["mal_id"] == ""
