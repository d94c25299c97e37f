"""Writing in the browser through the admin: authors write, save drafts, preview and publish."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from kansou.reviews.models import Review, ReviewStatus
from tests.catalog.factories import AnimeFactory
from tests.reviews.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db
INLINES = ["review_authors", "audience", "characters", "themes", "sections", "legacy_paths"]


@pytest.fixture
def author(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="add_review"),
        Permission.objects.get(codename="view_anime"),
    )
    client.force_login(user)
    return user


def _post(anime, **extra):
    data = {
        "title": "Written in the browser", "slug": "written-in-the-browser",
        "anime": anime.pk, "status": "draft", "publish_at_0": "", "publish_at_1": "",
        "score": "8.5", "summary": "Short.", "intro_md": "Intro with *emphasis*.",
        "final_thoughts_md": "::: spoiler End\nHidden.\n:::",
    }  # fmt: skip
    for prefix in INLINES:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | extra


def test_author_writes_a_draft_with_audience_and_comparable_titles(client, author):
    anime, other = AnimeFactory(title="Koe no Katachi"), AnimeFactory(title="Clannad")
    data = _post(anime, **{
        "audience-TOTAL_FORMS": "1", "audience-0-position": "0", "audience-0-name": "Drama fans",
        "audience-0-why_md": "Because.", "audience-0-comparable_refs": f"Clannad\n#{anime.pk}",
    })  # fmt: skip
    response = client.post(reverse("admin:reviews_review_add"), data)
    assert response.status_code == 302, response.context["adminform"].errors
    review = Review.objects.get()
    assert review.status == ReviewStatus.DRAFT and review.ordered_authors() == [author]
    assert review.intro_html == "<p>Intro with <em>emphasis</em>.</p>"
    assert '<details class="spoiler">' in review.final_thoughts_html
    profile = review.audience.get()
    assert [c.anime for c in profile.comparable_titles.all()] == [other, anime]
    assert profile.why_html == "<p>Because.</p>"
    # Preview: the author sees the draft on the site; nobody else does.
    assert client.get(review.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(review.get_absolute_url()).status_code == 404


def test_unknown_comparable_title_is_a_form_error_listing_candidates(client, author):
    anime = AnimeFactory(title="Koe no Katachi")
    data = _post(anime, **{
        "audience-TOTAL_FORMS": "1", "audience-0-position": "0", "audience-0-name": "Fans",
        "audience-0-comparable_refs": "Koe no Katachy Movie",
    })  # fmt: skip
    response = client.post(reverse("admin:reviews_review_add"), data)
    assert response.status_code == 200
    assert f"#{anime.pk} Koe no Katachi" in response.content.decode()
    assert not Review.objects.exists()


def test_scheduling_needs_a_time(client, author):
    response = client.post(reverse("admin:reviews_review_add"),
                           _post(AnimeFactory(), status="scheduled"))  # fmt: skip
    assert response.status_code == 200 and not Review.objects.exists()


def test_publishing_without_a_time_publishes_now(client, author):
    client.post(reverse("admin:reviews_review_add"), _post(AnimeFactory(), status="published"))
    assert Review.objects.get().is_public


def test_authors_only_edit_their_own_reviews(client, author):
    mine, theirs = ReviewFactory(authors=[author]), ReviewFactory()
    assert client.get(reverse("admin:reviews_review_change", args=[mine.pk])).status_code == 200
    response = client.get(reverse("admin:reviews_review_change", args=[theirs.pk]))
    assert response.status_code in (302, 403, 404)
    listing = client.get(reverse("admin:reviews_review_changelist")).content.decode()
    assert mine.title in listing and theirs.title not in listing


def test_publish_now_action(client, author):
    draft = ReviewFactory.draft(authors=[author])
    client.post(reverse("admin:reviews_review_changelist"),
                {"action": "publish_now", "_selected_action": [draft.pk]})  # fmt: skip
    draft.refresh_from_db()
    assert draft.is_public
