"""What goes into the search index: shown catalog rows, published and scheduled reviews (the
scheduled ones found only from their time on)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kansou.discovery.search import SearchFilters, search, search_hit_items
from kansou.discovery.search.index import search_reindex
from kansou.discovery.search.models import SearchDocument
from tests.catalog.factories import AnimeFactory, AnimeTagFactory, TagFactory
from tests.reviews.factories import LabelFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def test_every_anime_gets_one_document_with_its_shown_tags():
    anime = AnimeFactory(title="Look Back", synopsis="Two girls drawing manga.")
    AnimeTagFactory(anime=anime, tag=TagFactory(name="drama"))
    assert search_reindex() == 1
    document = SearchDocument.objects.get()
    assert (document.kind, document.anime_id, document.title) == ("anime", anime.pk, "Look Back")
    assert document.tags == "drama"
    assert [t.tag.name for t in document.search_tags.all()] == ["drama"]


def test_a_published_review_is_found_by_its_words_and_its_anime_titles():
    anime = AnimeFactory(title="Look Back", synopsis="Two girls drawing manga.")
    review = ReviewFactory(
        anime=anime,
        title="Drawing through grief",
        summary="A quiet film about loss.",
        labels=[LabelFactory(name="Hidden gem")],
    )
    search_reindex()
    hits = search(filters=SearchFilters(q="quiet grief")).hits
    assert [(h.kind, h.review_id) for h in hits] == [("review", review.pk)]
    assert hits[0].url == review.get_absolute_url()
    assert {h.kind for h in search(filters=SearchFilters(q="look back")).hits} == {
        "anime",
        "review",
    }
    assert search(filters=SearchFilters(q="hidden gem")).hits[0].review_id == review.pk


def test_drafts_stay_out_of_the_index():
    ReviewFactory.draft(title="Unfinished grief")
    search_reindex()
    assert not SearchDocument.objects.filter(kind="review").exists()


def test_a_scheduled_review_is_found_once_its_time_comes_without_a_reindex(monkeypatch):
    review = ReviewFactory.scheduled(title="Future grief")
    search_reindex()
    before = search(filters=SearchFilters(q="future grief"))
    assert (before.hits, before.total, before.facets["type"]) == ([], 0, [])
    # Four days on: nothing was written, so nothing was reindexed.
    later = timezone.now() + dt.timedelta(days=4)
    monkeypatch.setattr(timezone, "now", lambda: later)  # search and Review.objects.published()
    after = search(filters=SearchFilters(q="future grief"))
    assert [hit.review_id for hit in after.hits] == [review.pk]
    assert [item.review.pk for item in search_hit_items(after.hits)] == [review.pk]


def test_reindexing_a_withdrawn_review_removes_it():
    review = ReviewFactory(title="Drawing through grief")
    search_reindex()
    review.status = "draft"
    review.save()
    search_reindex(review_ids=[review.pk])
    assert search(filters=SearchFilters(q="grief")).hits == []


def _delete_one(review):
    review.delete()


def _delete_by_queryset(review):
    type(review).objects.filter(title__startswith=review.title).delete()


@pytest.mark.parametrize("delete", [_delete_one, _delete_by_queryset])
def test_a_deleted_review_leaves_search_at_once(client, delete):
    review = ReviewFactory(title="Drawing through grief")
    search_reindex()
    found = client.get("/api/search", {"q": "drawing grief"}).json()["results"]
    assert [hit["title"] for hit in found] == [review.title]  # the process holds the index now

    delete(review)  # no listener runs: the foreign key and the database do the work

    assert not SearchDocument.objects.filter(kind="review").exists()
    assert search(filters=SearchFilters(q="drawing grief")).hits == []
    response = client.get("/api/search", {"q": "drawing grief"})
    assert response.json()["results"] == [] and b"drawing-through-grief" not in response.content
    assert b"Drawing through grief" not in client.get("/search/", {"q": "drawing grief"}).content
