"""Recommendation pairs: the table's constraints, the services' rules (moderation, limits,
agreements), editorial pairs from reviews, and the trainer's evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kansou.community.models import Ban, CommentStatus, ModerationLog
from kansou.discovery.pairs import services as pairs
from kansou.discovery.pairs.models import AnimePair, PairAgreement, PairKind
from kansou.discovery.pairs.selectors import pair_evidence
from kansou.reviews.documents import review_import_text
from kansou.reviews.models import ReviewStatus
from kansou.reviews.services import AudienceInput, ReviewInput, review_save
from tests.catalog.factories import AnimeFactory
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
from tests.reviews.factories import UserFactory

pytestmark = pytest.mark.django_db


def submit(anime, other, user, pitch=PITCH, **kwargs):
    return pairs.pair_submit(anime=anime, other=other, user=user, pitch=pitch, **kwargs)


class TestConstraints:
    def test_one_pair_per_account_per_pair(self, two, reader):
        PairFactory(anime_a=two[0], anime_b=two[1], user=reader)
        with pytest.raises(IntegrityError), transaction.atomic():
            PairFactory(anime_a=two[1], anime_b=two[0], user=reader)
        PairFactory(anime_a=two[0], anime_b=two[1])  # another reader may

    def test_a_title_is_never_paired_with_itself(self, two, reader):
        with pytest.raises(IntegrityError), transaction.atomic():
            AnimePair.objects.create(anime_a=two[0], anime_b=two[0], user=reader, pitch=PITCH)
        with pytest.raises(pairs.PairRefused, match="cannot be recommended for itself"):
            submit(two[0], two[0], reader)
        assert not AnimePair.objects.exists()

    def test_a_readers_pair_has_an_account_and_a_reviews_a_review(self, two):
        with pytest.raises(IntegrityError), transaction.atomic():
            AnimePair.objects.create(anime_a=two[0], anime_b=two[1], pitch=PITCH)

    def test_one_agreement_per_account(self, reader):
        pair = PairFactory()
        PairAgreement.objects.create(pair=pair, user=reader)
        with pytest.raises(IntegrityError), transaction.atomic():
            PairAgreement.objects.create(pair=pair, user=reader)


class TestSubmit:
    def test_a_new_account_waits_for_a_moderator(self, two, newcomer):
        submitted = submit(*two, newcomer)
        assert submitted.pair.status == CommentStatus.PENDING
        assert submitted.message == pairs.HELD and submitted.created

    def test_a_trusted_reader_is_approved_at_once(self, two, reader):
        submitted = submit(*two, reader)
        assert submitted.pair.status == CommentStatus.APPROVED
        assert submitted.message == pairs.POSTED

    def test_an_old_account_with_an_approved_pair_is_trusted_too(self, two):
        user = ReaderFactory()
        PairFactory(user=user)
        assert submit(*two, user).pair.status == CommentStatus.APPROVED

    def test_moderators_and_authors_are_trusted(self, two, moderator, settings):
        settings.KANSOU_COMMENT_MODERATION = "all"
        assert submit(*two, moderator).pair.status == CommentStatus.APPROVED
        author = UserFactory(is_staff=True)
        from kansou.community import roles
        from kansou.community.services import user_grant_role

        user_grant_role(user=author, role=roles.AUTHOR)
        assert submit(*two, author).pair.status == CommentStatus.APPROVED

    def test_moderation_all_holds_everyone_else(self, two, reader, settings):
        settings.KANSOU_COMMENT_MODERATION = "all"
        assert submit(*two, reader).pair.status == CommentStatus.PENDING

    def test_too_many_links_wait(self, two, reader, settings):
        settings.KANSOU_COMMENT_MAX_LINKS = 1
        pitch = "Watch it at https://a.example and https://b.example today."
        submitted = submit(*two, reader, pitch=pitch)
        assert submitted.pair.status == CommentStatus.PENDING
        assert "more than 1 link" in submitted.message

    def test_submitting_the_same_pair_again_either_way_edits_it(self, two, reader):
        first = submit(*two, reader).pair
        again = submit(two[1], two[0], reader, pitch="Another pitch, just as heartfelt.")
        assert not again.created and again.message == pairs.EDITED
        assert AnimePair.objects.get().pk == first.pk
        assert AnimePair.objects.get().pitch == "Another pitch, just as heartfelt."

    def test_an_edit_that_would_wait_sends_an_approved_pair_back(self, two, reader, settings):
        submit(*two, reader)
        settings.KANSOU_COMMENT_MAX_LINKS = 0
        again = submit(*two, reader, pitch="Now with a link: https://spam.example here")
        assert again.pair.status == CommentStatus.PENDING
        assert ModerationLog.objects.filter(action="hold", note__contains="edited").exists()

    def test_a_pair_taken_down_cannot_be_edited_or_deleted(self, two, reader):
        pair = PairFactory(anime_a=two[0], anime_b=two[1], user=reader, status="hidden")
        with pytest.raises(pairs.PairForbidden, match="took this recommendation down"):
            submit(*two, reader)
        with pytest.raises(pairs.PairForbidden):
            pairs.pair_delete(pair=pair, user=reader)
        assert AnimePair.objects.get().status == CommentStatus.HIDDEN

    def test_control_characters_are_stripped_and_lengths_counted_after(self, two, reader):
        pitch = "  Same\x07 quiet\x00 melancholy\x85, same music.\u200b\x1b "
        assert submit(*two, reader, pitch=pitch).pair.pitch == (
            "Same quiet melancholy, same music.\u200b"
        )
        with pytest.raises(pairs.PairRefused, match="too short"):
            submit(*two, ReaderFactory(), pitch="\x07" * 40 + "short")
        with pytest.raises(pairs.PairRefused, match="too long: 1001"):
            submit(*two, ReaderFactory(), pitch="x" * 1001)

    def test_a_banned_account_is_refused_and_nothing_is_written(self, two, reader, moderator):
        Ban.objects.create(user=reader, by=moderator)
        with pytest.raises(pairs.PairForbidden, match="may not post"):
            submit(*two, reader)
        assert not AnimePair.objects.exists()

    def test_the_comment_rate_limits_apply_per_account_and_address(self, two, reader, settings):
        settings.KANSOU_COMMENT_RATE = "1/m"
        third = AnimeFactory()
        submit(*two, reader, ip="10.0.0.1")
        with pytest.raises(pairs.PairRateLimited) as refused:
            submit(two[0], third, reader, ip="10.0.0.1")
        assert 0 < refused.value.seconds <= 60 and "too fast" in refused.value.messages[0]
        assert AnimePair.objects.count() == 1
        settings.KANSOU_COMMENT_RATE, settings.KANSOU_COMMENT_IP_RATE = "10/m", "1/m"
        with pytest.raises(pairs.PairRateLimited):
            submit(two[0], third, ReaderFactory(), ip="10.0.0.1")

    def test_a_refused_submission_is_not_counted(self, two, reader, settings):
        settings.KANSOU_COMMENT_RATE = "1/m"
        with pytest.raises(pairs.PairRefused):
            submit(*two, reader, pitch="short")
        submit(*two, reader)

    def test_recommending_a_pair_replaces_agreeing_with_it(self, two, reader):
        other = PairFactory(anime_a=two[0], anime_b=two[1])
        pairs.pair_agree(pair=other, user=reader)
        submit(*two, reader)
        assert not PairAgreement.objects.exists()


class TestAgree:
    def test_once_and_withdraw(self, reader):
        pair = PairFactory()
        pairs.pair_agree(pair=pair, user=reader)
        with pytest.raises(pairs.PairConflict, match="already agree"):
            pairs.pair_agree(pair=pair, user=reader)
        assert pairs.pair_withdraw(pair=pair, user=reader)
        assert not pairs.pair_withdraw(pair=pair, user=reader)
        assert not PairAgreement.objects.exists()

    def test_not_with_ones_own_or_when_one_recommends_the_pair_too(self, two, reader):
        own = PairFactory(anime_a=two[0], anime_b=two[1], user=reader)
        with pytest.raises(pairs.PairForbidden, match="your own"):
            pairs.pair_agree(pair=own, user=reader)
        other = PairFactory(anime_a=two[0], anime_b=two[1])
        with pytest.raises(pairs.PairConflict, match="yourself"):
            pairs.pair_agree(pair=other, user=reader)

    def test_only_with_a_pair_everyone_sees(self, reader):
        for status in ("pending", "hidden", "spam"):
            with pytest.raises(pairs.PairNotFound):
                pairs.pair_agree(pair=PairFactory(status=status), user=reader)

    def test_a_banned_reader_cannot_agree(self, reader, moderator):
        Ban.objects.create(user=reader, by=moderator)
        with pytest.raises(pairs.PairForbidden):
            pairs.pair_agree(pair=PairFactory(), user=reader)


class TestModeration:
    def test_moderators_approve_hide_and_mark_spam_and_it_is_logged(self, moderator):
        pair = PairFactory(status="pending")
        pairs.pair_approve(pair=pair, moderator=moderator)
        assert AnimePair.objects.shown().get() == pair
        pairs.pair_hide(pair=pair, moderator=moderator, reason="off topic")
        assert not AnimePair.objects.shown().exists()
        pairs.pair_mark_spam(pair=pair, moderator=moderator)
        actions = list(ModerationLog.objects.order_by("at", "pk").values_list("action", flat=True))
        assert actions == ["approve", "hide", "spam"]
        assert f"recommendation #{pair.pk}" in ModerationLog.objects.last().note

    def test_others_cannot_moderate(self, reader):
        with pytest.raises(PermissionError):
            pairs.pair_approve(pair=PairFactory(status="pending"), moderator=reader)

    def test_banning_the_author_marks_the_pair_as_spam(self, moderator):
        pair = PairFactory(status="pending")
        pairs.pair_ban_author(pair=pair, moderator=moderator, reason="ads")
        pair.refresh_from_db()
        assert pair.status == CommentStatus.SPAM and Ban.objects.filter(user=pair.user).exists()

    def test_the_author_deletes_their_own_pair_with_its_agreements(self, reader):
        pair = PairFactory(user=reader)
        PairAgreement.objects.create(pair=pair, user=ReaderFactory())
        with pytest.raises(pairs.PairNotFound):
            pairs.pair_delete(pair=pair, user=ReaderFactory())
        pairs.pair_delete(pair=pair, user=reader)
        assert not AnimePair.objects.exists() and not PairAgreement.objects.exists()


def _review_input(anime, comparable, *, why="Quiet, *sad* and kind.", status="published"):
    return ReviewInput(
        title="Mushishi, slowly",
        slug="mushishi-slowly",
        authors=[UserFactory()],
        anime=anime,
        status=status,
        audience=[AudienceInput("For fans of quiet wonder", why, comparable)],
    )


class TestEditorialPairs:
    def test_saving_a_review_makes_approved_pairs_from_its_comparable_titles(self, two):
        third = AnimeFactory()
        review = review_save(data=_review_input(two[0], [two[1], third, two[0]]))
        made = AnimePair.objects.filter(review=review)
        assert made.count() == 2  # the review's own anime is not paired with itself
        pair = made.get(anime_b=two[1])
        assert pair.kind == PairKind.EDITORIAL and pair.status == CommentStatus.APPROVED
        assert pair.pitch == "For fans of quiet wonder: Quiet, sad and kind."
        assert pair.user is None and pair.submitter == "Mushishi, slowly"

    def test_saving_again_never_changes_a_moderators_decision(self, two, moderator):
        data = _review_input(two[0], [two[1]])
        review = review_save(data=data)
        pair = AnimePair.objects.get(review=review)
        pairs.pair_hide(pair=pair, moderator=moderator)
        data.audience[0].why_md = "Now with a new reason to watch."
        review_save(data=data, review=review)
        pair.refresh_from_db()
        assert pair.status == CommentStatus.HIDDEN and "new reason" in pair.pitch

    def test_a_title_taken_off_the_review_takes_its_pair_unless_it_was_taken_down(
        self, two, moderator
    ):
        third = AnimeFactory()
        data = _review_input(two[0], [two[1], third])
        review = review_save(data=data)
        pairs.pair_mark_spam(pair=AnimePair.objects.get(anime_b=third), moderator=moderator)
        data.audience[0].comparable = []
        review_save(data=data, review=review)
        assert list(AnimePair.objects.values_list("anime_b", "status")) == [(third.pk, "spam")]

    def test_a_draft_reviews_pairs_show_once_it_is_published(self, two):
        review = review_save(data=_review_input(*two[:1], [two[1]], status=ReviewStatus.DRAFT))
        assert AnimePair.objects.filter(review=review).exists()
        assert not AnimePair.objects.shown().exists()
        from kansou.reviews.services import review_publish

        review_publish(review=review)
        assert AnimePair.objects.shown().count() == 1

    def test_importing_a_review_file_makes_editorial_pairs(self, two):
        text = (
            f"---\ntitle: Mushishi\nslug: mushishi\nanime: '#{two[0].pk}'\nauthors: [ana]\n"
            "status: published\naudience:\n  - name: For slow watchers\n    why: Calm.\n"
            f"    comparable: ['#{two[1].pk}']\n---\n\nIntro.\n"
        )
        review = review_import_text(text=text).review
        pair = AnimePair.objects.get()
        assert pair.review == review and pair.pitch == "For slow watchers: Calm."
        assert review_import_text(text=text).action == "unchanged"
        assert AnimePair.objects.get().pk == pair.pk


class TestEvidence:
    def test_approved_pairs_with_their_votes_smaller_id_first(self, two, reader, moderator):
        third = AnimeFactory()
        first = PairFactory(anime_a=two[0], anime_b=two[1])
        PairFactory(anime_a=two[1], anime_b=two[0])  # another reader, the other way round
        PairAgreement.objects.create(pair=first, user=reader)
        PairFactory(anime_a=third, anime_b=two[0])
        PairFactory(anime_a=two[0], anime_b=third, status="pending")
        PairFactory(anime_a=two[1], anime_b=third, status="hidden")
        low = min(two[0].pk, third.pk), max(two[0].pk, third.pk)
        assert pair_evidence() == sorted([(two[0].pk, two[1].pk, 3.0), (*low, 1.0)])

    def test_a_draft_reviews_pairs_are_no_evidence(self, two):
        review_save(data=_review_input(two[0], [two[1]], status=ReviewStatus.DRAFT))
        assert pair_evidence() == []


def test_a_review_scheduled_for_later_shows_its_pairs_from_its_time(two):
    data = _review_input(two[0], [two[1]], status=ReviewStatus.SCHEDULED)
    data.publish_at = timezone.now() + dt.timedelta(days=1)
    review_save(data=data)
    assert not AnimePair.objects.shown().exists()
    assert AnimePair.objects.shown(now=timezone.now() + dt.timedelta(days=2)).exists()


def test_pitch_clean_refuses_with_the_field_named():
    with pytest.raises(ValidationError) as refused:
        pairs.pitch_clean("tiny")
    assert "pitch" in refused.value.message_dict


def test_a_review_pitch_keeps_its_words_apart_across_lines_and_paragraphs():
    from kansou.discovery.pairs.services import _profile_pitch

    class Profile:
        name = "Fans of quiet drama"
        why_md = ""
        why_html = "<p>It explains\nthe whole pipeline.</p><p>Never lectures.</p>"

    assert _profile_pitch(Profile()) == (
        "Fans of quiet drama: It explains the whole pipeline. Never lectures."
    )
