"""Recommendations on pages: the anime page, the review page and /discover/."""

from __future__ import annotations

import gzip

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.community.factories import AnimeListFactory, ListEntryFactory, UserFactory
from tests.community.mal_files import anime as mal_anime
from tests.community.mal_files import mal_xml
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db
DISCOVER = "/discover/"


def test_anime_page_shows_more_like_this_and_who_should_watch(client, trained):
    html = client.get(trained[1].get_absolute_url()).content.decode()
    assert "More like this" in html and "Who should watch" in html
    assert ", like <a href" in html and "Shares tags:" in html


def test_anime_page_with_recommendations_runs_a_fixed_number_of_queries(
    client, trained, django_assert_num_queries
):
    # 8 for the entry (catalog) + 1 for the reviews panel (published reviews with bylines)
    # + 1 for audience comparables + 1 for the review's written profiles + 1 for creator
    # credits + 1 for neighbours; no model call; the list panel reads nothing when anonymous.
    with django_assert_num_queries(13):
        client.get(trained[1].get_absolute_url())


def test_pages_work_without_a_trained_model(client, catalog):
    response = client.get(catalog[1].get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "More like this" in html and "Who should watch" not in html
    review = ReviewFactory(anime=catalog[1])
    assert client.get(review.get_absolute_url()).status_code == 200
    assert client.get(DISCOVER).status_code == 200
    picked = client.post(DISCOVER, {"anime": [catalog[1].pk], "recommend": "1"})
    assert b"not available yet" in picked.content


def test_review_page_lists_reviewed_neighbours_with_reasons(client, trained):
    review = ReviewFactory(anime=trained[1])
    ReviewFactory(anime=trained[2], title="The clockwork review")
    html = client.get(review.get_absolute_url()).content.decode()
    assert "The clockwork review" in html and "Shares tags:" in html


def test_review_page_query_count_does_not_grow_with_reviews(
    client, trained, django_assert_max_num_queries
):
    review = ReviewFactory(anime=trained[1])
    for mal_id in (2, 3):
        ReviewFactory(anime=trained[mal_id])
    with django_assert_max_num_queries(40) as few:
        client.get(review.get_absolute_url())
    for mal_id in (4, 5, 6, 7):
        ReviewFactory(anime=trained[mal_id])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(review.get_absolute_url())


def test_discover_recommends_from_picked_titles_excluding_them(client, trained):
    response = client.post(
        DISCOVER, {"anime": [trained[1].pk, trained[2].pk], "recommend": "1", "type": "TV"}
    )
    html = response.content.decode()
    assert "Recommended from the 2 titles you picked" in html
    assert "Mind Maze" in html  # a TV neighbour
    assert f'href="/anime/{trained[3].pk}/"' not in html  # a movie: filtered out
    assert "<script" not in html.split("</header>")[1]


def test_discover_from_picked_titles_runs_two_queries_however_many_are_picked(
    client, trained, django_assert_num_queries
):
    # The picked titles, then the cards of results and history: no per-item query.
    for mal_ids in ((1,), (1, 2, 4, 5, 6)):
        picked = [trained[m].pk for m in mal_ids]
        with django_assert_num_queries(2):
            client.post(DISCOVER, {"anime": picked, "recommend": "1", "type": "TV"})


def test_discover_search_box_offers_checkboxes(client, trained):
    html = client.post(DISCOVER, {"q": "Puzzle Box", "find": "1"}).content.decode()
    assert f'name="anime" value="{trained[1].pk}"' in html
    assert "Recommend from the ticked titles" in html


RECOMMEND_TICKED = 'name="recommend" value="1">Recommend from the ticked titles'


def test_the_recommend_from_ticked_titles_button_waits_for_titles_to_tick(client, trained):
    empty = client.get(DISCOVER).content.decode()
    nothing_found = client.post(DISCOVER, {"q": "zzqqxxnothing", "find": "1"}).content.decode()
    found = client.post(DISCOVER, {"q": "Puzzle Box", "find": "1"}).content.decode()

    assert RECOMMEND_TICKED not in empty
    assert RECOMMEND_TICKED not in nothing_found and "No title matches" in nothing_found
    assert RECOMMEND_TICKED in found


def test_discover_type_checkboxes_sit_in_their_labels(client, trained):
    html = client.get(DISCOVER).content.decode()
    assert 'role="group" aria-labelledby="d-types"' in html
    assert '<label class="check"><input type="checkbox" name="type" value="TV"> TV</label>' in html


def test_discover_takes_a_mal_export_upload(client, trained, tmp_path):
    path = tmp_path / "animelist.xml"
    path.write_bytes(mal_xml(mal_anime(1, my_score="10"), mal_anime(4, my_status="Plan to Watch")))
    with path.open("rb") as handle:
        html = client.post(DISCOVER, {"mal_export": handle, "upload": "1"}).content.decode()
    assert "your MyAnimeList export (2 entries)" in html
    assert f'href="/anime/{trained[4].pk}/"' not in html  # planned: excluded


def test_a_bad_upload_is_a_clear_400(client, trained, tmp_path):
    path = tmp_path / "animelist.xml"
    path.write_bytes(b"not xml")
    with path.open("rb") as handle:
        response = client.post(DISCOVER, {"mal_export": handle, "upload": "1"})
    assert response.status_code == 400 and b"animelist.xml" in response.content


def test_logged_in_readers_get_recommendations_from_their_list(client, trained):
    user = UserFactory()
    ListEntryFactory(anime_list=AnimeListFactory(user=user), anime=trained[6], score=9)
    client.force_login(user)
    html = client.get(DISCOVER).content.decode()
    assert "Recommended from your list" in html and "Tea Time" in html


def post_upload(client, data: bytes, **extra):
    upload = SimpleUploadedFile("animelist.xml.gz", data)
    return client.post(DISCOVER, {"mal_export": upload, "upload": "1"}, **extra)


def test_an_export_over_a_cap_is_a_clear_413(client, catalog, monkeypatch):
    monkeypatch.setattr("kansou.catalog.importers.mal_xml.MAX_ENTRIES", 3)
    response = post_upload(client, gzip.compress(mal_xml(*(mal_anime(i) for i in range(1, 6)))))
    assert response.status_code == 413
    assert "animelist.xml.gz: The list has more than 3 entries." in response.content.decode()


def test_anonymous_uploads_are_limited_per_address_with_a_message(client, catalog, settings):
    settings.KANSOU_UPLOAD_RATE = "1/h"
    post_upload(client, mal_xml(mal_anime(1)), REMOTE_ADDR="10.4.0.1")
    refused = post_upload(client, mal_xml(mal_anime(1)), REMOTE_ADDR="10.4.0.1")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many uploads from your address. You can try again in" in refused.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"anime": "99999999999999999999", "recommend": "1"},
        {"anime": "9" * 5000, "recommend": "1"},
        {"year_from": "99999999999999999999"},
        {"year_to": "9" * 5000},
        {"max_episodes": "99999999999999999999"},
        {"anime": "-1", "recommend": "1"},
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_numbers_out_of_range_read_as_absent_not_500(client, catalog, params, method):
    response = getattr(client, method)(DISCOVER, params)
    assert response.status_code == 200
