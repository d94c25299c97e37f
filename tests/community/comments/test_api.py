"""GET and POST /api/reviews/{slug}/comments."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from kansou.community.comments.api import NO_PARENT
from kansou.community.comments.services import TOO_SHORT
from kansou.community.models import (
    COMMENT_MAX_LENGTH,
    COMMENT_MIN_LENGTH,
    Ban,
    Comment,
    CommentStatus,
)
from kansou.community.moderation import BANNED
from tests.community.comment_factories import CommentFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def url(review) -> str:
    return f"/api/reviews/{review.slug}/comments"


def test_get_lists_approved_comments_with_names_only(client, review):
    top = CommentFactory(review=review, body_html="<p>Hi</p>")
    reply = CommentFactory(review=review, parent=top)
    for status in ["pending", "hidden", "spam"]:
        CommentFactory(review=review, status=status)
    body = client.get(url(review)).json()
    assert [c["id"] for c in body] == [top.pk, reply.pk]
    assert body[1]["parent_id"] == top.pk and body[0]["body_html"] == "<p>Hi</p>"
    assert body[0]["author"] == top.author.username
    assert "@" not in str(body)


def test_get_hides_replies_of_hidden_comments(client, review):
    hidden = CommentFactory(review=review, status="hidden")
    CommentFactory(review=review, parent=hidden)
    assert client.get(url(review)).json() == []


def test_get_on_a_draft_is_404(client):
    assert client.get(url(ReviewFactory.draft())).status_code == 404


def test_moderators_get_the_same_public_list(client, review, moderator):
    CommentFactory(review=review, status="pending")
    client.force_login(moderator)
    assert client.get(url(review)).json() == []


def test_post_needs_a_session(client, review):
    response = client.post(url(review), {"body": "Hello"}, content_type="application/json")
    assert response.status_code == 401
    assert not Comment.objects.exists() or not Comment.objects.filter(review=review).exists()


def test_post_needs_the_csrf_token(review, reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post(url(review), {"body": "Hello"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert not Comment.objects.filter(review=review).exists()


def test_post_creates_an_approved_comment(client, review, reader):
    client.force_login(reader)
    response = client.post(url(review), {"body": "Nice *one*"}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (
        body["status"] == "approved" and body["comment"]["body_html"] == "<p>Nice <em>one</em></p>"
    )


def test_a_comment_posted_by_one_of_the_reviews_authors_carries_the_reviewer_badge(client):
    review = ReviewFactory()
    author = review.review_authors.get().user
    client.force_login(author)
    response = client.post(url(review), {"body": "Thanks!"}, content_type="application/json")
    assert response.json()["comment"]["is_by_reviewer"] is True


def test_a_comment_posted_by_a_reader_carries_no_reviewer_badge(client, review, reader):
    client.force_login(reader)
    response = client.post(url(review), {"body": "Thanks!"}, content_type="application/json")
    assert response.json()["comment"]["is_by_reviewer"] is False


def test_posting_reads_the_account_review_and_bans_then_inserts_once(
    client, review, reader, settings, django_assert_num_queries
):
    """The write path the load test measures: every check still runs, in three queries (the
    session comes from the cache; the byline for the badge and the ban come with the review;
    Django's own key checks are left to the database's foreign keys)."""
    settings.KANSOU_COMMENT_MODERATION = "none"
    client.force_login(reader)
    with django_assert_num_queries(3):
        response = client.post(url(review), {"body": "Hi!"}, content_type="application/json")
    assert response.status_code == 201


@pytest.mark.parametrize("hours, posted", [(None, False), (1, False), (-1, True)])
def test_a_ban_in_force_refuses_the_post_with_its_reason(client, review, reader, hours, posted):
    until = None if hours is None else timezone.now() + dt.timedelta(hours=hours)
    Ban.objects.create(user=reader, until=until)
    before = Comment.objects.filter(author=reader).count()
    client.force_login(reader)
    response = client.post(url(review), {"body": "Hi!"}, content_type="application/json")
    assert response.status_code == (201 if posted else 400)
    if hours is None:
        assert response.json()["detail"] == BANNED
    elif not posted:
        assert response.json()["detail"].startswith("Your account may not post comments until")
    assert Comment.objects.filter(author=reader).count() == before + posted


def test_held_comment_answers_pending_without_the_comment(client, review, newcomer):
    client.force_login(newcomer)
    body = client.post(url(review), {"body": "First!"}, content_type="application/json").json()
    assert body["status"] == CommentStatus.PENDING and body["comment"] is None
    assert "awaits moderation" in body["message"]


def test_scheme_relative_links_over_the_limit_are_held(client, review, reader, settings):
    settings.KANSOU_COMMENT_MAX_LINKS = 2
    client.force_login(reader)
    links = "[a](//e1.example) [b](//e2.example) [c](//e3.example)"
    body = client.post(url(review), {"body": links}, content_type="application/json").json()
    assert body["status"] == CommentStatus.PENDING and body["comment"] is None
    assert client.get(url(review)).json() == []


def test_refusal_says_why(client, review, reader):
    client.force_login(reader)
    response = client.post(url(review), {"body": "x"}, content_type="application/json")
    assert response.status_code == 400 and response.json() == {"detail": TOO_SHORT}


def test_rate_limit_answers_429_with_retry_after(client, review, reader, settings):
    settings.KANSOU_COMMENT_RATE = "1/m"
    client.force_login(reader)
    client.post(url(review), {"body": "One"}, content_type="application/json")
    response = client.post(url(review), {"body": "Two"}, content_type="application/json")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "You can post again in" in response.json()["detail"]


def test_post_documents_401_403_and_the_body_rules(client):
    schema = client.get("/api/openapi.json").json()
    post = schema["paths"]["/api/reviews/{slug}/comments"]["post"]

    for status in ("401", "403"):
        shape = post["responses"][status]["content"]["application/json"]["schema"]
        assert shape == {"$ref": "#/components/schemas/ErrorOut"}
    body = schema["components"]["schemas"]["CommentIn"]["properties"]["body"]
    assert (body["minLength"], body["maxLength"]) == (COMMENT_MIN_LENGTH, COMMENT_MAX_LENGTH)
    assert re.search(body["pattern"], "ok") and not re.search(body["pattern"], " k\x07 ")


def test_control_characters_are_dropped_from_the_body(client, review, reader):
    client.force_login(reader)
    body = {"body": "Ring\x07 the\x1b[31m bell\x85"}

    response = client.post(url(review), body, content_type="application/json")

    assert response.status_code == 201
    assert response.json()["comment"]["body_html"] == "<p>Ring the[31m bell</p>"
    assert Comment.objects.get(pk=response.json()["comment"]["id"]).body_md == "Ring the[31m bell"


def test_a_body_that_is_only_control_characters_is_too_short(client, review, reader):
    client.force_login(reader)

    response = client.post(url(review), {"body": "\x07a\x07"}, content_type="application/json")

    assert response.status_code == 400 and response.json() == {"detail": TOO_SHORT}


def test_a_reply_to_a_comment_that_is_not_there_is_404_not_a_new_thread(client, review, reader):
    client.force_login(reader)
    hidden = CommentFactory(review=review, status="hidden")
    elsewhere = CommentFactory()

    for parent_id in (424242, hidden.pk, elsewhere.pk):
        response = client.post(
            url(review), {"body": "Me too", "parent_id": parent_id}, content_type="application/json"
        )
        assert response.status_code == 404
        assert response.json() == {"detail": NO_PARENT.format(id=parent_id)}
    assert not Comment.objects.filter(review=review, author=reader, body_md="Me too").exists()


@pytest.mark.parametrize("as_json", [str, float, bool], ids=["string", "float", "bool"])
def test_the_body_takes_json_types_as_the_schema_says(client, review, reader, as_json):
    parent_id = as_json(CommentFactory(review=review).pk)
    client.force_login(reader)

    response = client.post(
        url(review), {"body": "Me too", "parent_id": parent_id}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["param"] == "parent_id"
