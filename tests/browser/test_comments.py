"""Comments in a real browser: log in, post through the form (no script needed), see the comment
or the moderation note, and no payload in a comment ever runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from kansou.community.comments.services import comment_import
from tests.community.comment_factories import CommentFactory, ReaderFactory
from tests.community.factories import PASSWORD
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".kansou" / "screenshots"
PAYLOAD = (
    "<script>window.pwned='script'</script> <img src=x onerror=\"window.pwned='img'\"> "
    "[click](javascript:window.pwned='link') <svg onload=\"window.pwned='svg'\">"
)


def log_in(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def review(db):
    writer = ReaderFactory(username="writer")
    review = ReviewFactory(title="Mushishi, slowly", authors=[writer], anime__picture="")
    first = CommentFactory(
        review=review,
        author=ReaderFactory(username="ginko"),
        body_html="<p>The <em>quiet</em> episodes are the best.</p>",
    )
    agreed = '<p>Agreed. <a href="https://example.org">More here</a>.</p>'
    CommentFactory(review=review, author=writer, parent=first, body_html=agreed)
    comment_import(review=review, author_name='Old <b onclick="x()">Blog</b> Reader',
                   author_url="https://old.example/", body_html_or_md=PAYLOAD,
                   created_at=first.created_at, source_id="b-1")  # fmt: skip
    return review


def test_reader_posts_a_comment_and_no_payload_runs(page, live_server, review):
    reader = ReaderFactory(username="mika")
    CommentFactory(author=reader)  # an approved comment elsewhere: trusted
    log_in(page, live_server, "mika", review.get_absolute_url())
    page.get_by_label("Your comment", exact=True).fill(f"My **first** thought. {PAYLOAD}")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Your comment is up.").wait_for()
    mine = page.locator("article.comment", has_text="My first thought.")
    assert mine.locator("strong").inner_text() == "first"
    assert page.evaluate("window.pwned") is None
    assert page.locator("#comments script, #comments svg, #comments img").count() == 0
    assert page.errors == []


def test_newcomer_sees_the_moderation_note(page, live_server, review):
    ReaderFactory(username="newbie", date_joined=review.created_at)
    log_in(page, live_server, "newbie", review.get_absolute_url())
    page.get_by_label("Your comment", exact=True).fill("Hello from a new account")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Your comment awaits moderation", exact=False).first.wait_for()
    assert page.get_by_text("Your comment is awaiting moderation").is_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_thread_screenshots(browser, live_server, review, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(
        live_server.url) else route.continue_())  # fmt: skip
    reader = ReaderFactory(username="mika")
    CommentFactory(author=reader)
    log_in(page, live_server, "mika", review.get_absolute_url())
    page.wait_for_url(f"**{review.get_absolute_url()}")
    page.locator("#comments").scroll_into_view_if_needed()
    honeypot = page.locator(".comment-form__trap").first
    assert not honeypot.is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#comments").screenshot(path=str(SCREENSHOTS / f"comments-{width}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
