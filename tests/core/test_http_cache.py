"""Anonymous pages tell caches in front to keep them a second and revalidate them with a 304;
nothing a signed-in reader gets, and nothing that sets a cookie, is ever public."""

from __future__ import annotations

import pytest

from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def page_cache(settings):
    settings.KANSOU_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def review():
    return ReviewFactory()


def directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_anonymous_page_is_public_for_a_second_with_a_weak_etag(client, page_cache, review):
    response = client.get(review.get_absolute_url())

    assert response.status_code == 200
    assert directives(response) == {"public", "max-age=0", "s-maxage=1", "must-revalidate"}
    assert response["ETag"].startswith('W/"')
    hit = client.get(review.get_absolute_url())
    assert (hit["X-Kansou-Cache"], hit["ETag"]) == ("hit", response["ETag"])


@pytest.mark.parametrize("encoding", [{}, GZIP], ids=["plain", "gzip"])
def test_the_same_request_with_if_none_match_gets_a_304_with_no_body(
    client, page_cache, review, encoding
):
    etag = client.get(review.get_absolute_url(), **encoding)["ETag"]

    response = client.get(review.get_absolute_url(), HTTP_IF_NONE_MATCH=etag, **encoding)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "s-maxage=1" in response["Cache-Control"]


def test_a_new_comment_changes_the_etag_and_the_old_one_gets_the_page(
    client, page_cache, review, django_user_model
):
    from kansou.community.comments.services import comment_post

    old = client.get(review.get_absolute_url())["ETag"]
    reader = django_user_model.objects.create(username="reader")
    comment_post(review=review, author=reader, body="Posted after the page was cached.")

    response = client.get(review.get_absolute_url(), HTTP_IF_NONE_MATCH=old)

    assert response.status_code == 200
    assert response["ETag"] != old
    assert response["X-Kansou-Cache"] == "miss"


def test_a_re_rendered_page_with_new_content_is_not_answered_304(client, page_cache, review):
    """A scheduled review appears when the entry expires, with the generation unchanged."""
    from django.core.cache import cache

    old = client.get(review.get_absolute_url())["ETag"]
    cache.clear()  # the entry expired; the generation starts again from the clock
    type(review).objects.filter(pk=review.pk).update(title="Changed without a service")

    response = client.get(review.get_absolute_url(), HTTP_IF_NONE_MATCH=old)

    assert response.status_code == 200 and b"Changed without a service" in response.content


def test_signed_in_readers_pages_are_private(client, page_cache, review, django_user_model):
    client.force_login(django_user_model.objects.create(username="aki"))

    response = client.get(review.get_absolute_url())

    assert response.status_code == 200
    assert {"private", "no-cache"} <= directives(response)
    assert "public" not in directives(response) and not response.has_header("ETag")


def test_a_response_that_sets_a_cookie_is_never_public(client, page_cache):
    response = client.get("/accounts/login/")

    assert response.status_code == 200 and "csrftoken" in response.cookies
    assert {"private", "no-cache"} <= directives(response)
    assert "public" not in directives(response)


def test_nothing_is_public_while_the_page_cache_is_off(client, review):
    response = client.get(review.get_absolute_url())

    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
