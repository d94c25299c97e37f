"""Moderation: the queue page and its actions, reports and their automatic hold, bans, the log."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kansou.community import moderation
from kansou.community.models import Ban, Comment, CommentReport, CommentStatus, ModerationLog
from tests.community.comment_factories import CommentFactory, ReaderFactory

pytestmark = pytest.mark.django_db
QUEUE = "/moderation/"


def act(client, comment, action, **extra):
    url = reverse("community:moderation-act", args=[comment.pk])
    return client.post(url, {"action": action, **extra})


class TestQueuePage:
    def test_queue_is_for_moderators_only(self, client, reader):
        assert client.get(QUEUE).status_code == 403
        client.force_login(reader)
        assert client.get(QUEUE).status_code == 403

    def test_queue_lists_pending_and_reported_comments_with_reports(self, client, moderator):
        CommentFactory(status="pending", body_html="<p>WAITING</p>")
        reported = CommentFactory(body_html="<p>REPORTED</p>")
        moderation.comment_report(comment=reported, reporter=ReaderFactory(), reason="rude words")
        client.force_login(moderator)
        html = client.get(QUEUE).content.decode()
        assert "WAITING" in html and "REPORTED" in html and "rude words" in html

    @pytest.mark.parametrize(
        ("action", "status"),
        [("approve", CommentStatus.APPROVED), ("hide", CommentStatus.HIDDEN),
         ("spam", CommentStatus.SPAM)],
    )  # fmt: skip
    def test_actions_set_the_status_and_are_logged(self, client, moderator, action, status):
        comment = CommentFactory(status="pending")
        client.force_login(moderator)
        assert act(client, comment, action).status_code == 302
        comment.refresh_from_db()
        assert comment.status == status
        log = ModerationLog.objects.get(comment=comment)
        assert (log.actor, log.action, log.subject) == (moderator, action, comment.author)

    def test_readers_cannot_act(self, client, reader):
        comment = CommentFactory(status="pending")
        client.force_login(reader)
        assert act(client, comment, "approve").status_code == 403
        assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING

    def test_ban_stops_the_author_and_marks_the_comment_spam(self, client, moderator, review):
        comment = CommentFactory(status="pending")
        client.force_login(moderator)
        act(client, comment, "ban", reason="spammer", ban_days=7)
        ban = Ban.objects.get(user=comment.author)
        assert ban.by == moderator and ban.until is not None and ban.reason == "spammer"
        assert Comment.objects.get(pk=comment.pk).status == CommentStatus.SPAM
        assert moderation.ban_message(comment.author).startswith("Your account may not post")
        actions = set(ModerationLog.objects.values_list("action", flat=True))
        assert {"ban", "spam"} <= actions

    def test_moderators_cannot_be_banned(self, moderator):
        with pytest.raises(ValidationError):
            moderation.user_ban(user=moderator_two(), by=moderator)


def moderator_two():
    from tests.community.comment_factories import moderator_user

    return moderator_user()


class TestReports:
    def test_one_report_per_reader_per_comment(self, reader):
        comment = CommentFactory()
        moderation.comment_report(comment=comment, reporter=reader)
        with pytest.raises(ValidationError, match=moderation.REPORT_TWICE):
            moderation.comment_report(comment=comment, reporter=reader)
        assert CommentReport.objects.count() == 1

    def test_cannot_report_own_comment(self, reader):
        comment = CommentFactory(author=reader)
        with pytest.raises(ValidationError, match=moderation.REPORT_OWN):
            moderation.comment_report(comment=comment, reporter=reader)

    def test_enough_reports_hold_the_comment_automatically(self, settings):
        settings.KANSOU_COMMENT_REPORTS_TO_HOLD = 2
        comment = CommentFactory()
        moderation.comment_report(comment=comment, reporter=ReaderFactory())
        assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED
        moderation.comment_report(comment=comment, reporter=ReaderFactory())
        assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING
        hold = ModerationLog.objects.get(action="hold")
        assert hold.actor is None and hold.note == "2 reports"

    def test_approving_closes_the_reports(self, moderator):
        comment = CommentFactory()
        moderation.comment_report(comment=comment, reporter=ReaderFactory())
        moderation.comment_approve(comment=comment, moderator=moderator)
        assert not CommentReport.objects.filter(resolved_at__isnull=True).exists()
        assert moderation.moderation_queue().reported == []

    def test_report_button_posts_a_report(self, client, reader, review):
        comment = CommentFactory(review=review)
        client.force_login(reader)
        html = client.get(review.get_absolute_url()).content.decode()
        url = reverse("community:comment-report", args=[comment.pk])
        assert url in html
        response = client.post(url, follow=True)
        assert moderation.REPORTED in response.content.decode()
        assert CommentReport.objects.get().reporter == reader


def test_moderator_role_carries_the_moderate_comment_permission(moderator, reader):
    assert moderator.has_perm(moderation.MODERATE_PERMISSION)
    assert not reader.has_perm(moderation.MODERATE_PERMISSION)
