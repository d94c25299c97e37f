"""The review page's shared parts come from the cache until the review or the site changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kansou.core.pagecache import pages_changed
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragment_cache(settings):
    settings.KANSOU_FRAGMENT_CACHE_SECONDS = 60


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_second_view_reads_the_article_from_the_cache(client, fragment_cache):
    review = ReviewFactory(title="Quiet grief", intro_md="x", intro_html="<p>Drawing again.</p>")
    first, page = queries(client, review.get_absolute_url())
    second, again = queries(client, review.get_absolute_url())
    assert second < first
    assert "Drawing again." in again and "Quiet grief" in again


def test_an_edited_review_is_rendered_afresh(client, fragment_cache):
    review = ReviewFactory(intro_html="<p>Before.</p>")
    queries(client, review.get_absolute_url())
    review.intro_html = "<p>After.</p>"
    review.save()
    _, page = queries(client, review.get_absolute_url())
    assert "After." in page and "Before." not in page


def test_any_site_change_moves_the_fragments_on(client, fragment_cache):
    review = ReviewFactory(intro_html="<p>Before.</p>")
    queries(client, review.get_absolute_url())
    type(review).objects.filter(pk=review.pk).update(intro_html="<p>Changed quietly.</p>")
    pages_changed()
    _, page = queries(client, review.get_absolute_url())
    assert "Changed quietly." in page


def test_comments_are_never_cached_with_the_article(client, fragment_cache, django_user_model):
    from kansou.community.comments.services import comment_post

    review = ReviewFactory()
    queries(client, review.get_absolute_url())
    reader = django_user_model.objects.create(username="reader")
    posted = comment_post(review=review, author=reader, body="A fresh comment here.")
    posted.comment.status = "approved"
    posted.comment.save()
    _, page = queries(client, review.get_absolute_url())
    assert "A fresh comment here." in page


def test_a_new_comment_does_not_re_render_the_article(client, fragment_cache, django_user_model):
    review = ReviewFactory()
    cold, _ = queries(client, review.get_absolute_url())
    warm, _ = queries(client, review.get_absolute_url())
    reader = django_user_model.objects.create(username="chatty")
    commenter = type(client)()
    commenter.force_login(reader)
    response = commenter.post(
        f"/api/reviews/{review.slug}/comments",
        {"body": "Lovely review, thank you."},
        content_type="application/json",
    )
    assert response.status_code == 201
    after, _ = queries(client, review.get_absolute_url())
    # Only the thread is read again (one query); the article still comes from the cache.
    assert after == warm + 1 < cold


def test_anonymous_readers_share_one_rendered_thread(client, fragment_cache, django_user_model):
    review = ReviewFactory()
    queries(client, review.get_absolute_url())
    cached, _ = queries(client, review.get_absolute_url())
    reader = django_user_model.objects.create(username="signed-in")
    signed_in = type(client)()
    signed_in.force_login(reader)
    with CaptureQueriesContext(connection) as captured:
        response = signed_in.get(review.get_absolute_url())
    assert response.status_code == 200
    # A signed-in reader gets their own thread (with the form), never the anonymous copy.
    assert 'name="body"' in response.content.decode()
    assert len(captured.captured_queries) > cached
