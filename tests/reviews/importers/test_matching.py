"""Which anime a post is about: linked only when sure, unlinked with reasons otherwise."""

from __future__ import annotations

import pytest

from kansou.reviews.importers.matching import candidates, match_post, strip_review_words

pytestmark = pytest.mark.django_db


def match(title, labels=(), body=""):
    return match_post(title=title, labels=list(labels), body_html=body)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Why Koe no Katachi broke me: a review", "koe"),
        ("A Silent Voice — a film about forgiveness", "koe"),
        ("Thoughts on Erased (spoilers)", "erased"),
        ("Erased", "erased"),
        ("Attack on Titan: first impressions", "aot"),
        ("「聲の形」の感想", "koe"),
        ("Café nights: “Kimi no Na wa.” revisited", "your_name"),
        ("Koe no Katachii review", "koe"),  # a typo is still near-exact
    ],
)
def test_title_naming_one_anime_links_it(catalog, title, expected):
    result = match(title)
    assert result.anime == catalog[expected], result.reasons


@pytest.mark.parametrize(
    "title",
    [
        "My top 10 of 2024",
        "Your Name vs. Weathering With You",
        "Another autumn, another rewatch",
        "Monster Hunter thoughts",
        "Hunter x Hunter review",
        "Attack on Titan Season 2 review",
        "Attack on Titan: season 2 review",
        "Why I stopped blogging",
    ],
)
def test_title_without_one_clear_anime_stays_unmatched(catalog, title):
    result = match(title)
    assert result.anime is None
    assert result.reasons


def test_list_post_is_not_matched_even_when_it_names_anime(catalog):
    result = match("My top 10 of 2024", labels=["Monster"], body="<p><i>Monster</i> tops it.</p>")
    assert result.anime is None
    assert "list post" in result.reasons[0]


def test_two_anime_in_the_title_are_reported_as_ambiguous(catalog):
    result = match("Your Name vs. Weathering With You")
    assert "several anime" in result.reasons[0]


def test_two_entries_with_the_same_title_are_reported_with_their_ids(catalog):
    result = match("Hunter x Hunter review")
    new, old = catalog["hxh"]
    assert any(f"#{new.pk}" in r and f"#{old.pk}" in r for r in result.reasons)


@pytest.mark.parametrize(
    "body",
    [
        "<p>Another year, and Air is still on my mind. Monster too.</p>",
        "<p>I rewatched <i>Another</i> last night.</p>",
        "<p>I rewatched <i>Another</i> last night. Another classic, really.</p>",
    ],
)
def test_common_word_title_never_links_from_the_body_alone(catalog, body):
    assert match("Autumn rewatch notes", body=body).anime is None


def test_label_alone_is_not_enough(catalog):
    assert match("Autumn rewatch notes", labels=["Monster"]).anime is None


def test_label_and_opening_agreeing_link_the_anime(catalog):
    result = match(
        "The quietest thriller I know",
        labels=["Monster", "Thriller"],
        body="<p>Urasawa's <i>Monster</i> takes its time.</p>",
    )
    assert result.anime == catalog["monster"]
    assert "label" in result.reasons[0] and "body" in result.reasons[0]


def test_title_phrase_and_label_agreeing_link_the_anime(catalog):
    result = match("How Weathering With You made me love rain", labels=["Weathering With You"])
    assert result.anime == catalog["weathering"]


def test_sequel_review_is_not_linked_to_the_first_season(catalog):
    result = match("Attack on Titan: season 2 review")
    assert result.anime is None
    assert "season/part 2" in result.reasons[0]


def test_review_words_are_stripped():
    assert strip_review_words("Why Koe no Katachi broke me") == "Koe no Katachi"
    assert strip_review_words("First impressions of Erased, episode 3") == "Erased"


def test_quoted_and_italic_names_are_candidates():
    found = candidates(
        title='Rain, and "Tenki no Ko"',
        labels=["Shinkai"],
        body_html="<p>Compared with <em>Kimi no Na wa.</em>, quieter. Makoto Shinkai again.</p>",
    )
    phrases = {(c.phrase, c.origin, c.strength) for c in found}
    assert ("Tenki no Ko", "title", "strong") in phrases
    assert ("Shinkai", "label", "medium") in phrases
    assert ("Kimi no Na wa.", "body", "medium") in phrases
    assert ("Makoto Shinkai", "body", "weak") in phrases
