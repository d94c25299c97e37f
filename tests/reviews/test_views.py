"""The review page: every section, the about box from the catalog, who may see it, old paths."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from kansou.reviews.documents import review_import_text
from kansou.reviews.models import LegacyPath
from tests.catalog.factories import (
    AnimeCompanyFactory,
    AnimeFactory,
    AnimeTagFactory,
    ExternalIdFactory,
    PersonFactory,
    StaffCreditFactory,
)
from tests.reviews.factories import ReviewFactory, UserFactory
from tests.reviews.test_documents import FILE, catalog  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(catalog):  # noqa: F811
    koe = catalog["koe"]
    AnimeCompanyFactory(anime=koe, company__name="Kyoto Animation")
    AnimeTagFactory(anime=koe, tag__name="drama")
    StaffCreditFactory(anime=koe, person=PersonFactory(name="Yoshitoki Ooima"),
                       role="Original creator")  # fmt: skip
    return review_import_text(text=FILE).review


def test_page_shows_every_section(client, review, catalog):  # noqa: F811
    html = client.get(review.get_absolute_url()).content.decode()
    for text in [
        "<h1 id=\"review-title\">A Silent Voice</h1>",
        "Short.",  # summary
        "<p>Intro.</p>",
        "Who should watch", "Drama fans", "<p>Because.</p>",
        f'<a href="{catalog["clannad"].get_absolute_url()}">Clannad</a>',
        "Characters", "Shouko Nishimiya", "<p>Kind.</p>",
        "Themes", "Atonement", "<p>Hard.</p>",
        "Bridge", '<details class="spoiler"><summary>Ending</summary>',
        "Final thoughts", "<p>Watch it.</p>",
        "Tearjerker", "Character study",
        "9.5", "1 min read",
        "ana", "ben",
    ]:  # fmt: skip
        assert text in html, text


def test_about_box_comes_from_the_catalog(client, review, catalog):  # noqa: F811
    html = client.get(review.get_absolute_url()).content.decode()
    about = html.split('<aside class="about"')[1].split("</aside>")[0]
    for text in ["Movie", "Spring 2016", "Finished", "Kyoto Animation", "drama",
                 "Yoshitoki Ooima", "https://myanimelist.net/anime/28851",
                 catalog["koe"].get_absolute_url()]:  # fmt: skip
        assert text in about, text


def test_share_row_links_to_x_with_title_and_url(client, review):
    html = client.get(review.get_absolute_url()).content.decode()
    assert (
        "https://x.com/intent/post?text=A%20Silent%20Voice&amp;url="
        "http%3A%2F%2Ftestserver%2Freviews%2Fa-silent-voice%2F"
    ) in html
    assert 'value="http://testserver/reviews/a-silent-voice/"' in html
    assert "<script>" not in html  # share.js is a static file


def test_you_might_also_love_lists_other_published_reviews(client, review):
    other = ReviewFactory(title="Other one")
    ReviewFactory.draft(title="Secret draft")
    html = client.get(review.get_absolute_url()).content.decode()
    assert other.get_absolute_url() in html and "Secret draft" not in html


@pytest.mark.parametrize("make", [ReviewFactory.draft, ReviewFactory.scheduled])
def test_drafts_and_scheduled_reviews_are_not_found_by_anonymous_readers(client, make):
    assert client.get(make().get_absolute_url()).status_code == 404


@pytest.mark.parametrize("make", [ReviewFactory.draft, ReviewFactory.scheduled])
def test_other_logged_in_readers_do_not_see_drafts_either(client, make):
    client.force_login(UserFactory())
    assert client.get(make().get_absolute_url()).status_code == 404


def test_authors_preview_their_draft(client):
    author = UserFactory()
    draft = ReviewFactory.draft(authors=[author])
    client.force_login(author)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert b"only its authors and editors can see this page" in response.content
    assert b'<meta name="robots" content="noindex">' in response.content


def test_editors_preview_any_draft(client):
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="change_review"))
    client.force_login(editor)
    assert client.get(ReviewFactory.draft().get_absolute_url()).status_code == 200


def test_unknown_slug_is_not_found(client):
    assert client.get(reverse("reviews:review-detail", args=["nope"])).status_code == 404


def test_old_blog_path_redirects_permanently(client):
    review = ReviewFactory()
    LegacyPath.objects.create(old_path="/2019/04/my-review.html", review=review)
    response = client.get("/2019/04/my-review.html")
    assert response.status_code == 301
    assert response["Location"] == review.get_absolute_url()


def test_old_path_matches_with_or_without_trailing_slash(client):
    review = ReviewFactory()
    LegacyPath.objects.create(old_path="/blog/old-review/", review=review)
    assert client.get("/blog/old-review").status_code == 301


def test_unknown_old_path_stays_not_found(client):
    assert client.get("/2019/04/nothing.html").status_code == 404


def test_review_without_an_anime_has_no_about_box(client):
    review = ReviewFactory(anime=None)
    html = client.get(review.get_absolute_url()).content.decode()
    assert 'class="about"' not in html


def test_about_box_sources_include_every_site(client):
    anime = AnimeFactory()
    ExternalIdFactory(anime=anime, site="anilist", url="https://anilist.co/anime/1")
    review = ReviewFactory(anime=anime)
    assert b"https://anilist.co/anime/1" in client.get(review.get_absolute_url()).content
