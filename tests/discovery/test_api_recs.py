"""/api/anime/{id}/similar and /api/recommendations: results with reasons, clear errors."""

from __future__ import annotations

import pytest

from tests.community.mal_files import anime as mal_anime
from tests.community.mal_files import mal_xml

pytestmark = pytest.mark.django_db


def post(client, body):
    return client.post("/api/recommendations", body, content_type="application/json")


def test_similar_lists_anime_with_reasons(client, trained):
    data = client.get(f"/api/anime/{trained[1].pk}/similar?n=2").json()
    assert data["id"] == trained[1].pk and len(data["results"]) == 2
    assert {"id", "title", "score", "reasons"} <= set(data["results"][0])
    assert data["results"][0]["reasons"]


def test_similar_of_an_unknown_anime_is_404(client, db):
    assert client.get("/api/anime/999999/similar").status_code == 404


def test_recommendations_take_ids_or_mal_ids_and_exclude_them(client, trained):
    data = post(client, {"items": [{"id": trained[1].pk}, {"mal_id": 2, "score": 9}], "n": 5})
    assert data.json()["used"] == 2
    ids = [r["id"] for r in data.json()["results"]]
    assert ids and trained[1].pk not in ids and trained[2].pk not in ids


def test_recommendations_run_one_query_per_kind_of_id(client, trained, django_assert_num_queries):
    with django_assert_num_queries(1):  # the cards
        post(client, {"items": [{"id": trained[m].pk} for m in (1, 2, 4, 5)], "n": 5})
    with django_assert_num_queries(2):  # MAL ids → anime, then the cards
        post(client, {"items": [{"mal_id": m} for m in (1, 2, 4, 5)], "n": 5})


def test_recommendations_respect_filters(client, trained):
    body = {"items": [{"mal_id": 1}], "type": ["MOVIE"]}
    results = post(client, body).json()["results"]
    assert [r["type"] for r in results] == ["MOVIE"] * len(results) and results


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        ({"items": []}, 400, "items is empty"),
        ({"items": [{"id": 1, "mal_id": 2}]}, 422, "exactly one of id or mal_id"),
        ({"items": [{"id": 1, "score": 11}]}, 422, "score"),
        ({"items": [{"id": 1}], "type": ["COMIC"]}, 422, "type"),
        ({}, 422, "items"),
    ],
)
def test_bad_requests_get_clear_errors(client, trained, body, status, text):
    response = post(client, body)
    assert response.status_code == status
    assert text in response.json()["detail"]


def test_without_a_model_recommendations_are_503(client, catalog):
    response = post(client, {"items": [{"id": catalog[1].pk}]})
    assert response.status_code == 503 and "kansou train" in response.json()["detail"]


def test_mal_export_upload(client, trained, tmp_path):
    path = tmp_path / "animelist.xml"
    path.write_bytes(mal_xml(mal_anime(1, my_score="10")))
    with path.open("rb") as handle:
        response = client.post("/api/recommendations/mal-export", {"file": handle, "type": "TV"})
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert results and all(r["type"] == "TV" for r in results)
    assert trained[1].pk not in [r["id"] for r in results]


def test_an_unreadable_mal_export_is_400(client, trained, tmp_path):
    path = tmp_path / "animelist.xml"
    path.write_bytes(b"<nope")
    with path.open("rb") as handle:
        response = client.post("/api/recommendations/mal-export", {"file": handle})
    assert response.status_code == 400 and "animelist.xml" in response.json()["detail"]
