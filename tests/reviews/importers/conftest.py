"""A small catalog with the traps blog titles set: English and Japanese titles, two anime with
the same title, and short titles that are also common words."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.catalog.factories import AnimeFactory, AnimeTitleFactory, CharacterFactory

FILES = Path(__file__).parent / "files"


@pytest.fixture
def catalog(db):
    koe = AnimeFactory(title="Koe no Katachi", kind="MOVIE", year=2016)
    AnimeTitleFactory(anime=koe, text="A Silent Voice", kind="english")
    AnimeTitleFactory(anime=koe, text="聲の形", kind="japanese")
    CharacterFactory(anime=koe, name="Shouko Nishimiya")
    erased = AnimeFactory(title="Boku dake ga Inai Machi", year=2016)
    AnimeTitleFactory(anime=erased, text="Erased", kind="english")
    your_name = AnimeFactory(title="Kimi no Na wa.", kind="MOVIE", year=2016)
    AnimeTitleFactory(anime=your_name, text="Your Name.", kind="english")
    weathering = AnimeFactory(title="Tenki no Ko", kind="MOVIE", year=2019)
    AnimeTitleFactory(anime=weathering, text="Weathering With You", kind="english")
    aot = AnimeFactory(title="Shingeki no Kyojin", year=2013)
    AnimeTitleFactory(anime=aot, text="Attack on Titan", kind="english")
    return {
        "koe": koe, "erased": erased, "your_name": your_name, "weathering": weathering,
        "aot": aot,
        "another": AnimeFactory(title="Another", year=2012),
        "monster": AnimeFactory(title="Monster", year=2004),
        "air": AnimeFactory(title="Air", year=2005),
        "hxh": (AnimeFactory(title="Hunter x Hunter", year=2011),
                AnimeFactory(title="Hunter x Hunter", year=1999)),
    }  # fmt: skip
