"""The comment thread on the review page, the form behind it, edit/delete pages, and the rule
that unapproved comments reach no one but their author and the moderators."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kansou.community.comments import services as comment_services
from kansou.community.comments.services import RATE_LIMITED, TOO_LONG, TOO_SHORT
from kansou.community.models import COMMENT_MAX_LENGTH, Comment, CommentStatus
from kansou.community.moderation import HELD
from tests.community.comment_factories import CommentFactory, ReaderFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def create_url(review):
    return reverse("community:comment-create", args=[review.slug])


def page_text(client, review) -> str:
    return client.get(review.get_absolute_url()).content.decode()


class TestPosting:
    def test_reader_posts_through_the_form_and_sees_it(self, client, review, reader):
        client.force_login(reader)
        response = client.post(create_url(review), {"body": "Lovely *review*"}, follow=True)
        comment = Comment.objects.get(review=review)
        assert response.redirect_chain[-1][0].endswith(f"#comment-{comment.pk}")
        html = response.content.decode()
        assert "Your comment is up." in html and "Lovely <em>review</em>" in html

    def test_anonymous_post_goes_to_log_in(self, client, review):
        response = client.post(create_url(review), {"body": "Hello"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert not Comment.objects.exists()

    def test_form_needs_the_csrf_token(self, review, reader):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(reader)
        assert client.post(create_url(review), {"body": "Hello"}).status_code == 403

    @pytest.mark.parametrize(
        ("body", "message"),
        [("x", TOO_SHORT), ("y" * (COMMENT_MAX_LENGTH + 3), TOO_LONG.format(length=5003))],
    )
    def test_refused_comment_keeps_the_text_and_says_why(
        self, client, review, reader, body, message
    ):
        client.force_login(reader)
        response = client.post(create_url(review), {"body": body})
        html = response.content.decode()
        assert response.status_code == 400
        assert message in html and body in html
        assert not Comment.objects.filter(review=review).exists()

    def test_rate_limited_comment_answers_429_with_the_wait(self, client, review, reader, settings):
        settings.KANSOU_COMMENT_RATE = "1/m"
        client.force_login(reader)
        client.post(create_url(review), {"body": "First"})
        response = client.post(create_url(review), {"body": "Second"})
        assert response.status_code == 429
        assert RATE_LIMITED.split("{")[0] in response.content.decode()

    def test_honeypot_answers_like_a_held_comment_and_keeps_nothing(self, client, review, reader):
        client.force_login(reader)
        response = client.post(
            create_url(review), {"body": "Buy now", "website": "http://x"}, follow=True
        )
        assert HELD in response.content.decode()
        assert not Comment.objects.filter(review=review).exists()

    def test_reply_form_posts_a_reply(self, client, review, reader):
        top = CommentFactory(review=review)
        client.force_login(reader)
        client.post(create_url(review), {"body": "Agreed", "parent": top.pk})
        assert Comment.objects.get(body_md="Agreed").parent == top

    def test_honeypot_is_hidden_by_a_class_not_a_style(self, client, review, reader):
        client.force_login(reader)
        html = page_text(client, review)
        assert 'class="comment-form__trap" aria-hidden="true"' in html
        assert "style=" not in html.split('id="comments"')[1]


class TestVisibility:
    @pytest.fixture
    def thread(self, review):
        author = ReaderFactory(username="penny")
        return {
            "approved": CommentFactory(review=review, body_html="<p>APPROVED-TEXT</p>"),
            "pending": CommentFactory(
                review=review, author=author, status="pending", body_html="<p>PENDING-TEXT</p>"
            ),
            "hidden": CommentFactory(
                review=review, status="hidden", body_html="<p>HIDDEN-TEXT</p>"
            ),
            "spam": CommentFactory(review=review, status="spam", body_html="<p>SPAM-TEXT</p>"),
        }

    def test_anonymous_sees_approved_comments_only(self, client, review, thread):
        html = page_text(client, review)
        assert "APPROVED-TEXT" in html
        assert not {"PENDING-TEXT", "HIDDEN-TEXT", "SPAM-TEXT"} & set(html.split())
        assert "PENDING-TEXT" not in html and "HIDDEN-TEXT" not in html and "SPAM-TEXT" not in html
        assert "Log in</a> or" in html

    def test_another_reader_sees_approved_only(self, client, review, thread, reader):
        client.force_login(reader)
        html = page_text(client, review)
        assert "APPROVED-TEXT" in html and "PENDING-TEXT" not in html and "SPAM-TEXT" not in html

    def test_author_sees_their_pending_comment_with_a_note(self, client, review, thread):
        client.force_login(thread["pending"].author)
        html = page_text(client, review)
        assert "PENDING-TEXT" in html and "Your comment is awaiting moderation" in html
        assert "HIDDEN-TEXT" not in html

    def test_moderator_sees_pending_but_not_hidden_or_spam(self, client, review, thread, moderator):
        client.force_login(moderator)
        html = page_text(client, review)
        assert "PENDING-TEXT" in html and "Awaiting moderation." in html
        assert "HIDDEN-TEXT" not in html and "SPAM-TEXT" not in html
        assert reverse("community:moderation") in html

    def test_no_email_reaches_the_page(self, client, review, thread, moderator):
        client.force_login(moderator)
        html = page_text(client, review)
        assert "@example.org" not in html

    def test_reviewer_badge_marks_the_review_author(self, client):
        author = ReaderFactory(username="writer")
        review = ReviewFactory(authors=[author])
        CommentFactory(review=review, author=author)
        assert 'class="badge comment__badge">Reviewer<' in page_text(client, review)

    def test_drafts_show_no_form(self, client, reader):
        review = ReviewFactory.draft(authors=[reader])
        client.force_login(reader)
        html = page_text(client, review)
        assert "Comments open when the review is published." in html
        assert create_url(review) not in html


class TestQueries:
    @pytest.mark.parametrize("size", [1, 25])
    def test_anonymous_thread_is_three_queries_whatever_its_size(
        self, client, review, size, django_assert_num_queries
    ):
        for _ in range(size):
            top = CommentFactory(review=review)
            CommentFactory(review=review, parent=top)
        from django.template import Context, Template
        from django.test import RequestFactory

        request = RequestFactory().get("/")
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        template = Template("{% load comments %}{% comment_thread review %}")
        with django_assert_num_queries(3):  # counts, latest top-level ids, rows shown
            html = template.render(Context({"request": request, "review": review}))
        assert html.count('class="comment"') == 2 * size

    def test_signed_in_page_costs_the_same_for_1_or_30_comments(self, client, review, reader):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(reader)
        CommentFactory(review=review)
        client.get(review.get_absolute_url())  # warm up session and permissions
        with CaptureQueriesContext(connection) as one:
            client.get(review.get_absolute_url())
        for _ in range(29):
            CommentFactory(review=review, parent=CommentFactory(review=review))
        with CaptureQueriesContext(connection) as many:
            client.get(review.get_absolute_url())
        assert len(many) == len(one)


class TestPageCache:
    def test_a_moderator_approving_refreshes_the_anonymous_page(
        self, client, review, moderator, settings
    ):
        settings.KANSOU_PAGE_CACHE_SECONDS = 300
        waiting = CommentFactory(review=review, status="pending", body_html="<p>LATE-TEXT</p>")
        from django.test import Client

        anonymous = Client()
        assert "LATE-TEXT" not in page_text(anonymous, review)
        assert anonymous.get(review.get_absolute_url())["X-Kansou-Cache"] == "hit"
        client.force_login(moderator)
        url = reverse("community:moderation-act", args=[waiting.pk])
        assert client.post(url, {"action": "approve"}).status_code == 302
        response = anonymous.get(review.get_absolute_url())
        assert response["X-Kansou-Cache"] == "miss" and "LATE-TEXT" in response.content.decode()


class TestEditAndDeletePages:
    def test_author_edits_through_the_page(self, client, review, reader):
        comment = CommentFactory(review=review, author=reader)
        client.force_login(reader)
        url = reverse("community:comment-edit", args=[comment.pk])
        assert "A fine review." in client.get(url).content.decode()
        client.post(url, {"body": "Better words"})
        comment.refresh_from_db()
        assert comment.body_html == "<p>Better words</p>" and comment.edited_at

    @pytest.mark.parametrize("page", ["community:comment-edit", "community:comment-delete"])
    @pytest.mark.parametrize("status", CommentStatus.values)
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_someone_elses_comment_is_not_found_whatever_its_status(
        self, client, reader, newcomer, moderator, page, status, method
    ):
        draft = ReviewFactory.draft(title="SECRET-DRAFT-TITLE")
        comment = CommentFactory(review=draft, author=reader, status=status, body_md="SECRET")
        for other in (newcomer, moderator):  # moderators act through the queue, not here
            client.force_login(other)
            response = getattr(client, method)(reverse(page, args=[comment.pk]), {"body": "Hi!"})
            html = response.content.decode()
            assert response.status_code == 404
            assert "SECRET" not in html
        assert Comment.objects.get(pk=comment.pk).body_md == "SECRET"

    @pytest.mark.parametrize("page", ["community:comment-edit", "community:comment-delete"])
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_anonymous_is_sent_to_log_in(self, client, review, reader, page, method):
        comment = CommentFactory(review=review, author=reader)
        response = getattr(client, method)(reverse(page, args=[comment.pk]), {"body": "Hi!"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    @pytest.mark.parametrize("page", ["community:comment-edit", "community:comment-delete"])
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_own_comment_past_its_window_answers_403_and_says_why(
        self, client, review, reader, settings, page, method
    ):
        import datetime as dt

        from django.utils import timezone

        late = timezone.now() - dt.timedelta(minutes=settings.KANSOU_COMMENT_EDIT_MINUTES + 1)
        comment = CommentFactory(review=review, author=reader, created_at=late)
        client.force_login(reader)
        response = getattr(client, method)(reverse(page, args=[comment.pk]), {"body": "Hi!"})
        assert response.status_code == 403
        assert "can be edited or deleted for" in response.content.decode()
        assert Comment.objects.get(pk=comment.pk).body_md == "A fine review."

    def test_commenting_on_a_draft_does_not_name_it(self, client, reader):
        draft = ReviewFactory.draft(title="SECRET-DRAFT-TITLE")
        client.force_login(reader)
        response = client.post(create_url(draft), {"body": "Hello there"})
        assert response.status_code == 404
        assert "SECRET-DRAFT-TITLE" not in response.content.decode()
        assert not Comment.objects.filter(review=draft).exists()

    def test_reporting_a_comment_on_a_draft_does_not_reveal_its_address(
        self, client, reader, newcomer
    ):
        draft = ReviewFactory.draft()
        comment = CommentFactory(review=draft, author=reader)
        client.force_login(newcomer)
        response = client.post(reverse("community:comment-report", args=[comment.pk]))
        assert response.status_code == 404 and draft.slug not in response.get("Location", "")

    def test_author_deletes_after_confirming(self, client, review, reader):
        comment = CommentFactory(review=review, author=reader)
        client.force_login(reader)
        url = reverse("community:comment-delete", args=[comment.pk])
        assert client.get(url).status_code == 200 and Comment.objects.filter(pk=comment.pk).exists()
        client.post(url)
        assert not Comment.objects.filter(pk=comment.pk).exists()

    def test_edit_and_delete_links_show_only_inside_the_window(
        self, client, review, reader, settings
    ):
        import datetime as dt

        from django.utils import timezone

        comment = CommentFactory(review=review, author=reader)
        client.force_login(reader)
        assert "Edit</a>" in page_text(client, review)
        late = timezone.now() - dt.timedelta(minutes=settings.KANSOU_COMMENT_EDIT_MINUTES + 1)
        Comment.objects.filter(pk=comment.pk).update(created_at=late)
        assert "Edit</a>" not in page_text(client, review)


def test_status_choices_cover_the_four_states():
    assert set(CommentStatus.values) == {"pending", "approved", "hidden", "spam"}


class TestLongThreads:
    """A review page opens on its latest conversations; the whole thread is one link away."""

    @pytest.fixture
    def thread(self, review, monkeypatch):
        monkeypatch.setattr(comment_services, "LATEST_THREADS", 2)
        notes = [
            CommentFactory(review=review, body_md=f"n{i}", body_html=f"<p>Note {i}</p>")
            for i in range(4)
        ]
        CommentFactory(review=review, parent=notes[0], body_html="<p>Reply to the first</p>")
        CommentFactory(review=review, parent=notes[3], body_html="<p>Reply to the last</p>")
        return notes

    def test_the_page_shows_the_latest_conversations_and_counts_them_all(
        self, client, review, thread
    ):
        html = page_text(client, review)
        assert "Note 2" in html and "Note 3" in html and "Reply to the last" in html
        assert "Note 0" not in html and "Reply to the first" not in html
        assert "(6)" in html and "Show 2 earlier comments" in html

    def test_the_whole_thread_is_one_link_away(self, client, review, thread):
        html = client.get(review.get_absolute_url() + "?comments=all").content.decode()
        assert all(f"Note {i}" in html for i in range(4)) and "Reply to the first" in html
        assert "earlier comment" not in html

    def test_a_reply_to_an_old_conversation_lands_on_the_whole_thread(
        self, client, review, thread, reader
    ):
        client.force_login(reader)
        old = client.post(create_url(review), {"body": "Late reply", "parent": thread[0].pk})
        new = client.post(create_url(review), {"body": "Fresh comment"})
        late, fresh = Comment.objects.filter(body_md__in=["Late reply", "Fresh comment"]).order_by(
            "pk"
        )
        assert old["Location"] == f"{review.get_absolute_url()}?comments=all#comment-{late.pk}"
        assert new["Location"] == f"{review.get_absolute_url()}#comment-{fresh.pk}"


def test_a_reply_to_a_comment_that_does_not_exist_is_refused(client, review, reader):
    client.force_login(reader)
    response = client.post(create_url(review), {"body": "Replying", "parent": 999999})
    assert response.status_code == 400
    assert "reply to a visible comment" in response.content.decode()
    assert not Comment.objects.filter(review=review, body_md="Replying").exists()
