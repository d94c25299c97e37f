"""``GET /api/users/{username}/list``: the same privacy rule as the page."""

from __future__ import annotations

import pytest

from kansou.community.models import ListStatus, Privacy

from .factories import AnimeListFactory, ListEntryFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(user) -> str:
    return f"/api/users/{user.username}/list"


class TestReaderListApi:
    def test_public_list_is_served_with_entries_and_counts(self, client):
        entry = ListEntryFactory(score=0, tags="calm, slow")
        body = client.get(url(entry.anime_list.user)).json()
        assert body["privacy"] == "public"
        assert body["counts"] == {"completed": 1}
        [row] = body["entries"]
        assert (row["anime_id"], row["score"]) == (entry.anime_id, None)
        assert row["tags"] == ["calm", "slow"]

    def test_private_list_is_403_for_others_and_served_to_its_owner(self, client):
        entry = ListEntryFactory(anime_list=AnimeListFactory(privacy=Privacy.PRIVATE))
        owner = entry.anime_list.user

        anonymous = client.get(url(owner))
        client.force_login(UserFactory())
        other = client.get(url(owner))
        client.force_login(owner)
        own = client.get(url(owner))

        for response in (anonymous, other):
            assert response.status_code == 403
            assert response.json() == {"detail": "This reader's list is private."}
            assert entry.anime.title not in response.text
        assert own.status_code == 200 and own.json()["entries"][0]["title"] == entry.anime.title

    def test_status_filter_and_bad_status(self, client):
        anime_list = AnimeListFactory()
        ListEntryFactory(anime_list=anime_list, status="watching")
        ListEntryFactory(anime_list=anime_list, status="dropped")
        body = client.get(url(anime_list.user), {"status": "dropped"}).json()
        assert [row["status"] for row in body["entries"]] == ["dropped"]
        assert client.get(url(anime_list.user), {"status": "binging"}).status_code == 422

    def test_unknown_reader_is_404(self, client):
        assert client.get("/api/users/ghost/list").status_code == 404

    def test_status_is_an_enum_in_the_schema(self, client):
        schema = client.get("/api/openapi.json").json()
        [status] = [
            p
            for p in schema["paths"]["/api/users/{username}/list"]["get"]["parameters"]
            if p["name"] == "status"
        ]
        shape = status["schema"]
        ref = shape.get("$ref") or next(s["$ref"] for s in shape["anyOf"] if "$ref" in s)
        enum = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["enum"]
        assert enum == ListStatus.values

    def test_an_empty_status_is_422_not_every_status(self, client):
        entry = ListEntryFactory()

        response = client.get(url(entry.anime_list.user), {"status": ""})

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "status"

    def test_a_name_with_a_control_character_is_422(self, client):
        response = client.get("/api/users/ghost%00/list")

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "username"
