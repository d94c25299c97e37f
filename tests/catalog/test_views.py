"""The catalog pages as a visitor sees them: the filterable list and an entry's page."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.urls import reverse

from kansou.catalog.models import AnimeTitle, Origin
from kansou.catalog.selectors import anime_detail
from kansou.catalog.seo import anime_page_seo

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

LIST_URL = reverse("catalog:anime-list")


def titles_on(response) -> list[str]:
    return [anime.title for anime in response.context["page"].object_list]


class TestCatalogList:
    def test_the_catalog_lives_at_anime_and_the_home_page_is_the_reviews(self, client):
        AnimeFactory(title="Koe no Katachi")

        assert LIST_URL == reverse("catalog:anime-index") == "/anime/"
        assert "Koe no Katachi" not in client.get("/").text
        for url in (LIST_URL,):
            response = client.get(url)
            assert response.status_code == 200
            assert "Koe no Katachi" in response.text

    def test_type_filter_keeps_only_the_chosen_types(self, client):
        AnimeFactory(title="A series", kind="TV")
        AnimeFactory(title="A film", kind="MOVIE")
        AnimeFactory(title="An OVA", kind="OVA")

        response = client.get(LIST_URL, {"type": ["MOVIE", "OVA"]})

        assert sorted(titles_on(response)) == ["A film", "An OVA"]

    def test_year_range_keeps_years_inside_it(self, client):
        for year in (2010, 2015, 2020):
            AnimeFactory(title=f"From {year}", year=year)

        response = client.get(LIST_URL, {"year_from": "2012", "year_to": "2018"})

        assert titles_on(response) == ["From 2015"]

    def test_tag_filter_leaves_out_entries_whose_tag_is_hidden_locally(self, client):
        drama = TagFactory(name="drama")
        kept = AnimeTagFactory(tag=drama, anime=AnimeFactory(title="Tagged")).anime
        masked = AnimeTagFactory(tag=drama, anime=AnimeFactory(title="Hid its tag")).anime
        AnimeTagFactory(tag=drama, anime=masked, origin=Origin.HIDDEN)
        AnimeFactory(title="Untagged")

        response = client.get(LIST_URL, {"tag": "drama"})

        assert titles_on(response) == [kept.title]

    def test_status_filter(self, client):
        AnimeFactory(title="Done", status="FINISHED")
        AnimeFactory(title="Airing", status="ONGOING")

        assert titles_on(client.get(LIST_URL, {"status": "ONGOING"})) == ["Airing"]

    def test_title_search_finds_an_entry_by_any_of_its_titles(self, client):
        anime = AnimeFactory(title="Koe no Katachi")
        AnimeTitleFactory(anime=anime, text="A Silent Voice")
        AnimeFactory(title="Kimi no Na wa.")

        response = client.get(LIST_URL, {"q": "a silent voice"})

        assert titles_on(response) == ["Koe no Katachi"]
        assert "Matched “<span>A Silent Voice</span>”" in response.text

    def test_default_order_is_highest_score_first_with_unscored_last(self, client):
        AnimeFactory(title="Middle", score=7.0)
        AnimeFactory(title="Unscored", score=None)
        AnimeFactory(title="Best", score=9.1)

        assert titles_on(client.get(LIST_URL)) == ["Best", "Middle", "Unscored"]

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("title", ["alpha", "Beta", "Gamma"]),
            ("newest", ["Gamma", "alpha", "Beta"]),
            ("oldest", ["Beta", "alpha", "Gamma"]),
            ("episodes", ["Beta", "Gamma", "alpha"]),
        ],
    )
    def test_sort_orders(self, client, sort, expected):
        AnimeFactory(title="Beta", year=2001, episodes=50)
        AnimeFactory(title="alpha", year=2010, episodes=1)
        AnimeFactory(title="Gamma", year=2020, episodes=12)

        assert titles_on(client.get(LIST_URL, {"sort": sort})) == expected

    def test_pages_hold_48_entries_and_links_keep_the_filters(self, client):
        AnimeFactory.create_batch(50, kind="TV", main_title=False)

        first = client.get(LIST_URL, {"type": "TV"})
        second = client.get(LIST_URL, {"type": "TV", "page": "2"})

        assert len(first.context["page"].object_list) == 48
        assert len(second.context["page"].object_list) == 2
        assert 'href="?type=TV&amp;page=2" rel="next"' in first.text
        assert 'aria-current="page"' in second.text

    def test_invalid_filters_are_ignored_with_a_message(self, client):
        AnimeFactory(title="Kept", kind="TV", year=2001)

        response = client.get(
            LIST_URL, {"year_from": "abc", "sort": "sideways", "type": ["TV", "NOVEL"]}
        )

        assert response.status_code == 200
        assert titles_on(response) == ["Kept"]
        assert "From year “abc” is not a year between 1900 and 2100; ignored." in response.text
        assert "Sort “sideways” is not a sort order; ignored." in response.text
        assert "Type “NOVEL” is not an anime type; ignored." in response.text

    def test_a_page_past_the_end_shows_the_last_page(self, client):
        AnimeFactory(title="Only")

        assert titles_on(client.get(LIST_URL, {"page": "99"})) == ["Only"]

    def test_card_shows_thumbnail_facts_score_and_first_tags(self, client):
        anime = AnimeFactory(
            title="Koe no Katachi", kind="MOVIE", season="SUMMER", year=2016, episodes=1, score=8.8
        )
        for name in ("drama", "romance", "school", "shounen"):
            AnimeTagFactory(anime=anime, tag=TagFactory(name=name))

        html = client.get(LIST_URL).text

        assert 'src="data:image/svg+xml,' in html and 'alt="Koe no Katachi poster"' in html
        assert 'loading="lazy"' in html
        assert "Summer 2016" in html and "1 ep<" in html and "★ 8.80" in html
        assert "<li>school</li>" in html and "<li>shounen</li>" not in html

    def test_list_runs_a_fixed_number_of_queries(self, client, django_assert_num_queries):
        for n in range(30):
            anime = AnimeFactory()
            AnimeTagFactory(anime=anime, tag=TagFactory(name=f"tag {n % 5}"))

        # tags for the form, count, page, shown tags of the page's entries
        with django_assert_num_queries(4):
            client.get(LIST_URL, {"type": "TV", "year_from": "2000"})

    def test_search_runs_a_fixed_number_of_queries(self, client, django_assert_num_queries):
        AnimeFactory.create_batch(10)
        # + the title matcher (titles starting with the query, titles like it, and on SQLite
        # its trigrams' counts first), matched rows and their sources (2)
        with django_assert_num_queries(9 if connection.vendor == "sqlite" else 8):
            client.get(LIST_URL, {"q": "anime"})


def full_entry():
    anime = AnimeFactory(
        title="Koe no Katachi",
        kind="MOVIE",
        episodes=1,
        status="FINISHED",
        season="SUMMER",
        year=2016,
        duration_seconds=7800,
        score=8.8,
        synopsis="A SYNOPSIS FROM A THIRD PARTY",
    )
    AnimeTitleFactory(anime=anime, text="聲の形", language="ja")
    AnimeTitleFactory(anime=anime, text="A Silent Voice", kind=AnimeTitle.Kind.ENGLISH)
    AnimeTagFactory(anime=anime, tag=TagFactory(name="drama"))
    AnimeCompanyFactory(anime=anime, company=CompanyFactory(name="Kyoto Animation"))
    AnimeCompanyFactory(anime=anime, company=CompanyFactory(name="Pony Canyon"), role="producer")
    StaffCreditFactory(anime=anime, role="Director", person__name="Naoko Yamada")
    CharacterFactory(anime=anime, name="Shouko Nishimiya", role="main", description="A deaf girl.")
    sequel = AnimeFactory(title="Koe no Katachi 2")
    RelationFactory(anime=anime, target=sequel, target_url="https://myanimelist.net/anime/1")
    RelationFactory(anime=anime, target_url="https://anidb.net/anime/777", relation_type="OTHER")
    ExternalIdFactory(
        anime=anime, site="anidb", external_id="11862", url="https://anidb.net/anime/11862"
    )
    return anime


class TestAnimeDetail:
    def test_shows_every_section(self, client):
        anime = full_entry()

        html = client.get(anime.get_absolute_url()).text

        for text in (
            '<h1 id="anime-title">Koe no Katachi',
            "Movie",
            "Summer 2016",
            "130 min",
            "★ 8.80",
            "Finished",
            '<li dir="auto" lang="ja">聲の形',
            "A Silent Voice",
            'href="/anime/?tag=drama">drama</a>',
            "Kyoto Animation",
            "Pony Canyon",
            "<dt>Director</dt><dd>Naoko Yamada",
            "Shouko Nishimiya",
            "Main character",
            "A deaf girl.",
            '">Koe no Katachi 2</a>',
            'href="https://anidb.net/anime/777"',
            'href="https://anidb.net/anime/11862" rel="nofollow noopener" class="external">AniDB',
            'class="poster__cover" src="data:image/svg+xml,',  # no poster stored: a cover
        ):
            assert text in html, text

    def test_does_not_show_the_synopsis(self, client):
        anime = full_entry()

        assert "A SYNOPSIS FROM A THIRD PARTY" not in client.get(anime.get_absolute_url()).text

    def test_unknown_entry_is_404(self, client):
        assert client.get(reverse("catalog:anime-detail", args=[999])).status_code == 404

    def test_hidden_tag_company_and_title_are_not_shown(self, client):
        anime = AnimeFactory()
        tag = AnimeTagFactory(anime=anime, tag=TagFactory(name="ecchi")).tag
        AnimeTagFactory(anime=anime, tag=tag, origin=Origin.HIDDEN)
        company = AnimeCompanyFactory(anime=anime, company=CompanyFactory(name="Wrong Studio"))
        AnimeCompanyFactory(anime=anime, company=company.company, origin=Origin.HIDDEN)
        AnimeTitleFactory(anime=anime, text="Bad Synonym")
        AnimeTitleFactory(anime=anime, text="bad synonym!", origin=Origin.HIDDEN)

        html = client.get(anime.get_absolute_url()).text

        assert "ecchi" not in html
        assert "Wrong Studio" not in html
        assert "Bad Synonym" not in html and "bad synonym!" not in html

    def test_local_values_carry_a_local_badge(self, client):
        anime = AnimeFactory(title="Imported", local_overrides={"title": "Corrected", "year": 2017})
        AnimeTagFactory(anime=anime, tag=TagFactory(name="found family"), origin=Origin.LOCAL)

        html = client.get(anime.get_absolute_url()).text

        badge = '<span class="badge badge--local" title="Corrected locally">local</span>'
        assert f'<h1 id="anime-title">Corrected {badge}' in html
        assert f"2017 {badge}" in html
        assert f"found family</a> {badge}" in html
        assert html.count(badge) == 3

    def test_editors_get_an_edit_link_and_visitors_do_not(self, client):
        anime = AnimeFactory()
        editor = User.objects.create_user("editor")
        editor.user_permissions.add(Permission.objects.get(codename="change_anime"))

        assert "Edit / correct this entry" not in client.get(anime.get_absolute_url()).text
        client.force_login(editor)
        html = client.get(anime.get_absolute_url()).text
        assert f'href="/anime/{anime.pk}/edit/">Edit / correct this entry' in html

    def test_page_runs_a_fixed_number_of_queries(self, client, django_assert_num_queries):
        anime = full_entry()

        # 8 for the entry, 1 for the reviews panel (published reviews with their bylines),
        # 4 for discovery's panels (no trained model: shared tags, none here; a review's
        # written audience profiles; creator credits). The list panel reads nothing for an
        # anonymous reader.
        with django_assert_num_queries(13):
            client.get(anime.get_absolute_url())


def test_layout_credits_the_catalog_data_and_links_the_api_docs(client):
    html = client.get(LIST_URL).text

    assert 'href="https://github.com/manami-project/anime-offline-database"' in html
    assert "ODbL 1.0 / DbCL 1.0" in html
    assert 'href="/api/docs"' in html
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html


def json_ld_on(html: str) -> dict:
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(script)


def meta_on(html: str) -> dict[str, str]:
    """``og:…`` and ``twitter:…`` meta tags, unescaped."""
    found = re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)">', html)
    return {key: unescape(value) for key, value in found}


class TestAnimeDetailForMachines:
    def test_a_film_is_a_movie_with_titles_image_year_genres_and_no_synopsis(self, client):
        anime = full_entry()
        AnimeTitleFactory(anime=anime, text="聲の形 (native)", kind=AnimeTitle.Kind.NATIVE)

        html = client.get(anime.get_absolute_url()).text

        data = json_ld_on(html)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "Movie"
        assert data["name"] == "Koe no Katachi"
        assert data["url"] == f"http://testserver{anime.get_absolute_url()}"
        assert data["alternateName"] == ["A Silent Voice", "聲の形 (native)"]
        assert data["image"] == anime.picture
        assert data["datePublished"] == "2016"
        assert data["genre"] == ["drama"]
        assert data["productionCompany"] == [{"@type": "Organization", "name": "Kyoto Animation"}]
        assert data["sameAs"] == ["https://anidb.net/anime/11862"]
        assert "aggregateRating" not in data  # the public score has no count of ratings here
        assert "SYNOPSIS" not in json.dumps(data)

    def test_a_series_is_a_tvseries_with_a_start_year(self, client):
        anime = AnimeFactory(kind="TV", episodes=24, year=2005, picture="")

        data = json_ld_on(client.get(anime.get_absolute_url()).text)

        assert (data["@type"], data["startDate"], data["numberOfEpisodes"]) == (
            "TVSeries",
            "2005",
            24,
        )
        assert "image" not in data and "alternateName" not in data

    def test_only_a_handful_of_other_titles(self, client):
        anime = AnimeFactory()
        for n in range(9):
            AnimeTitleFactory(anime=anime, text=f"Other {n}", kind=AnimeTitle.Kind.ENGLISH)

        data = json_ld_on(client.get(anime.get_absolute_url()).text)

        assert data["alternateName"] == [f"Other {n}" for n in range(5)]

    def test_open_graph_canonical_and_card(self, client):
        anime = full_entry()

        html = client.get(anime.get_absolute_url() + "?utm_source=x").text

        url = f"http://testserver{anime.get_absolute_url()}"
        assert f'<link rel="canonical" href="{url}">' in html
        meta = meta_on(html)
        assert meta["og:type"] == "video.movie"
        assert meta["og:title"] == "Koe no Katachi"
        assert meta["og:url"] == url
        assert meta["og:image"] == anime.picture
        assert meta["og:description"] == "Koe no Katachi: Movie, Summer 2016."
        assert meta["twitter:card"] == "summary_large_image"
        assert '<meta name="description" content="Koe no Katachi: Movie, Summer 2016.">' in html

    def test_a_stored_poster_is_what_link_previews_fetch(self, client):
        anime = full_entry()
        anime.poster = {"stem": f"posters/{anime.pk}/abc123", "width": 460, "height": 650,
                        "widths": [160, 320, 460]}  # fmt: skip
        anime.save(update_fields=["poster"])

        html = client.get(anime.get_absolute_url()).text

        ours = f"http://testserver/media/posters/{anime.pk}/abc123-460.jpg"
        meta = meta_on(html)
        assert meta["og:image"] == meta["twitter:image"] == ours
        assert json_ld_on(html)["image"] == ours

    def test_site_url_setting_makes_the_urls(self, client, settings):
        settings.KANSOU_SITE_URL = "https://kansou.example"
        anime = AnimeFactory()

        html = client.get(anime.get_absolute_url()).text

        assert json_ld_on(html)["url"] == f"https://kansou.example{anime.get_absolute_url()}"
        assert meta_on(html)["og:url"] == f"https://kansou.example{anime.get_absolute_url()}"

    def test_a_title_cannot_close_the_script_or_break_out_of_a_tag(self, client):
        anime = AnimeFactory(title='</script><script>alert(1)</script> "x" & <b>')

        html = client.get(anime.get_absolute_url()).text

        assert "<script>alert(1)" not in html
        assert json_ld_on(html)["name"] == anime.title
        assert meta_on(html)["og:title"] == anime.title

    def test_the_tags_come_from_what_the_page_read_without_a_query(
        self, rf, django_assert_num_queries
    ):
        detail = anime_detail(anime_id=full_entry().pk)

        with django_assert_num_queries(0):
            anime_page_seo(detail, rf.get("/"))


def test_a_long_list_of_titles_folds_after_eight(client):
    from tests.catalog.factories import AnimeTitleFactory

    anime = AnimeFactory(title="Many Names")
    for i in range(12):
        AnimeTitleFactory(anime=anime, text=f"Other name {i:02}", kind="synonym")
    html = client.get(anime.get_absolute_url()).content.decode()
    shown, folded = html.split("<details", 1)
    assert "Other name 07" in shown and "Other name 08" not in shown
    assert "Other name 11" in folded and "4 more" in folded
    assert "Main title (1)" not in html
