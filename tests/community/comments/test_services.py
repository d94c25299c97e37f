"""comment_post, comment_edit, comment_delete, comment_import and review_comments: the rules a
comment meets before and after it is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kansou.community import moderation
from kansou.community.comments import services as svc
from kansou.community.models import (
    COMMENT_MAX_LENGTH,
    Ban,
    Comment,
    CommentStatus,
    ModerationLog,
)
from kansou.community.moderation import BANNED, HELD
from tests.community.comment_factories import CommentFactory, ReaderFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def post(review, author, body="A thoughtful comment.", **kwargs):
    return svc.comment_post(review=review, author=author, body=body, **kwargs)


class TestCommentPost:
    def test_trusted_reader_comment_is_approved_and_rendered(self, review, reader):
        posted = post(review, reader, "I *loved* it", ip="10.0.0.1")
        assert posted.message == svc.POSTED
        comment = posted.comment
        assert comment.status == CommentStatus.APPROVED
        assert comment.body_html == "<p>I <em>loved</em> it</p>"
        assert comment.ip_hash and "10.0.0.1" not in comment.ip_hash

    def test_anonymous_cannot_post(self, review):
        from django.contrib.auth.models import AnonymousUser

        with pytest.raises(ValidationError, match=svc.LOG_IN_TO_COMMENT):
            post(review, AnonymousUser())

    @pytest.mark.parametrize("kind", ["draft", "scheduled"])
    def test_only_public_reviews_take_comments(self, reader, kind):
        review = getattr(ReviewFactory, kind)()
        with pytest.raises(ValidationError, match=svc.NOT_PUBLIC):
            post(review, reader)
        assert not Comment.objects.filter(review=review).exists()

    @pytest.mark.parametrize("body", ["", " ", "x", "  x \n"])
    def test_too_short_is_refused(self, review, reader, body):
        with pytest.raises(ValidationError) as error:
            post(review, reader, body)
        assert error.value.message_dict == {"body": [svc.TOO_SHORT]}

    def test_too_long_is_refused_with_its_length(self, review, reader):
        with pytest.raises(ValidationError) as error:
            post(review, reader, "x" * (COMMENT_MAX_LENGTH + 1))
        expected = svc.TOO_LONG.format(length=COMMENT_MAX_LENGTH + 1)
        assert error.value.message_dict == {"body": [expected]}
        assert "5001 characters, at most 5000" in expected

    def test_the_longest_allowed_body_posts(self, review, reader):
        assert post(review, reader, "x" * COMMENT_MAX_LENGTH).comment.pk

    def test_reply_to_a_reply_attaches_to_the_top_level_comment(self, review, reader):
        top = CommentFactory(review=review)
        reply = post(review, reader, parent=top).comment
        second = post(review, reader, parent=reply).comment
        assert reply.parent == top and second.parent == top

    @pytest.mark.parametrize("status", [CommentStatus.PENDING, CommentStatus.HIDDEN])
    def test_cannot_reply_to_an_invisible_comment(self, review, reader, status):
        parent = CommentFactory(review=review, status=status)
        with pytest.raises(ValidationError) as error:
            post(review, reader, parent=parent)
        assert error.value.message_dict == {"parent": [svc.BAD_PARENT]}

    def test_cannot_reply_across_reviews(self, review, reader):
        elsewhere = CommentFactory()
        with pytest.raises(ValidationError):
            post(review, reader, parent=elsewhere)

    def test_filled_honeypot_drops_the_comment_and_answers_like_a_held_one(self, review, reader):
        posted = post(review, reader, honeypot="http://spam.example")
        assert posted.comment is None and posted.message == HELD
        assert not Comment.objects.filter(review=review).exists()

    def test_banned_reader_cannot_post(self, review, reader, moderator):
        Ban.objects.create(user=reader, by=moderator)
        with pytest.raises(ValidationError, match=BANNED):
            post(review, reader)

    def test_an_expired_ban_no_longer_applies(self, review, reader, moderator):
        Ban.objects.create(user=reader, by=moderator, until=timezone.now() - dt.timedelta(hours=1))
        assert post(review, reader).comment.status == CommentStatus.APPROVED


class TestRateLimits:
    def test_per_account_limit_says_when_to_come_back(self, review, reader, settings):
        settings.KANSOU_COMMENT_RATE = "2/m"
        post(review, reader, ip="10.0.0.1")
        post(review, reader, ip="10.0.0.2")
        with pytest.raises(svc.RateLimited) as error:
            post(review, reader, ip="10.0.0.3")
        assert 1 <= error.value.seconds <= 60
        assert "You can post again in" in error.value.messages[0]
        assert Comment.objects.filter(review=review).count() == 2

    def test_per_ip_limit_covers_every_account_on_that_address(self, review, settings):
        settings.KANSOU_COMMENT_IP_RATE = "2/m"
        for _ in range(2):
            user = ReaderFactory()
            CommentFactory(author=user)
            post(review, user, ip="10.9.9.9")
        with pytest.raises(svc.RateLimited):
            post(review, ReaderFactory(), ip="10.9.9.9")
        assert post(review, ReaderFactory(), ip="10.9.9.10").comment

    def test_refused_comments_do_not_count(self, review, reader, settings):
        settings.KANSOU_COMMENT_RATE = "1/m"
        with pytest.raises(ValidationError):
            post(review, reader, "x")
        assert post(review, reader).comment


class TestModerationOnPost:
    @pytest.mark.parametrize(
        ("mode", "fixture", "status"),
        [
            ("none", "newcomer", CommentStatus.APPROVED),
            ("first", "newcomer", CommentStatus.PENDING),
            ("first", "reader", CommentStatus.APPROVED),
            ("all", "reader", CommentStatus.PENDING),
            ("all", "moderator", CommentStatus.APPROVED),
        ],
    )
    def test_moderation_mode_decides_the_start(
        self, request, review, settings, mode, fixture, status
    ):
        settings.KANSOU_COMMENT_MODERATION = mode
        author = request.getfixturevalue(fixture)
        assert post(review, author).comment.status == status

    def test_first_mode_holds_a_young_account_even_with_an_approved_comment(self, review, settings):
        settings.KANSOU_COMMENT_TRUSTED_DAYS = 3
        young = ReaderFactory(date_joined=timezone.now() - dt.timedelta(days=1))
        CommentFactory(author=young)
        posted = post(review, young)
        assert posted.comment.status == CommentStatus.PENDING and posted.message == HELD

    def test_reviewer_comments_on_own_review_are_approved_and_badged(self, settings):
        settings.KANSOU_COMMENT_MODERATION = "all"
        author = ReaderFactory()
        review = ReviewFactory(authors=[author])
        comment = post(review, author).comment
        assert comment.status == CommentStatus.APPROVED and comment.is_by_reviewer

    def test_too_many_links_hold_the_comment_whatever_the_mode(self, review, reader, settings):
        settings.KANSOU_COMMENT_MODERATION = "none"
        settings.KANSOU_COMMENT_MAX_LINKS = 2
        body = "[a](https://a.example) https://b.example www.c.example"
        posted = post(review, reader, body)
        assert posted.comment.status == CommentStatus.PENDING
        assert "more than 2 links" in posted.message and "awaits moderation" in posted.message

    @pytest.mark.parametrize(
        "body",
        [
            "[a](//e1.example) [b](//e2.example) [c](//e3.example)",
            "<https://e1.example> <mailto:x@e2.example> [c](/e3)",
            "[a][1] [b][1] [c][2]\n\n[1]: //e1.example\n[2]: //e2.example",
        ],
    )
    def test_every_link_the_page_would_carry_counts(self, review, reader, settings, body):
        settings.KANSOU_COMMENT_MODERATION = "none"
        settings.KANSOU_COMMENT_MAX_LINKS = 2
        posted = post(review, reader, body)
        assert posted.comment.status == CommentStatus.PENDING
        assert "more than 2 links" in posted.message

    def test_as_many_links_as_allowed_pass(self, review, reader, settings):
        settings.KANSOU_COMMENT_MAX_LINKS = 2
        assert post(review, reader, "https://a.example https://b.example").comment.status == (
            CommentStatus.APPROVED
        )


class TestEditAndDelete:
    def test_author_edits_within_the_window(self, review, reader):
        comment = post(review, reader).comment
        posted = svc.comment_edit(comment=comment, user=reader, body="Now **bold**")
        comment.refresh_from_db()
        assert posted.message == svc.EDITED
        assert comment.body_html == "<p>Now <strong>bold</strong></p>" and comment.edited_at

    def test_edit_after_the_window_is_refused(self, review, reader, settings):
        settings.KANSOU_COMMENT_EDIT_MINUTES = 15
        comment = post(review, reader).comment
        Comment.objects.filter(pk=comment.pk).update(
            created_at=timezone.now() - dt.timedelta(minutes=16)
        )
        comment.refresh_from_db()
        with pytest.raises(ValidationError, match="15 minutes"):
            svc.comment_edit(comment=comment, user=reader, body="Changed")
        assert Comment.objects.get(pk=comment.pk).body_md == "A thoughtful comment."

    def test_others_cannot_edit_or_delete(self, review, reader, newcomer):
        comment = post(review, reader).comment
        with pytest.raises(ValidationError):
            svc.comment_edit(comment=comment, user=newcomer, body="Mine now")
        with pytest.raises(ValidationError):
            svc.comment_delete(comment=comment, user=newcomer)
        assert Comment.objects.filter(pk=comment.pk).exists()

    def test_edit_adding_links_sends_it_back_to_the_queue(self, review, reader, settings):
        settings.KANSOU_COMMENT_MAX_LINKS = 0
        comment = post(review, reader).comment
        svc.comment_edit(comment=comment, user=reader, body="see https://spam.example")
        assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING

    def test_edit_after_approval_by_an_account_that_would_be_held_goes_back_to_the_queue(
        self, review, newcomer, moderator
    ):
        comment = post(review, newcomer).comment
        assert comment.status == CommentStatus.PENDING
        moderation.comment_approve(comment=comment, moderator=moderator)
        posted = svc.comment_edit(comment=comment, user=newcomer, body="Buy cheap pills now")
        assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING
        assert posted.message == HELD
        hold = ModerationLog.objects.get(action="hold", comment=comment)
        assert hold.actor is None and hold.subject == newcomer

    def test_edit_in_mode_all_goes_back_to_the_queue(self, review, reader, settings):
        comment = CommentFactory(review=review, author=reader)
        settings.KANSOU_COMMENT_MODERATION = "all"
        svc.comment_edit(comment=comment, user=reader, body="Changed after approval")
        assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING

    def test_edit_of_a_comment_held_by_reports_keeps_it_held(self, review, reader):
        comment = CommentFactory(review=review, author=reader, status=CommentStatus.PENDING)
        svc.comment_edit(comment=comment, user=reader, body="Innocent now")
        assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING

    @pytest.mark.parametrize("status", [CommentStatus.HIDDEN, CommentStatus.SPAM])
    def test_a_comment_a_moderator_took_down_cannot_be_edited_or_deleted(
        self, review, reader, status
    ):
        comment = CommentFactory(review=review, author=reader, status=status)
        with pytest.raises(ValidationError, match=svc.TAKEN_DOWN):
            svc.comment_edit(comment=comment, user=reader, body="Let me back in")
        with pytest.raises(ValidationError, match=svc.TAKEN_DOWN):
            svc.comment_delete(comment=comment, user=reader)
        kept = Comment.objects.get(pk=comment.pk)
        assert (kept.status, kept.body_md) == (status, "A fine review.")

    def test_delete_removes_a_comment_without_replies(self, review, reader):
        comment = post(review, reader).comment
        svc.comment_delete(comment=comment, user=reader)
        assert not Comment.objects.filter(pk=comment.pk).exists()

    def test_delete_keeps_a_marker_when_there_are_replies(self, review, reader):
        comment = post(review, reader).comment
        reply = CommentFactory(review=review, parent=comment)
        svc.comment_delete(comment=comment, user=reader)
        comment.refresh_from_db()
        assert comment.is_deleted and comment.body_html == "" and comment.body_md == ""
        assert Comment.objects.filter(pk=reply.pk).exists()


class TestCommentImport:
    def imp(self, review, **kwargs):
        fields = {
            "author_name": "Old Reader",
            "author_url": "https://old.example/",
            "body_html_or_md": "<p>Great <b>post</b></p>",
            "created_at": timezone.make_aware(dt.datetime(2015, 3, 1, 12)),
            "source_id": "c-1",
        }
        return svc.comment_import(review=review, **{**fields, **kwargs})

    def test_keeps_sanitised_html_name_url_and_date(self, review):
        comment = self.imp(review, body_html_or_md='<p onclick="x()">Hi<script>bad()</script></p>')
        assert comment.author is None and comment.display_name == "Old Reader"
        assert comment.body_html == "<p>Hi</p>" and comment.body_md == ""
        assert comment.created_at.year == 2015 and comment.status == CommentStatus.APPROVED

    def test_is_idempotent_by_source_id(self, review):
        first = self.imp(review)
        again = self.imp(review, body_html_or_md="Edited *text*")
        assert first.pk == again.pk
        assert Comment.objects.filter(review=review).count() == 1
        assert again.body_html == "<p>Edited <em>text</em></p>"

    @pytest.mark.parametrize(
        "decision", [CommentStatus.HIDDEN, CommentStatus.SPAM, CommentStatus.PENDING]
    )
    def test_reimport_never_changes_a_moderation_decision(self, review, moderator, decision):
        comment = self.imp(review)
        if decision == CommentStatus.PENDING:
            Comment.objects.filter(pk=comment.pk).update(status=decision)  # held by reports
        else:
            decide = {CommentStatus.HIDDEN: moderation.comment_hide,
                      CommentStatus.SPAM: moderation.comment_mark_spam}[decision]  # fmt: skip
            decide(comment=comment, moderator=moderator)
        again = self.imp(review, status=CommentStatus.APPROVED)
        assert again.pk == comment.pk
        assert Comment.objects.get(pk=comment.pk).status == decision

    def test_reimport_does_not_approve_a_comment_first_imported_pending(self, review):
        assert self.imp(review, status=CommentStatus.PENDING).status == CommentStatus.PENDING
        assert self.imp(review, status=CommentStatus.APPROVED).status == CommentStatus.PENDING

    @pytest.mark.parametrize("status", [CommentStatus.HIDDEN, CommentStatus.SPAM, "bogus"])
    def test_first_import_is_approved_or_pending_only(self, review, status):
        with pytest.raises(ValidationError):
            self.imp(review, status=status)
        assert not Comment.objects.filter(review=review).exists()

    def test_replies_attach_to_the_top_level_comment(self, review):
        top = self.imp(review)
        reply = self.imp(review, source_id="c-2", parent_source_id="c-1")
        deeper = self.imp(review, source_id="c-3", parent_source_id="c-2")
        assert reply.parent == top and deeper.parent == top

    def test_unknown_parent_is_an_error(self, review):
        with pytest.raises(ValidationError, match="has not been imported"):
            self.imp(review, parent_source_id="missing")

    @pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "not a url"])
    def test_unsafe_author_urls_are_dropped(self, review, url):
        assert self.imp(review, author_url=url).author_url == ""

    def test_names_become_plain_text(self, review):
        comment = self.imp(review, author_name='<img src=x onerror="alert(1)">Eve <b>B</b>')
        assert comment.author_name == "Eve B"


class TestReviewComments:
    def test_builds_a_two_level_thread_oldest_first(self, review, reader):
        first = CommentFactory(review=review)
        second = CommentFactory(review=review)
        reply = CommentFactory(review=review, parent=first)
        thread = svc.review_comments(review=review, viewer=reader, latest=None)
        assert thread.comments == [first, second] and thread.count == 3
        assert thread.comments[0].thread_replies == [reply]

    def test_reply_under_a_hidden_comment_is_not_shown(self, review, reader):
        hidden = CommentFactory(review=review, status=CommentStatus.HIDDEN)
        CommentFactory(review=review, parent=hidden)
        assert svc.review_comments(review=review, viewer=reader, latest=None).count == 0
