"""Franchises from titles: a series' sequels, movies and specials group; unrelated titles that
start alike do not."""

from __future__ import annotations

import pytest

from kansou.recommend.franchise import franchise_ids, franchise_key


@pytest.mark.parametrize(
    "titles",
    [
        [
            "Shingeki no Kyojin",
            "Shingeki no Kyojin Season 2",
            "Shingeki no Kyojin Movie 1: Guren no Yumiya",
        ],
        ["Naruto Movie 1: Dai Katsugeki!!", "Naruto Movie 2: Dai Gekitotsu!", "Naruto"],
        ["Bakuman.", "Bakuman. 2nd Season", "Bakuman. 3rd Season"],
        ["Gintama", "Gintama'", "Gintama°", "Gintama.: Shirogane no Tamashii-hen"],
        ["K-On!", "K-On!!", "K-On! Movie", "K-On!!: Keikaku!"],
        ["Hajime no Ippo", "Hajime no Ippo: New Challenger", "Hajime no Ippo: Rising"],
        ["Minami-ke", "Minami-ke Okawari", "Minami-ke Okaeri"],
        ["Major S2", "Major S3", "Major S6", "Major: World Series"],
    ],
)
def test_one_franchise(titles):
    assert len(set(franchise_ids(titles).tolist())) == 1


@pytest.mark.parametrize(
    "titles",
    [
        ["One Piece", "One Punch Man"],
        ["Fate/Zero", "Fate/stay night"],
        ["Kimi no Na wa.", "Kimi no Koe wo Todoketai"],
        ["Look Back", "Clannad"],
    ],
)
def test_different_franchises(titles):
    assert len(set(franchise_ids(titles).tolist())) == len(titles)


def test_accents_and_case_do_not_matter():
    assert franchise_key("Pokémon: The Movie") == franchise_key("POKEMON")
