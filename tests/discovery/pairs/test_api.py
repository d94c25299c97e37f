"""The pairs' JSON API: list (anonymous), recommend, agree and withdraw, with every status the
schema documents."""

from __future__ import annotations

import pytest
from django.test import Client

from kansou.community.models import Ban
from kansou.discovery.pairs.models import AnimePair, PairAgreement
from tests.catalog.factories import AnimeFactory
from tests.community.comment_factories import ReaderFactory
from tests.discovery.pairs_factories import (  # noqa: F401 (fixtures)
    PITCH,
    PairFactory,
    fast_password_hashing_fixture,
    moderator_fixture,
    newcomer_fixture,
    reader_fixture,
    two_fixture,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"


def pairs_url(anime) -> str:
    return f"/api/anime/{anime.pk}/pairs"


def agreement_url(pair) -> str:
    return f"/api/pairs/{pair.pk}/agreement"


def post(client, anime, body):
    return client.post(pairs_url(anime), body, content_type=JSON)


class TestList:
    def test_anonymous_readers_get_approved_pairs_most_agreed_first(self, client, two):
        quiet = PairFactory(anime_a=two[0], anime_b=two[1], pitch="Quiet, and a little sad too.")
        loud = PairFactory(anime_a=two[1], anime_b=two[0])
        PairAgreement.objects.create(pair=loud, user=ReaderFactory())
        PairFactory(anime_a=two[0], anime_b=two[1], status="pending", pitch="zq secret pitch")
        response = client.get(pairs_url(two[1]))
        assert response.status_code == 200
        body = response.json()
        assert [p["id"] for p in body] == [loud.pk, quiet.pk]
        assert body[0]["agreements"] == 1 and body[0]["submitter"] == loud.user.username
        assert [a["id"] for a in body[0]["anime"]] == [two[0].pk, two[1].pk]
        assert body[0]["kind"] == "community" and body[0]["review_url"] is None
        assert "zq secret" not in response.text

    def test_an_unknown_anime_is_404(self, client):
        response = client.get("/api/anime/999999/pairs")
        assert response.status_code == 404 and response.json()["detail"]


class TestRecommend:
    def test_anonymous_is_401(self, client, two):
        assert post(client, two[0], {"other_id": two[1].pk, "pitch": PITCH}).status_code == 401

    def test_created_then_edited(self, client, two, reader):
        client.force_login(reader)
        response = post(client, two[0], {"other_id": two[1].pk, "pitch": PITCH})
        assert response.status_code == 201
        assert response.json()["status"] == "approved"
        assert response.json()["pair"]["pitch"] == PITCH
        again = post(client, two[1], {"other_id": two[0].pk, "pitch": "An edited pitch, longer."})
        assert again.status_code == 200 and AnimePair.objects.get().pitch.startswith("An edited")

    def test_a_new_account_is_held(self, client, two, newcomer):
        client.force_login(newcomer)
        response = post(client, two[0], {"other_id": two[1].pk, "pitch": PITCH})
        assert response.status_code == 201 and response.json()["status"] == "pending"
        assert client.get(pairs_url(two[0])).json() == []

    def test_refusals(self, client, two, reader):
        client.force_login(reader)
        cases = [
            ({"other_id": two[0].pk, "pitch": PITCH}, 400, "itself"),
            ({"other_id": two[1].pk, "pitch": "\x07 too short \x07"}, 400, "too short"),
            ({"other_id": two[1].pk, "pitch": "x" * 1001}, 400, "too long"),
            ({"other_id": 999_999, "pitch": PITCH}, 404, "999999"),
            ({"other_id": str(two[1].pk), "pitch": PITCH}, 422, "other_id"),
            ({"pitch": PITCH}, 422, "other_id"),
        ]
        for body, status, says in cases:
            response = post(client, two[0], body)
            assert (response.status_code, says in response.json()["detail"]) == (status, True)
        assert not AnimePair.objects.exists()

    def test_banned_and_taken_down_are_403(self, client, two, reader, moderator):
        PairFactory(anime_a=two[0], anime_b=two[1], user=reader, status="hidden")
        client.force_login(reader)
        response = post(client, two[0], {"other_id": two[1].pk, "pitch": PITCH})
        assert response.status_code == 403 and "took this" in response.json()["detail"]
        Ban.objects.create(user=reader, by=moderator)
        response = post(client, two[0], {"other_id": AnimeFactory().pk, "pitch": PITCH})
        assert response.status_code == 403

    def test_too_fast_is_429_with_retry_after(self, client, two, reader, settings):
        settings.KANSOU_COMMENT_RATE = "1/m"
        client.force_login(reader)
        post(client, two[0], {"other_id": two[1].pk, "pitch": PITCH})
        response = post(client, two[0], {"other_id": AnimeFactory().pk, "pitch": PITCH})
        assert response.status_code == 429 and int(response["Retry-After"]) > 0

    def test_without_the_csrf_token_is_403(self, two, reader):
        client = Client(enforce_csrf_checks=True)
        client.force_login(reader)
        response = post(client, two[0], {"other_id": two[1].pk, "pitch": PITCH})
        assert response.status_code == 403 and not AnimePair.objects.exists()


class TestAgreement:
    def test_agree_then_withdraw(self, client, reader):
        pair = PairFactory()
        client.force_login(reader)
        assert client.get(agreement_url(pair)).json() == {"agreed": False, "agreements": 0}
        response = client.post(agreement_url(pair))
        assert response.status_code == 201 and response.json() == {"agreed": True, "agreements": 1}
        again = client.post(agreement_url(pair))
        assert again.status_code == 409 and "already agree" in again.json()["detail"]
        response = client.delete(agreement_url(pair))
        assert response.status_code == 200 and response.json()["agreed"] is False
        assert client.delete(agreement_url(pair)).status_code == 200

    def test_statuses(self, client, two, reader):
        own = PairFactory(anime_a=two[0], anime_b=two[1], user=reader)
        other = PairFactory(anime_a=two[0], anime_b=two[1])
        pending = PairFactory(status="pending")
        assert client.post(agreement_url(other)).status_code == 401
        assert client.get(agreement_url(other)).status_code == 401
        client.force_login(reader)
        assert client.post(agreement_url(own)).status_code == 403
        assert client.post(agreement_url(other)).status_code == 409
        for method in (client.get, client.post, client.delete):
            assert method(agreement_url(pending)).status_code == 404
        assert client.post("/api/pairs/999999/agreement").status_code == 404


def test_every_status_is_documented(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    documented = {
        ("/api/anime/{anime_id}/pairs", "get"): {"200", "404", "422"},
        ("/api/anime/{anime_id}/pairs", "post"): {
            "200", "201", "400", "401", "403", "404", "409", "413", "422", "429",
        },
        ("/api/pairs/{pair_id}/agreement", "get"): {"200", "401", "404", "422"},
        ("/api/pairs/{pair_id}/agreement", "post"): {"201", "401", "403", "404", "409", "422"},
        ("/api/pairs/{pair_id}/agreement", "delete"): {"200", "401", "403", "404", "422"},
    }  # fmt: skip
    for (path, method), statuses in documented.items():
        assert set(paths[path][method]["responses"]) == statuses, (path, method)
