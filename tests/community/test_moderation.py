"""Moderation: the queue page and its actions, reports and their automatic hold, bans, the log."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kansou.community import moderation
from kansou.community import moderation_states as states
from kansou.community.models import Ban, Comment, CommentReport, CommentStatus, ModerationLog
from tests.community.comment_factories import CommentFactory, ReaderFactory
from tests.community.factories import UserFactory

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


def proven_reader():
    """A month-old account with an approved comment: its reports weigh in full."""
    user = ReaderFactory()
    CommentFactory(author=user)
    return user


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
        moderation.comment_report(comment=comment, reporter=proven_reader())
        assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED
        moderation.comment_report(comment=comment, reporter=proven_reader())
        assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING
        hold = ModerationLog.objects.get(action="hold")
        assert hold.actor is None and hold.note == "2 reports, weight 2"

    def test_three_new_accounts_cannot_take_a_comment_down(self, settings):
        settings.KANSOU_COMMENT_REPORTS_TO_HOLD = 3
        comment = CommentFactory()
        for _ in range(3):
            moderation.comment_report(comment=comment, reporter=UserFactory())
        assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED
        assert moderation.moderation_queue().reported == [comment]  # a moderator still sees it

    @pytest.mark.parametrize(
        ("proven", "fresh", "held"),
        [(3, 0, True), (2, 2, False), (2, 3, True), (0, 8, False), (0, 9, True)],
    )
    def test_reports_by_new_or_unproven_accounts_weigh_a_third(self, settings, proven, fresh, held):
        settings.KANSOU_COMMENT_REPORTS_TO_HOLD = 3
        comment = CommentFactory()
        reporters = [proven_reader() for _ in range(proven)]
        # Unproven: brand new, or a month old without an approved comment.
        reporters += [UserFactory() if i % 2 else ReaderFactory() for i in range(fresh)]
        for reporter in reporters:
            moderation.comment_report(comment=comment, reporter=reporter)
        status = Comment.objects.get(pk=comment.pk).status
        assert status == (CommentStatus.PENDING if held else CommentStatus.APPROVED)

    @pytest.mark.parametrize("author_kind", ["moderator", "staff", "review author"])
    def test_reports_never_take_down_staff_moderator_or_reviewer_comments(
        self, settings, review, author_kind
    ):
        settings.KANSOU_COMMENT_REPORTS_TO_HOLD = 1
        if author_kind == "moderator":
            author = moderator_two()
        elif author_kind == "staff":
            author = ReaderFactory(is_staff=True)
        else:
            author = ReaderFactory()
            review.review_authors.create(user=author, position=0)
        comment = CommentFactory(review=review, author=author)
        for _ in range(3):
            moderation.comment_report(comment=comment, reporter=proven_reader())
        assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED
        assert moderation.moderation_queue().reported == [comment]
        assert not ModerationLog.objects.filter(action="hold").exists()

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


# The whole moderation state machine, written out: (from, event, actor) → to. Every
# combination not listed here must be refused.
NEW, P, A, H, S = None, "pending", "approved", "hidden", "spam"
EXPECTED_TRANSITIONS = {
    (NEW, "post", "author"): A,
    (NEW, "post-held", "author"): P,
    (P, "edit", "author"): P,
    (A, "edit", "author"): A,
    (P, "edit-held", "author"): P,
    (A, "edit-held", "author"): P,
    (P, "delete", "author"): P,
    (A, "delete", "author"): A,
    (A, "report-hold", "reports"): P,
    **{(state, "approve", "moderator"): A for state in (P, A, H, S)},
    **{(state, "hide", "moderator"): H for state in (P, A, H, S)},
    **{(state, "spam", "moderator"): S for state in (P, A, H, S)},
    (NEW, "import", "importer"): A,
    (NEW, "import-held", "importer"): P,
    **{(state, "reimport", "importer"): state for state in (P, A, H, S)},
}
EVERY_COMBINATION = [
    (state, event, actor)
    for state in states.STATES
    for event in states.Event
    for actor in states.Actor
]


class TestTransitionTable:
    @pytest.mark.parametrize(("state", "event", "actor"), EVERY_COMBINATION)
    def test_every_state_event_and_actor(self, state, event, actor):
        expected = EXPECTED_TRANSITIONS.get((state, str(event), str(actor)))
        if expected is None:
            assert not states.allowed(state, event, actor)
            with pytest.raises(states.TransitionRefused):
                states.transition(state, event, actor)
        else:
            assert states.transition(state, event, actor) == expected

    def test_the_table_names_only_known_states_events_and_actors(self):
        assert set(states.STATES) == {NEW, *CommentStatus.values}
        assert {(s, str(e), str(a)) for s, e, a in states.TRANSITIONS} == set(EXPECTED_TRANSITIONS)

    @pytest.mark.parametrize("state", [P, A, H, S])
    def test_nothing_but_a_moderator_approves_an_existing_comment(self, state):
        for event in states.Event:
            for actor in states.Actor:
                to = states.TRANSITIONS.get((state, event, actor))
                if to == A and state != A:
                    assert actor == states.Actor.MODERATOR

    def test_moderator_services_refuse_readers(self, reader):
        comment = CommentFactory(status="pending")
        for act_on in (moderation.comment_approve, moderation.comment_hide):
            with pytest.raises(PermissionError):
                act_on(comment=comment, moderator=reader)
        assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING


def test_moderator_role_carries_the_moderate_comment_permission(moderator, reader):
    assert moderator.has_perm(moderation.MODERATE_PERMISSION)
    assert not reader.has_perm(moderation.MODERATE_PERMISSION)
