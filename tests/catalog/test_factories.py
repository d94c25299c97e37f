"""The factories build rows the way the importer and local corrections do."""

import pytest

from kansou.catalog.models import AnimeTitle

from .factories import AnimeFactory

pytestmark = pytest.mark.django_db


def test_imported_values_match_the_shown_values():
    anime = AnimeFactory(title="Koe no Katachi", year=2016)

    assert anime.imported["title"] == "Koe no Katachi"
    assert anime.imported["year"] == 2016
    assert anime.local_overrides == {}


def test_local_overrides_win_over_imported_values():
    anime = AnimeFactory(title="Imported", local_overrides={"title": "Corrected"})

    assert anime.title == "Corrected"
    assert anime.imported["title"] == "Imported"
    assert anime.is_local("title")


def test_an_entry_gets_its_main_title_row():
    anime = AnimeFactory(title="Kimi no Na wa.")

    main = AnimeTitle.objects.get(anime=anime)
    assert (main.kind, main.normalized) == ("main", "kimi no na wa")
