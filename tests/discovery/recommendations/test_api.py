"""/api/anime/{id}/similar and /api/recommendations: results with reasons, clear errors."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.community.factories import UserFactory
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
        ({"items": []}, 422, "items"),
        ({"items": [{"id": 1, "mal_id": 2}]}, 422, "mal_id: Extra inputs are not permitted"),
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


MAL_EXPORT = "/api/recommendations/mal-export"
BIG = 99999999999999999999


def upload(client, data: bytes, name="animelist.xml", **extra):
    return client.post(MAL_EXPORT, {"file": SimpleUploadedFile(name, data)}, **extra)


def test_an_export_over_the_entry_cap_is_413_naming_it(client, catalog, monkeypatch):
    monkeypatch.setattr("kansou.catalog.importers.mal_xml.MAX_ENTRIES", 3)
    response = upload(client, mal_xml(*(mal_anime(i) for i in range(1, 6))))
    assert response.status_code == 413
    assert "more than 3 entries" in response.json()["detail"]


def test_a_body_declared_over_the_cap_is_413_before_it_is_read(client, catalog):
    response = upload(client, mal_xml(mal_anime(1)), CONTENT_LENGTH=str(200 * 1024 * 1024))
    assert response.status_code == 413
    assert "larger than 10 MB" in response.json()["detail"]


def test_anonymous_uploads_are_limited_per_address(client, catalog, settings):
    settings.KANSOU_UPLOAD_RATE = "2/h"
    for _ in range(2):
        assert upload(client, b"<nope", REMOTE_ADDR="10.3.0.1").status_code == 400
    refused = upload(client, mal_xml(mal_anime(1)), REMOTE_ADDR="10.3.0.1")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many uploads" in refused.json()["detail"]
    assert upload(client, b"<nope", REMOTE_ADDR="10.3.0.2").status_code == 400
    client.force_login(UserFactory())
    assert upload(client, b"<nope", REMOTE_ADDR="10.3.0.1").status_code == 400


def test_the_schema_documents_413_and_429_with_retry_after(client, db):
    operation = client.get("/api/openapi.json").json()["paths"][MAL_EXPORT]["post"]
    assert {"413", "429"} <= set(operation["responses"])
    assert "Retry-After" in operation["responses"]["429"]["headers"]


@pytest.mark.parametrize(
    "body",
    [
        {"items": [{"id": BIG}]},
        {"items": [{"mal_id": BIG}]},
        {"items": [{"id": 0}]},
        {"items": [{"id": 1}], "max_episodes": BIG},
    ],
)
def test_ids_and_numbers_out_of_range_are_422(client, catalog, body):
    assert post(client, body).status_code == 422


def test_similar_of_an_id_out_of_range_is_422_not_500(client, db):
    assert client.get(f"/api/anime/{BIG}/similar").status_code in (404, 422)
