"""Recommendation pairs on pages: "more like this" (pairs first, with their reasons), the anime
page's panel, /recommendations/, the add form, agreeing, deleting, and the moderators' queue."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kansou.community.models import Ban, CommentStatus
from kansou.discovery.pairs.models import AnimePair, PairAgreement, PairKind
from kansou.discovery.selectors import anime_more_like_this
from tests.catalog.factories import AnimeFactory, AnimeTitleFactory
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
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db
SECRET = "zq pending pitch that nobody else may read"


def _agree(pair, count):
    for _ in range(count):
        PairAgreement.objects.create(pair=pair, user=ReaderFactory())


@pytest.fixture
def cold_case_pairs(catalog):
    """Cold Case (catalog[8]) paired with Tea Time by a reader and two who agree, with
    Clockwork Mind by a review, and with Band Club by a pitch still pending."""
    cold = catalog[8]
    readers = PairFactory(anime_a=cold, anime_b=catalog[7], pitch="Both are about noticing.")
    _agree(readers, 2)
    review = ReviewFactory(anime=cold, title="Cold Case, reopened")
    PairFactory(
        anime_a=cold, anime_b=catalog[2], kind=PairKind.EDITORIAL, user=None, review=review,
        pitch="For fans of puzzles: the same cold logic.",
    )  # fmt: skip
    PairFactory(anime_a=cold, anime_b=catalog[6], status="pending", pitch=SECRET)
    return catalog


class TestMoreLikeThis:
    def test_pairs_come_first_with_their_reasons_then_neighbours_without_repeats(
        self, cold_case_pairs
    ):
        found = anime_more_like_this(anime=cold_case_pairs[8], n=5)
        titles = [s.anime.title for s in found]
        assert titles == ["Tea Time", "Clockwork Mind", "Puzzle Box", "Mind Maze", "Loop Days"]
        assert found[0].reasons == ["Recommended by 3 readers: 'Both are about noticing.'"]
        assert found[0].pair.by and found[0].pair.agreements == 2
        assert found[1].reasons == ["Recommended in the review Cold Case, reopened"]
        assert found[2].reasons[0].startswith("Shares tags: ") and found[2].pair is None

    def test_pending_hidden_and_spam_pairs_are_left_out(self, cold_case_pairs):
        AnimePair.objects.update(status=CommentStatus.HIDDEN)
        found = anime_more_like_this(anime=cold_case_pairs[8], n=5)
        assert all(s.pair is None for s in found)

    def test_a_title_nobody_rated_or_tagged_gets_its_pairs(self, two):
        PairFactory(anime_a=two[0], anime_b=two[1])
        found = anime_more_like_this(anime=two[0], n=5)
        assert [s.anime for s in found] == [two[1]]
        assert found[0].reasons == [f"Recommended by 1 reader: '{PITCH}'"]

    def test_a_long_pitch_is_shortened_in_the_reason(self, two):
        PairFactory(anime_a=two[0], anime_b=two[1], pitch="word " * 100)
        (reason,) = anime_more_like_this(anime=two[0])[0].reasons
        assert reason.endswith("…'") and len(reason) < 200

    def test_with_a_model_pairs_come_first_in_the_same_one_query(
        self, trained, django_assert_num_queries
    ):
        PairFactory(anime_a=trained[1], anime_b=trained[9], pitch="Loops, and a song about it.")
        PairFactory(anime_a=trained[1], anime_b=trained[2])
        with django_assert_num_queries(1):
            found = anime_more_like_this(anime=trained[1], n=4)
        titles = [s.anime.title for s in found]
        assert titles[0] in ("Summer Song", "Clockwork Mind") and len(titles) == 4
        assert {"Summer Song", "Clockwork Mind"} == set(titles[:2])
        assert titles.count("Clockwork Mind") == 1
        assert not any(r.startswith("Recommended") for s in found[2:] for r in s.reasons)


class TestAnimePage:
    def test_shows_pitch_submitter_and_agreements_and_the_form(self, client, two, reader):
        pair = PairFactory(anime_a=two[0], anime_b=two[1])
        _agree(pair, 2)
        html = client.get(two[1].get_absolute_url()).text
        assert "Recommended by 3 readers" in html and pair.user.username in html
        assert "2 agree" in html and "Log in</a> to recommend" in html
        client.force_login(reader)
        html = client.get(two[0].get_absolute_url()).text
        assert reverse("pairs:add", args=[two[0].pk]) in html
        assert reverse("pairs:agree", args=[pair.pk]) in html

    def test_pairs_add_no_query_to_the_page(self, client, trained):
        url = trained[1].get_absolute_url()
        with CaptureQueriesContext(connection) as without:
            client.get(url)
        PairFactory(anime_a=trained[1], anime_b=trained[9])
        _agree(PairFactory(anime_a=trained[1], anime_b=trained[2]), 2)
        with CaptureQueriesContext(connection) as with_pairs:
            assert "Recommended by 3 readers" in client.get(url).text
        assert len(with_pairs) == len(without)


class TestLists:
    def test_anonymous_readers_see_approved_pairs_only(self, client, two):
        PairFactory(anime_a=two[0], anime_b=two[1], pitch="An approved pitch for everyone.")
        PairFactory(anime_a=two[0], anime_b=two[1], pitch=SECRET, status="pending")
        for url in (reverse("pairs:list"), reverse("pairs:anime", args=[two[0].pk])):
            html = client.get(url).text
            assert "An approved pitch for everyone." in html and SECRET not in html

    def test_the_author_sees_their_own_pending_pair_and_moderators_all(
        self, client, two, newcomer, moderator
    ):
        PairFactory(anime_a=two[0], anime_b=two[1], user=newcomer, pitch=SECRET, status="pending")
        for user in (newcomer, moderator):
            client.force_login(user)
            html = client.get(reverse("pairs:anime", args=[two[1].pk])).text
            assert SECRET in html and "Awaiting moderation" in html
        client.force_login(ReaderFactory())
        assert SECRET not in client.get(reverse("pairs:list")).text

    def test_the_list_is_paginated(self, client, two):
        for _ in range(25):
            PairFactory(anime_a=AnimeFactory(), anime_b=AnimeFactory())
        first = client.get(reverse("pairs:list")).text
        assert 'rel="next"' in first
        second = client.get(reverse("pairs:list") + "?page=2")
        assert second.status_code == 200 and second.text.count('class="pair"') == 5

    def test_an_unknown_anime_is_404(self, client):
        assert client.get(reverse("pairs:anime", args=[999_999])).status_code == 404


class TestAdd:
    def url(self, anime):
        return reverse("pairs:add", args=[anime.pk])

    def test_anonymous_readers_are_sent_to_log_in(self, client, two):
        for method in (client.get, client.post):
            assert method(self.url(two[0]))["Location"].startswith("/accounts/login/")

    def test_a_clear_title_is_recommended_at_once(self, client, two, reader):
        client.force_login(reader)
        response = client.post(self.url(two[0]), {"title": "natsume yujincho", "pitch": PITCH})
        assert response["Location"] == reverse("pairs:anime", args=[two[0].pk]) + "#pairs"
        pair = AnimePair.objects.get()
        assert (pair.anime_a, pair.anime_b, pair.user) == (two[0], two[1], reader)

    def test_an_ambiguous_title_offers_candidates_and_keeps_the_pitch(self, client, two, reader):
        AnimeTitleFactory(anime=AnimeFactory(title="Natsume Yuujinchou San"))
        AnimeFactory(title="Natsume Yuujinchou Shi")
        client.force_login(reader)
        response = client.post(self.url(two[0]), {"title": "Natsume", "pitch": PITCH})
        assert response.status_code == 200 and "Which one do you mean?" in response.text
        assert PITCH in response.text and not AnimePair.objects.exists()
        response = client.post(self.url(two[0]), {"other": two[1].pk, "pitch": PITCH})
        assert response.status_code == 302 and AnimePair.objects.count() == 1

    def test_refusals_keep_the_text_and_say_why(self, client, two, reader, settings):
        client.force_login(reader)
        response = client.post(self.url(two[0]), {"title": "Nothing Like It", "pitch": PITCH})
        assert response.status_code == 400 and "No anime in the catalog" in response.text
        response = client.post(self.url(two[0]), {"other": two[1].pk, "pitch": "Too short."})
        assert response.status_code == 400 and "too short" in response.text
        settings.KANSOU_COMMENT_RATE = "1/m"
        client.post(self.url(two[0]), {"other": two[1].pk, "pitch": PITCH})
        response = client.post(self.url(two[1]), {"other": AnimeFactory().pk, "pitch": PITCH})
        assert response.status_code == 429 and int(response["Retry-After"]) > 0

    def test_a_banned_reader_is_refused(self, client, two, reader, moderator):
        Ban.objects.create(user=reader, by=moderator)
        client.force_login(reader)
        response = client.post(self.url(two[0]), {"other": two[1].pk, "pitch": PITCH})
        assert response.status_code == 403 and "may not post" in response.text
        assert not AnimePair.objects.exists()


class TestAgreeAndDelete:
    def test_agree_then_withdraw_and_back_where_one_was(self, client, reader):
        pair = PairFactory()
        url = reverse("pairs:agree", args=[pair.pk])
        client.force_login(reader)
        assert client.get(url).status_code == 200
        back = pair.anime_b.get_absolute_url() + "#pairs"
        assert client.post(url, {"action": "agree", "next": back})["Location"] == back
        assert PairAgreement.objects.filter(pair=pair, user=reader).exists()
        assert "Withdraw my agreement" in client.get(url).text
        response = client.post(url, {"action": "withdraw", "next": "https://evil.example/"})
        assert response["Location"].startswith(reverse("pairs:anime", args=[pair.anime_a_id]))
        assert not PairAgreement.objects.exists()

    def test_a_pair_not_shown_is_404_on_get_and_post(self, client, reader):
        client.force_login(reader)
        for status in ("pending", "hidden", "spam"):
            url = reverse("pairs:agree", args=[PairFactory(status=status).pk])
            assert client.get(url).status_code == client.post(url, {"action": "agree"}).status_code
            assert client.get(url).status_code == 404

    def test_only_the_author_deletes(self, client, reader):
        pair = PairFactory(user=reader)
        url = reverse("pairs:delete", args=[pair.pk])
        client.force_login(ReaderFactory())
        assert client.get(url).status_code == 404 and client.post(url).status_code == 404
        client.force_login(reader)
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 302 and not AnimePair.objects.exists()


class TestModerationQueue:
    def test_only_moderators_open_it(self, client, reader, moderator):
        pair = PairFactory(status="pending", pitch=SECRET)
        urls = [reverse("pairs:moderation"), reverse("pairs:moderation-act", args=[pair.pk])]
        client.force_login(reader)
        assert [client.get(u).status_code for u in urls] == [403, 403]
        assert client.post(urls[1], {"action": "approve"}).status_code == 403
        client.force_login(moderator)
        assert SECRET in client.get(urls[0]).text and SECRET in client.get(urls[1]).text

    def test_moderators_approve_and_ban_from_it(self, client, moderator):
        pair, other = PairFactory(status="pending"), PairFactory(status="pending")
        client.force_login(moderator)
        act = "pairs:moderation-act"
        client.post(reverse(act, args=[pair.pk]), {"action": "approve"})
        client.post(reverse(act, args=[other.pk]), {"action": "ban", "ban_days": 7})
        statuses = dict(AnimePair.objects.values_list("pk", "status"))
        assert statuses == {pair.pk: "approved", other.pk: "spam"}
        assert Ban.objects.filter(user=other.user).exists()
        assert f"recommendation #{other.pk}" in client.get(reverse("pairs:moderation")).text
