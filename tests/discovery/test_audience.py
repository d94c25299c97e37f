""" "Who should watch": written profiles first, the creator's, then generated ones that say
something (``kansou.discovery.audience`` and ``selectors.anime_audience_profiles``)."""

from __future__ import annotations

import doctest
import itertools

import pytest

from kansou.catalog.models import AnimeTag
from kansou.discovery import audience
from kansou.discovery.audience import describe
from kansou.discovery.audience.themes import THEMES
from kansou.discovery.selectors import anime_audience_profiles
from kansou.discovery.training import models_train
from kansou.recommend.franchise import franchise_ids
from kansou.reviews.models import AudienceProfile
from kansou.reviews.services import audience_set_comparable
from tests.discovery.audience_data import CREATOR, DIRECTOR, SUBJECT, make_audience_catalog
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(db):
    """The audience catalog, untrained."""
    return make_audience_catalog()


@pytest.fixture
def trained_shelf(shelf, models_dir):
    models_train(readers=False)
    return shelf


def _write(review, name, comparable, position=1):
    profile = AudienceProfile.objects.create(
        review=review, name=name, why_md="Slow *and* tender.", why_html="<p>Slow and tender.</p>",
        position=position,
    )  # fmt: skip
    audience_set_comparable(profile=profile, anime=comparable)
    return profile


def _titles(profile) -> list[str]:
    return [a.title for a in profile.comparable]


def _tags(anime) -> set[str]:
    return {
        n.lower() for n in AnimeTag.objects.filter(anime=anime).values_list("tag__name", flat=True)
    }


def test_the_phrase_helpers_doctests_pass():
    assert doctest.testmod(audience).failed == 0


class TestDescribe:
    @pytest.mark.parametrize("theme", list(THEMES))
    def test_never_just_repeats_the_theme(self, theme):
        tags = THEMES[theme]
        for chosen in [*([t] for t in tags), *itertools.permutations(tags, 2)]:
            text = describe(theme, list(chosen))
            bare = text.lower().removeprefix("a ").removeprefix("an ")
            assert bare != theme and not text.startswith("It has"), (theme, chosen)
            assert text[0].isupper() and text.count(" and ") <= 1, text

    def test_combines_the_tags_the_anime_has(self):
        assert describe("romance", ["romance", "love polygon"]) == "Romance with a love triangle"
        assert (
            describe("mind-bending mysteries", ["mystery", "psychological"])
            == "Mind-bending mystery and psychological suspense"
        )
        assert describe("emotional storytelling", ["drama"], ["iyashikei"]) == (
            "Quiet, character-driven drama"
        )

    def test_a_tag_in_no_theme_still_says_something(self):
        assert describe("cyberpunk", ["cyberpunk"]) == "Cyberpunk at the heart of the story"


class TestWrittenProfiles:
    def test_the_newest_published_reviews_profiles_come_first_as_written(self, trained_shelf):
        subject = trained_shelf[SUBJECT]
        older = ReviewFactory(anime=subject, title="Older take")
        older.publish_at = older.publish_at.replace(year=2001)
        older.save()
        _write(older, "For the old crowd", [trained_shelf["Campus Crush"]])
        review = ReviewFactory(anime=subject, title="Letters, reviewed")
        _write(review, "For slow-burn romantics", [trained_shelf["Kiss Notes"]])
        _write(review, "For anyone who kept a diary", [], position=2)
        draft = ReviewFactory.draft(anime=subject)
        _write(draft, "Not yet", [trained_shelf["Quiet Fields"]])

        profiles = anime_audience_profiles(anime=subject)

        assert [p.name for p in profiles[:2]] == [
            "For slow-burn romantics",
            "For anyone who kept a diary",
        ]
        first = profiles[0]
        assert first.source == "review" and first.why == "Slow *and* tender."
        assert first.why_html == "<p>Slow and tender.</p>" and _titles(first) == ["Kiss Notes"]
        assert (
            first.review_title == "Letters, reviewed"
            and first.review_url == review.get_absolute_url()
        )
        names = [p.name for p in profiles]
        assert "For the old crowd" not in names and "Not yet" not in names
        # Generated profiles fill up to four and do not repeat a written comparable title.
        assert len(profiles) == 4 and profiles[-1].source in ("creator", "generated")
        assert all("Kiss Notes" not in _titles(p) for p in profiles[1:])

    def test_are_shown_without_a_trained_model(self, shelf):
        review = ReviewFactory(anime=shelf[SUBJECT])
        _write(review, "For slow-burn romantics", [shelf["Kiss Notes"]])
        assert anime_audience_profiles(anime=shelf[SUBJECT])[0].name == "For slow-burn romantics"

    def test_can_be_left_out_to_suggest_profiles_to_a_review(self, trained_shelf):
        review = ReviewFactory(anime=trained_shelf[SUBJECT])
        _write(review, "For slow-burn romantics", [trained_shelf["Kiss Notes"]])
        profiles = anime_audience_profiles(anime=trained_shelf[SUBJECT], written=False)
        assert profiles and all(p.source != "review" for p in profiles)


