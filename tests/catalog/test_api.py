"""The catalog JSON API: list, detail and lookup, and the errors a client gets."""

from __future__ import annotations

import pytest
from django.test import Client

from kansou.api import SERVER_ERROR
from kansou.catalog.models import AnimeTitle, Origin

from .factories import (
    AnimeCompanyFactory,
    AnimeFactory,
    AnimeTagFactory,
    AnimeTitleFactory,
    CharacterFactory,
    CompanyFactory,
    ExternalIdFactory,
    RelationFactory,
    StaffCreditFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def titles(payload) -> list[str]:
    return [row["title"] for row in payload["results"]]


class TestAnimeList:
    def test_filters_and_sort_work_as_on_the_page(self, client):
        AnimeFactory(title="Old film", kind="MOVIE", year=2001)
        AnimeFactory(title="New film", kind="MOVIE", year=2019)
        AnimeFactory(title="Series", kind="TV", year=2019)

        response = client.get("/api/anime", {"type": "movie", "sort": "newest"})

        assert response.status_code == 200
        assert titles(response.json()) == ["New film", "Old film"]

    def test_tag_filter_and_tags_leave_out_hidden_tags(self, client):
        anime = AnimeFactory(title="Koe no Katachi")
        AnimeTagFactory(anime=anime, tag=TagFactory(name="drama"))
        AnimeTagFactory(anime=anime, tag=TagFactory(name="ecchi"))
        AnimeTagFactory(anime=anime, tag=TagFactory(name="ecchi"), origin=Origin.HIDDEN)

        assert client.get("/api/anime", {"tag": "ecchi"}).json()["count"] == 0
        [row] = client.get("/api/anime", {"tag": "drama"}).json()["results"]
        assert row["tags"] == ["drama"]

    def test_pages_link_to_their_neighbours(self, client):
        AnimeFactory.create_batch(5, main_title=False)

        first = client.get("/api/anime", {"page_size": 2}).json()
        last = client.get("/api/anime", {"page_size": 2, "page": 3}).json()

        assert first["count"] == 5 and len(first["results"]) == 2
        assert first["previous"] is None
        assert first["next"] == "http://testserver/api/anime?page_size=2&page=2"
        assert last["next"] is None and len(last["results"]) == 1
        assert last["previous"].endswith("page=2")

    def test_entries_carry_no_synopsis(self, client):
        AnimeFactory(synopsis="THIRD PARTY TEXT")

        assert "THIRD PARTY TEXT" not in client.get("/api/anime").text

    @pytest.mark.parametrize(
        ("params", "param"),
        [
            ({"year_from": "abc"}, "year_from"),
            ({"year_to": "1200"}, "year_to"),
            ({"page": "0"}, "page"),
            ({"page_size": "1000"}, "page_size"),
            ({"sort": "sideways"}, "sort"),
            ({"type": "NOVEL"}, "type"),
            ({"status": "PAUSED"}, "status"),
        ],
    )
    def test_bad_parameters_are_422_naming_the_parameter(self, client, params, param):
        response = client.get("/api/anime", params)

        assert response.status_code == 422
        body = response.json()
        assert body["detail"].startswith(f"{param}: ")
        assert [error["param"] for error in body["errors"]] == [param]

    def test_page_past_the_end_is_404(self, client):
        AnimeFactory()

        response = client.get("/api/anime", {"page": 3})

        assert response.status_code == 404
        assert response.json() == {"detail": "page 3 is past the last page (1)."}

    def test_runs_a_fixed_number_of_queries(self, client, django_assert_num_queries):
        for n in range(30):
            AnimeTagFactory(tag=TagFactory(name=f"tag {n % 4}"))

        # count, page, shown tags of the page's entries
        with django_assert_num_queries(3):
            client.get("/api/anime", {"page_size": 100})


class TestAnimeDetail:
    def test_has_every_part_of_the_entry(self, client):
        anime = AnimeFactory(title="Koe no Katachi", kind="MOVIE", duration_seconds=7800)
        AnimeTitleFactory(anime=anime, text="聲の形")
        AnimeTitleFactory(anime=anime, text="A Silent Voice", kind=AnimeTitle.Kind.ENGLISH)
        AnimeTagFactory(anime=anime, tag=TagFactory(name="drama"))
        AnimeCompanyFactory(anime=anime, company=CompanyFactory(name="Kyoto Animation"))
        AnimeCompanyFactory(anime=anime, company=CompanyFactory(name="Pony"), role="producer")
        StaffCreditFactory(anime=anime, role="Director", person__name="Naoko Yamada")
        CharacterFactory(anime=anime, name="Shouko Nishimiya", description="A deaf girl.")
        sequel = AnimeFactory(title="Sequel")
        RelationFactory(anime=anime, target=sequel, target_url="https://anidb.net/anime/1")
        ExternalIdFactory(anime=anime, external_id="28851")

        body = client.get(f"/api/anime/{anime.pk}").json()

        assert (body["title"], body["type"], body["duration_seconds"]) == (
            "Koe no Katachi",
            "MOVIE",
            7800,
        )
        assert {"text": "聲の形", "kind": "synonym", "language": "ja", "local": False} in body[
            "titles"
        ]
        assert body["tags"] == [{"name": "drama", "slug": "drama", "local": False}]
        assert body["studios"] == [{"name": "Kyoto Animation", "local": False}]
        assert body["producers"] == [{"name": "Pony", "local": False}]
        assert body["staff"][0]["person"] == "Naoko Yamada"
        assert body["characters"][0]["description"] == "A deaf girl."
        assert body["relations"][0] | {"local": None} == {
            "type": "SEQUEL",
            "anime_id": sequel.pk,
            "title": "Sequel",
            "url": "https://anidb.net/anime/1",
            "local": None,
        }
        assert body["sources"] == [
            {
                "site": "myanimelist",
                "site_label": "MyAnimeList",
                "external_id": "28851",
                "url": "https://myanimelist.net/anime/28851",
            }
        ]
        assert body["local_fields"] == []
        assert "synopsis" not in body

    def test_local_fields_name_the_corrected_values(self, client):
        anime = AnimeFactory(local_overrides={"episodes": 13, "title": "Fixed"})

        body = client.get(f"/api/anime/{anime.pk}").json()

        assert body["local_fields"] == ["title", "episodes"]
        assert (body["title"], body["episodes"]) == ("Fixed", 13)

    def test_unknown_id_is_404_with_a_message(self, client):
        response = client.get("/api/anime/424242")

        assert response.status_code == 404
        assert response.json() == {"detail": "No anime with id 424242."}


class TestAnimeLookup:
    def test_finds_by_any_title_and_says_which_matched(self, client):
        anime = AnimeFactory(title="Koe no Katachi", kind="MOVIE", year=2016, score=8.8)
        AnimeTitleFactory(anime=anime, text="A Silent Voice")
        ExternalIdFactory(anime=anime, external_id="28851")
        AnimeFactory(title="Kimi no Na wa.")

        [match] = client.get("/api/anime/lookup", {"q": "a silent voice", "limit": 1}).json()

        assert match["id"] == anime.pk
        assert match["matched_title"] == "A Silent Voice"
        assert (match["title"], match["type"], match["year"], match["score"]) == (
            "Koe no Katachi",
            "MOVIE",
            2016,
            8.8,
        )
        assert match["sources"][0]["url"] == "https://myanimelist.net/anime/28851"

    def test_needs_a_query_and_a_sane_limit(self, client):
        assert client.get("/api/anime/lookup").json()["detail"] == "q: Field required"
        response = client.get("/api/anime/lookup", {"q": "x", "limit": 500})
        assert response.status_code == 422
        assert response.json()["detail"].startswith("limit: ")


def test_openapi_schema_lists_the_catalog_paths(client):
    schema = client.get("/api/openapi.json").json()

    assert {"/api/anime", "/api/anime/lookup", "/api/anime/{anime_id}"} <= set(schema["paths"])
    params = {p["name"] for p in schema["paths"]["/api/anime"]["get"]["parameters"]}
    assert params == {
        "type",
        "year_from",
        "year_to",
        "tag",
        "status",
        "q",
        "reviewed",
        "sort",
        "page",
        "page_size",
    }


class TestApiContract:
    """Findings 22–24: every answer under /api/ is JSON and documented; empty values are 422."""

    def test_422_is_documented_with_the_shared_error_schema(self, client):
        schema = client.get("/api/openapi.json").json()

        for path in ("/api/anime", "/api/anime/lookup"):
            documented = schema["paths"][path]["get"]["responses"]["422"]
            shape = documented["content"]["application/json"]["schema"]
            assert shape == {"$ref": "#/components/schemas/ValidationErrorOut"}
        shared = schema["components"]["schemas"]["ValidationErrorOut"]
        assert set(shared["required"]) == {"detail", "errors"}

    def test_a_year_out_of_range_is_a_documented_422(self, client):
        response = client.get("/api/anime", {"year_to": "0"})

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "year_to"

    @pytest.mark.parametrize(
        "query", ["status=&year_from=", "type=", "tag=", "q=", "q=%20%20", "sort=", "page="]
    )
    def test_an_empty_parameter_is_422_naming_it(self, client, query):
        response = client.get(f"/api/anime?{query}")

        assert response.status_code == 422
        named = {error["param"] for error in response.json()["errors"]}
        assert named == {part.split("=")[0] for part in query.split("&")}

    def test_a_control_character_in_the_search_is_422(self, client):
        for path in ("/api/anime", "/api/anime/lookup"):
            response = client.get(path, {"q": "Kimi\x00 no"})
            assert response.status_code == 422
            assert response.json()["errors"][0]["param"] == "q"

    @pytest.mark.parametrize("path", ["/api/anime/null", "/api/anime/-1", "/api/nothing", "/api/"])
    def test_unknown_paths_and_ids_that_are_not_numbers_are_a_json_404(self, client, path):
        response = client.get(path)

        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": f"No such API endpoint: {path}"}

    def test_a_method_the_path_does_not_take_is_a_json_405_with_allow(self, client):
        response = client.post("/api/anime", {}, content_type="application/json")

        assert response.status_code == 405
        assert response["Content-Type"] == "application/json"
        assert response["Allow"] == "GET"
        assert response.json() == {"detail": "POST is not allowed here; allowed: GET."}

    def test_an_unexpected_error_is_a_json_500_and_is_logged(self, monkeypatch, caplog):
        def broken(**kwargs):
            raise RuntimeError("the database fell over")

        monkeypatch.setattr("kansou.catalog.api.anime_search", broken)
        client = Client(raise_request_exception=False)

        response = client.get("/api/anime")

        assert response.status_code == 500
        assert response.json() == {"detail": SERVER_ERROR}
        assert "the database fell over" not in response.text
        [record] = [r for r in caplog.records if r.name == "django.request"]
        assert record.exc_info[1].args == ("the database fell over",)
