"""Review files against the database: references resolved, imports idempotent, round trips."""

from __future__ import annotations

from textwrap import dedent

import pytest
from django.contrib.auth import get_user_model

from kansou.reviews.documents import (
    AnimeReferenceError,
    anime_resolve,
    review_document,
    review_export,
    review_import_path,
    review_import_text,
)
from kansou.reviews.frontmatter import FormatError, dump
from kansou.reviews.models import Review
from tests.catalog.factories import (
    AnimeFactory,
    AnimeTitleFactory,
    CharacterFactory,
    ExternalIdFactory,
)
from tests.reviews.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    koe = AnimeFactory(title="Koe no Katachi", kind="MOVIE", year=2016)
    AnimeTitleFactory(anime=koe, text="A Silent Voice", kind="english")
    ExternalIdFactory(anime=koe, site="myanimelist", url="https://myanimelist.net/anime/28851")
    CharacterFactory(anime=koe, name="Shouko Nishimiya")
    clannad = AnimeFactory(title="Clannad", year=2007)
    hxh_new = AnimeFactory(title="Hunter x Hunter", year=2011)
    hxh_old = AnimeFactory(title="Hunter x Hunter", year=1999)
    return {"koe": koe, "clannad": clannad, "hxh": (hxh_new, hxh_old)}


FILE = dedent(
    """\
    ---
    title: A Silent Voice
    slug: a-silent-voice
    anime: A Silent Voice
    authors: [ana, ben]
    status: published
    publish_at: 2024-03-02 09:00
    score: 9.5
    labels: [Tearjerker, Character study]
    summary: Short.
    audience:
      - name: Drama fans
        why: Because.
        comparable: [Clannad, "https://myanimelist.net/anime/28851"]
    characters:
      - name: Shouko Nishimiya
        text: Kind.
      - name: Someone else
        text: Not in the catalog.
    themes:
      - name: Atonement
        text: Hard.
    final_thoughts: Watch it.
    sections:
      - heading: Bridge
        body: "::: spoiler Ending\\nShe lives.\\n:::"
    ---

    Intro.
    """
)


class TestAnimeResolve:
    def test_title_in_any_language_finds_the_entry(self, catalog):
        assert anime_resolve(reference="a silent voice") == catalog["koe"]

    def test_source_url_and_catalog_id_find_the_entry(self, catalog):
        assert anime_resolve(reference="https://myanimelist.net/anime/28851/") == catalog["koe"]
        assert anime_resolve(reference=f"#{catalog['clannad'].pk}") == catalog["clannad"]

    def test_unknown_title_lists_the_near_misses_with_ids(self, catalog):
        with pytest.raises(AnimeReferenceError) as info:
            anime_resolve(reference="Clanad Movie")
        assert "no anime in the catalog is called" in str(info.value)
        assert f"#{catalog['clannad'].pk} Clannad" in str(info.value)

    def test_ambiguous_title_lists_every_close_candidate(self, catalog):
        with pytest.raises(AnimeReferenceError) as info:
            anime_resolve(reference="Hunter x Hunter")
        message = str(info.value)
        assert "could be several anime" in message
        for anime in catalog["hxh"]:
            assert f"#{anime.pk} Hunter x Hunter (TV, {anime.year})" in message

    def test_unknown_url_and_id_are_errors(self, catalog):
        with pytest.raises(AnimeReferenceError):
            anime_resolve(reference="https://anilist.co/anime/1")
        with pytest.raises(AnimeReferenceError):
            anime_resolve(reference="#999999")


class TestImport:
    def test_a_file_becomes_a_review_with_every_section(self, catalog):
        result = review_import_text(text=FILE, source="koe.md")
        review = result.review
        assert result.action == "created"
        assert review.anime == catalog["koe"]
        assert [u.username for u in review.ordered_authors()] == ["ana", "ben"]
        assert sorted(label.name for label in review.labels.all()) == [
            "Character study", "Tearjerker",
        ]  # fmt: skip
        profile = review.audience.get()
        assert [c.anime for c in profile.comparable_titles.all()] == [
            catalog["clannad"], catalog["koe"],
        ]  # fmt: skip
        shouko, other = review.characters.all()
        assert shouko.character.name == "Shouko Nishimiya" and other.character is None
        assert (
            '<details class="spoiler"><summary>Ending</summary>' in review.sections.get().body_html
        )
        assert review.intro_html == "<p>Intro.</p>"

    def test_unknown_authors_become_inactive_users_and_are_reported(self, catalog):
        UserFactory(username="ana")
        result = review_import_text(text=FILE)
        assert result.new_authors == ["ben"]
        ben = get_user_model().objects.get(username="ben")
        assert not ben.is_active and not ben.has_usable_password()

    def test_importing_the_same_file_again_changes_nothing(self, catalog):
        first = review_import_text(text=FILE).review
        second = review_import_text(text=FILE)
        assert second.action == "unchanged"
        assert Review.objects.get().updated_at == first.updated_at

    def test_a_changed_file_updates_the_review_with_the_same_slug(self, catalog):
        review_import_text(text=FILE)
        result = review_import_text(text=FILE.replace("score: 9.5", "score: 8"))
        assert result.action == "updated"
        assert Review.objects.count() == 1 and str(Review.objects.get().score) == "8.0"

    def test_export_then_import_gives_an_identical_review(self, catalog, tmp_path):
        original = review_import_text(text=FILE).review
        before = dump(review_document(review=original))
        path = review_export(review=original, directory=tmp_path)
        Review.objects.all().delete()
        again = review_import_path(path=path).review
        assert dump(review_document(review=again)) == before
        assert review_import_path(path=path).action == "unchanged"

    def test_export_names_anime_by_source_url(self, catalog, tmp_path):
        review = review_import_text(text=FILE).review
        text = review_export(review=review, directory=tmp_path).read_text()
        assert "anime: https://myanimelist.net/anime/28851\n" in text

    def test_unknown_anime_error_names_line_field_and_candidates(self, catalog):
        bad = FILE.replace("comparable: [Clannad,", "comparable: [Clanad Movie,")
        with pytest.raises(FormatError) as info:
            review_import_text(text=bad, source="koe.md")
        error = info.value
        assert (error.source, error.line, error.field) == ("koe.md", 14, "audience.0.comparable.0")
        assert f"#{catalog['clannad'].pk} Clannad" in str(error)
        assert not Review.objects.exists()

    def test_ambiguous_anime_is_an_error_at_its_line(self, catalog):
        with pytest.raises(FormatError) as info:
            review_import_text(text=FILE.replace("anime: A Silent Voice", "anime: Hunter x Hunter"))
        assert (info.value.line, info.value.field) == (4, "anime")
        assert "could be several anime" in str(info.value)
        assert not Review.objects.exists()

    def test_a_failed_import_writes_nothing(self, catalog):
        bad = FILE.replace("comparable: [Clannad,", "comparable: [Nothing Like This,")
        with pytest.raises(FormatError):
            review_import_text(text=bad)
        assert not Review.objects.exists()
        assert not get_user_model().objects.filter(username__in=["ana", "ben"]).exists()


def test_an_invalid_author_name_is_a_format_error_at_its_line(catalog):
    text = FILE.replace("authors: [ana, ben]", 'authors: [ana, "no spaces allowed"]')
    with pytest.raises(FormatError) as caught:
        review_import_text(text=text, source="bad.md")
    assert str(caught.value).startswith(
        "bad.md, line 5: field 'authors.1': 'no spaces allowed' is not a valid username"
    )
    assert not Review.objects.exists() and not get_user_model().objects.exists()
