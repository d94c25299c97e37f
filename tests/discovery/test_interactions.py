"""ORM rows → IdMap + user_items: ratings matched by MAL id, readers' lists by their rules."""

from __future__ import annotations

import numpy as np
import pytest

from kansou.community.models import ListStatus
from kansou.discovery.interactions import (
    InteractionsError,
    catalog_items,
    interactions_build,
    read_ratings_csv,
)
from tests.community.factories import AnimeListFactory, ListEntryFactory
from tests.discovery.recs_data import write_ratings

pytestmark = pytest.mark.django_db


def test_items_are_every_anime_in_key_order_with_their_tags(catalog):
    items = catalog_items()
    assert items.items.ids.tolist() == sorted(a.pk for a in catalog.values())
    first = items.items.to_index([catalog[1].pk])[0]
    assert set(items.records[first]["tags"]) == {
        "mystery", "psychological", "time travel", "sci-fi", "drama",
    }  # fmt: skip
    assert items.kinds[first] == "TV" and items.years[first] == 2011


def test_ratings_are_matched_by_mal_id_and_unknown_ids_counted(catalog, tmp_path):
    items = catalog_items().items
    rows = read_ratings_csv(write_ratings(tmp_path / "r.csv"))
    found = interactions_build(items=items, ratings=rows, readers=False)
    assert found.unmatched == 12  # users 13–24 rated MAL id 999
    assert found.user_items.shape == (24, len(catalog))
    user = found.users.to_index(["csv:1"])[0]
    column = items.to_index([catalog[1].pk])[0]
    assert found.user_items[user, column] == 9.0
    assert found.positives[user].nnz == 5  # the rating of 4 is not a positive


def test_reader_lists_count_by_status_and_score(catalog):
    anime_list = AnimeListFactory()
    entries = {
        "scored": ListEntryFactory(anime_list=anime_list, anime=catalog[1], score=9),
        "low": ListEntryFactory(anime_list=anime_list, anime=catalog[2], score=5),
        "completed": ListEntryFactory(anime_list=anime_list, anime=catalog[3], score=0),
        "dropped": ListEntryFactory(
            anime_list=anime_list, anime=catalog[4], score=0, status=ListStatus.DROPPED
        ),
        "planned": ListEntryFactory(
            anime_list=anime_list, anime=catalog[5], score=0, status=ListStatus.PLAN_TO_WATCH
        ),
    }
    items = catalog_items().items
    found = interactions_build(items=items, readers=True)
    row = found.user_items[found.users.to_index([f"reader:{anime_list.user_id}"])[0]]
    values = dict(zip(items.to_id(row.indices).tolist(), row.data.tolist(), strict=True))
    assert values == {
        entries["scored"].anime_id: 9.0,
        entries["low"].anime_id: 5.0,
        entries["completed"].anime_id: 7.0,
        entries["dropped"].anime_id: 1.0,
    }
    loved = set(items.to_id(found.positives[0].indices).tolist())
    assert loved == {entries["scored"].anime_id, entries["completed"].anime_id}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("user,anime,score\n1,2,3\n", "line 1: expected the header"),
        ("user_id,mal_id,rating\n1,2,8\n1,x,8\n", "line 3: field 'mal_id'"),
        ("user_id,mal_id,rating\n1,2,11\n", "line 2: field 'rating': 11 is not in 1–10"),
        ("user_id,mal_id,rating\n1,2\n", "line 2: expected 3 fields"),
    ],
)
def test_a_bad_ratings_file_names_the_line_and_field(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(InteractionsError, match=message):
        read_ratings_csv(path)


def test_an_empty_catalog_and_no_interactions_give_an_empty_matrix():
    found = interactions_build(items=catalog_items().items, readers=True)
    assert found.user_items.shape == (0, 0) and np.asarray(found.user_items.sum()) == 0
