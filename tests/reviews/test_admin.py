"""Writing in the browser through the admin: authors write, save drafts, preview and publish."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from kansou.community import roles
from kansou.community.services import user_grant_role
from kansou.reviews.models import Review, ReviewStatus
from kansou.reviews.services import review_publish
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


def _staff_with_role(role):
    user = UserFactory(is_staff=True)
    user_grant_role(user=user, role=role)
    return user


def test_the_author_role_sees_and_changes_only_its_own_reviews(client):
    author, other = _staff_with_role(roles.AUTHOR), _staff_with_role(roles.AUTHOR)
    mine = ReviewFactory.draft(authors=[author], title="My draft")
    theirs = ReviewFactory.draft(authors=[other], title="Their secret draft")
    client.force_login(author)

    listing = client.get(reverse("admin:reviews_review_changelist")).content.decode()
    assert mine.title in listing and theirs.title not in listing
    assert client.get(reverse("admin:reviews_review_change", args=[mine.pk])).status_code == 200
    for name in ("admin:reviews_review_change", "admin:reviews_review_history"):
        response = client.get(reverse(name, args=[theirs.pk]))
        assert response.status_code in (302, 403, 404) and theirs.title not in response.text
    response = client.post(reverse("admin:reviews_review_change", args=[theirs.pk]),
                           _post(AnimeFactory(), title="Taken over", slug=theirs.slug))  # fmt: skip
    assert response.status_code in (302, 403, 404)
    theirs.refresh_from_db()
    assert theirs.title == "Their secret draft"
    # The preview agrees with the admin: the draft is not found on the site either.
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(mine.get_absolute_url()).status_code == 200


def test_the_editor_role_sees_and_changes_every_review(client):
    editor = _staff_with_role(roles.EDITOR)
    draft = ReviewFactory.draft(title="Another authors draft")
    client.force_login(editor)
    assert draft.title in client.get(reverse("admin:reviews_review_changelist")).text
    assert client.get(reverse("admin:reviews_review_change", args=[draft.pk])).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 200


def _found_in_search(client, words: str) -> list[str]:
    return [hit["title"] for hit in client.get("/api/search", {"q": words}).json()["results"]]


@pytest.mark.parametrize("bulk", [False, True], ids=["delete page", "delete selected"])
def test_a_review_deleted_in_the_admin_leaves_search(client, bulk):
    review = review_publish(review=ReviewFactory.draft(title="Drawing through grief"))
    gone = "Drawing through grief"
    client.force_login(_staff_with_role(roles.EDITOR))
    assert _found_in_search(client, "drawing grief") == [gone]

    if bulk:
        action = {"action": "delete_selected", "_selected_action": [review.pk], "post": "yes"}
        response = client.post(reverse("admin:reviews_review_changelist"), action)
    else:
        url = reverse("admin:reviews_review_delete", args=[review.pk])
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302 and not Review.objects.exists()
    client.get(response["Location"])  # shows (and so clears) "… was deleted successfully"

    assert _found_in_search(client, "drawing grief") == []
    assert gone not in client.get("/search/", {"q": "drawing grief"}).text