class TestCreatorProfile:
    def test_names_the_director_with_their_best_known_other_works(self, shelf):
        profiles = anime_audience_profiles(anime=shelf[SUBJECT])
        assert [p.name for p in profiles] == [f"For fans of {DIRECTOR}"]
        (creator,) = profiles
        # Series before specials, then score; one per franchise (Case Files 2 over Case Files).
        assert _titles(creator) == ["Case Files 2", "Night Hunt", "Mori Promo"]
        assert creator.source == "creator" and creator.description == f"Directed by {DIRECTOR}"
        assert (
            creator.why == f"Directed by {DIRECTOR}, like Case Files 2, Night Hunt or Mori Promo."
        )

    def test_comes_after_written_profiles_and_before_generated_ones(self, trained_shelf):
        review = ReviewFactory(anime=trained_shelf[SUBJECT])
        _write(review, "For slow-burn romantics", [trained_shelf["Kiss Notes"]])
        sources = [p.source for p in anime_audience_profiles(anime=trained_shelf[SUBJECT])]
        assert sources[:2] == ["review", "creator"] and set(sources[2:]) == {"generated"}

    def test_none_when_the_creators_other_titles_are_the_same_franchise(self, shelf):
        names = [p.name for p in anime_audience_profiles(anime=shelf["Harbour Town"])]
        assert f"For fans of {CREATOR}" not in names

    def test_none_when_nobody_is_credited_as_creator_or_director(self, trained_shelf):
        profiles = anime_audience_profiles(anime=trained_shelf["Kiss Notes"])
        assert profiles and all(p.source == "generated" for p in profiles)

    def test_a_credit_an_author_hid_does_not_count(self, shelf):
        shelf[SUBJECT].staff.filter(role="Director").update(origin="hidden")
        assert anime_audience_profiles(anime=shelf[SUBJECT]) == []


class TestGeneratedProfiles:
    def test_no_franchise_twice_in_a_profile_and_never_the_animes_own(self, trained_shelf):
        profiles = anime_audience_profiles(anime=trained_shelf[SUBJECT])
        generated = [p for p in profiles if p.source == "generated"]
        assert generated
        for profile in profiles:
            titles = _titles(profile)
            assert len(set(franchise_ids(titles).tolist())) == len(titles), titles
        romance = next(p for p in generated if p.name == "For fans of romance")
        assert sum(t.startswith("Rival Hearts") for t in _titles(romance)) == 1
        assert "Mori Promo" not in _titles(romance)  # no specials for a series

    def test_the_why_sentence_says_what_the_theme_means_here(self, trained_shelf):
        for profile in anime_audience_profiles(anime=trained_shelf[SUBJECT]):
            if profile.source != "generated":
                continue
            theme = profile.name.removeprefix("For fans of ")
            assert profile.description.lower() != theme
            assert not profile.why.startswith("It has")
            assert (
                profile.why
                == f"{profile.description}, like {audience.title_list(_titles(profile))}."
            )
            for other in profile.comparable:
                assert set(profile.tags) & _tags(other)
        romance = next(
            p
            for p in anime_audience_profiles(anime=trained_shelf[SUBJECT])
            if p.name == "For fans of romance"
        )
        assert romance.description == "Romantic comedy with a love triangle"

    def test_synopsis_words_can_add_a_theme(self, trained_shelf):
        ghost = trained_shelf["Ghost Case"]
        names = [p.name for p in anime_audience_profiles(anime=ghost)]
        assert "For fans of crime and detective stories" in names
        ghost.synopsis = ""
        names = [p.name for p in anime_audience_profiles(anime=ghost)]
        assert "For fans of crime and detective stories" not in names

    def test_readers_pairs_come_first_when_they_fit_the_theme(self, trained_shelf):
        from kansou.community.models import CommentStatus
        from kansou.discovery.pairs.models import AnimePair
        from tests.reviews.factories import UserFactory

        subject, campus = trained_shelf[SUBJECT], trained_shelf["Campus Crush"]
        low, high = sorted((subject, campus), key=lambda a: a.pk)
        AnimePair.objects.create(
            anime_a=low, anime_b=high, user=UserFactory(), pitch="Same warm school romance.",
            status=CommentStatus.APPROVED,
        )  # fmt: skip
        profiles = anime_audience_profiles(anime=subject)
        first_generated = next(p for p in profiles if p.source == "generated")
        assert _titles(first_generated)[0] == "Campus Crush"


class TestPage:
    def test_the_anime_page_shows_every_kind_of_profile(self, client, trained_shelf):
        subject = trained_shelf[SUBJECT]
        review = ReviewFactory(anime=subject, title="Letters, reviewed")
        _write(review, "For slow-burn romantics", [trained_shelf["Kiss Notes"]])
        html = client.get(subject.get_absolute_url()).content.decode()
        section = html[html.index('id="who-should-watch-heading"') :]
        section = section[: section.index("</section>")]
        assert "For slow-burn romantics" in section and "<p>Slow and tender.</p>" in section
        assert (
            f'From the review <a href="{review.get_absolute_url()}">Letters, reviewed</a>'
            in section
        )
        assert f"For fans of {DIRECTOR}" in section and f"Directed by {DIRECTOR}, like " in section
        assert "Romantic comedy with a love triangle, like " in section
        assert "It has " not in section
        kiss = trained_shelf["Kiss Notes"]
        assert f'If you liked <a href="{kiss.get_absolute_url()}">Kiss Notes</a>.' in section

    def test_the_page_shows_nothing_without_any_evidence(self, client, shelf):
        html = client.get(shelf["Kiss Notes"].get_absolute_url()).content.decode()
        assert "Who should watch" not in html
