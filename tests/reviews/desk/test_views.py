"""The desk's pages: who reaches them, saving from the page and from its script, conflicts,
preview, pickers, publishing and revisions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kansou.community import roles
from kansou.community.services import user_grant_role
from kansou.reviews.desk import services
from kansou.reviews.models import Review, ReviewStatus
from tests.catalog.factories import AnimeFactory, AnimeTitleFactory, CharacterFactory
from tests.reviews.desk.posting import desk_post_data
from tests.reviews.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def _role(role: str, username: str):
    user = UserFactory(username=username, is_staff=True)
    user_grant_role(user=user, role=role)
    return user


@pytest.fixture
def author():
    return _role(roles.AUTHOR, "desk-author")


@pytest.fixture
def draft(author):
    return ReviewFactory.draft(authors=[author], title="Work in progress", intro_md="Hello.",
                               intro_html="<p>Hello.</p>")  # fmt: skip


@pytest.fixture
def signed_in(client, author):
    client.force_login(author)
    return client


def _urls(review):
    revision_url = reverse("desk:revision", args=[review.pk, 1])
    return [
        reverse(name, args=[review.pk])
        for name in ("desk:edit", "desk:preview", "desk:suggest", "desk:revisions")
    ] + [revision_url]


class TestWhoMayWrite:
    def test_anonymous_visitors_are_sent_to_log_in(self, client, draft):
        for url in [reverse("desk:index"), *_urls(draft)]:
            response = client.get(url)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_other_authors_get_404_on_get_and_post(self, client, draft):
        client.force_login(_role(roles.AUTHOR, "other-author"))
        for url in _urls(draft):
            assert client.get(url).status_code == 404
            assert client.post(url, desk_post_data(draft)).status_code == 404
        assert Review.objects.get(pk=draft.pk).intro_md == "Hello."

    def test_editors_open_everyones_reviews(self, client, draft):
        client.force_login(_role(roles.EDITOR, "an-editor"))
        assert client.get(reverse("desk:edit", args=[draft.pk])).status_code == 200

    def test_readers_cannot_start_a_review(self, client):
        client.force_login(UserFactory(username="a-reader"))
        assert client.post(reverse("desk:new")).status_code == 403
        assert "New review" not in client.get(reverse("desk:index")).content.decode()


class TestIndex:
    def test_lists_the_authors_reviews_with_their_state(self, signed_in, draft, author):
        ReviewFactory(authors=[author], title="Out there")
        ReviewFactory(title="Someone else's")
        html = signed_in.get(reverse("desk:index")).content.decode()
        assert "Work in progress" in html and "Out there" in html
        assert "Someone else" not in html
        assert "Draft" in html and "Published " in html and "New review" in html

    def test_new_review_starts_a_draft_and_opens_it(self, signed_in, author):
        response = signed_in.post(reverse("desk:new"))
        review = Review.objects.get(review_authors__user=author)
        assert response["Location"] == reverse("desk:edit", args=[review.pk])


class TestEditPage:
    def test_shows_the_fields_and_the_preview_of_the_saved_text(self, signed_in, draft):
        html = signed_in.get(reverse("desk:edit", args=[draft.pk])).content.decode()
        assert 'name="intro_md"' in html and 'name="version"' in html
        assert "srcdoc=" in html and "&lt;p&gt;Hello.&lt;/p&gt;" in html
        assert "{# image upload goes here #}" not in html  # a template comment, not output

    def test_saving_without_script_redirects_back_with_the_text_saved(self, signed_in, draft):
        data = desk_post_data(draft, title="Koe no Katachi", intro_md="It **hurts**.")
        response = signed_in.post(reverse("desk:edit", args=[draft.pk]), data)
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.intro_html == "<p>It <strong>hurts</strong>.</p>"
        assert draft.slug == "koe-no-katachi"

    def test_autosave_answers_with_the_new_version(self, signed_in, draft):
        url = reverse("desk:edit", args=[draft.pk])
        answer = signed_in.post(url, desk_post_data(draft, "autosave", intro_md="Typed."), **JSON)
        assert answer.status_code == 200
        assert answer.json()["version"] == services.review_version(draft)
        assert answer.json()["state"] == "Draft"

    def test_a_save_from_a_stale_page_gets_409_and_writes_nothing(self, signed_in, draft):
        url = reverse("desk:edit", args=[draft.pk])
        stale = desk_post_data(draft, "autosave", intro_md="From tab two.")
        signed_in.post(url, desk_post_data(draft, "autosave", intro_md="From tab one."), **JSON)
        answer = signed_in.post(url, stale, **JSON)
        assert answer.status_code == 409
        assert answer.json()["message"] == services.STALE
        page = signed_in.post(url, {**stale, "action": "save"})
        assert (
            page.status_code == 409 and "Your text is still in the fields" in page.content.decode()
        )
        assert Review.objects.get(pk=draft.pk).intro_md == "From tab one."

    def test_an_unknown_anime_is_named_and_nothing_is_written(self, signed_in, draft):
        url = reverse("desk:edit", args=[draft.pk])
        data = desk_post_data(draft, "autosave", anime="#999999", intro_md="Changed.")
        answer = signed_in.post(url, data, **JSON)
        assert answer.status_code == 400
        assert answer.json()["errors"]["anime"] == ["no anime with id #999999"]
        assert Review.objects.get(pk=draft.pk).intro_md == "Hello."

    def test_a_row_with_text_needs_a_name(self, signed_in, draft):
        data = desk_post_data(draft, "autosave", **{"themes-0-text_md": "Grief."})
        answer = signed_in.post(reverse("desk:edit", args=[draft.pk]), data, **JSON)
        assert answer.json()["errors"]["themes-0-name"]

    def test_rows_and_the_catalog_character_are_saved(self, signed_in, draft):
        anime = AnimeFactory(title="Koe no Katachi")
        shouko = CharacterFactory(anime=anime, name="Shouko Nishimiya")
        data = desk_post_data(draft, anime=f"#{anime.pk}", **{
            "characters-0-name": "Shouko", "characters-0-character": shouko.pk,
            "characters-0-text_md": "Kind.", "audience-0-name": "Fans of drama",
            "audience-0-comparable": f"#{anime.pk} Koe no Katachi",
        })  # fmt: skip
        assert signed_in.post(reverse("desk:edit", args=[draft.pk]), data).status_code == 302
        assert draft.characters.get().character == shouko
        assert draft.audience.get().comparable_titles.get().anime == anime

    def test_publishing_from_the_page(self, signed_in, draft):
        signed_in.post(reverse("desk:edit", args=[draft.pk]), desk_post_data(draft, "publish"))
        draft.refresh_from_db()
        assert draft.is_public

    def test_scheduling_needs_a_time(self, signed_in, draft):
        page = signed_in.post(reverse("desk:edit", args=[draft.pk]),
                              desk_post_data(draft, "schedule"))  # fmt: skip
        assert "Pick the time to publish at" in page.content.decode()
        assert Review.objects.get(pk=draft.pk).status == ReviewStatus.DRAFT

    def test_published_reviews_are_not_autosaved(self, signed_in, author):
        review = ReviewFactory(authors=[author])
        answer = signed_in.post(reverse("desk:edit", args=[review.pk]),
                                desk_post_data(review, "autosave"), **JSON)  # fmt: skip
        assert answer.status_code == 400

    def test_an_empty_post_is_an_error_page_not_a_wipe(self, signed_in, draft):
        response = signed_in.post(reverse("desk:edit", args=[draft.pk]))
        assert response.status_code == 200 and "Not saved" in response.content.decode()
        assert Review.objects.get(pk=draft.pk).intro_md == "Hello."


class TestPreview:
    def test_renders_the_posted_text_with_the_review_pages_pipeline(self, signed_in, draft):
        data = desk_post_data(draft, intro_md="::: spoiler Ending\nShe lives.\n:::")
        html = signed_in.post(reverse("desk:preview", args=[draft.pk]), data).content.decode()
        assert '<details class="spoiler"><summary>Ending</summary>' in html
        assert 'class="review"' in html  # reviews/_article.html
        assert Review.objects.get(pk=draft.pk).intro_md == "Hello."

    def test_get_previews_the_saved_review(self, signed_in, draft):
        html = signed_in.get(reverse("desk:preview", args=[draft.pk])).content.decode()
        assert "<p>Hello.</p>" in html


class TestPickers:
    def test_anime_lookup_puts_the_exact_title_first_with_its_poster(self, signed_in):
        wanted = AnimeFactory(title="K-On!", thumbnail="https://img.example/kon.jpg")
        AnimeTitleFactory(anime=wanted, text="K-On!")
        AnimeFactory(title="K-On! Movie")
        answer = signed_in.get(reverse("desk:anime-lookup"), {"q": "K-On!"}).json()
        first = answer["results"][0]
        # Never the third party's picture: our stored copy, or (none here) the generated cover.
        assert first["id"] == wanted.pk and first["poster"].startswith("data:image/svg+xml,")
        assert first["reference"] == f"#{wanted.pk} K-On!"

    def test_characters_of_an_anime(self, signed_in):
        anime = AnimeFactory()
        CharacterFactory(anime=anime, name="Yui Hirasawa")
        answer = signed_in.get(reverse("desk:characters"), {"anime": anime.pk}).json()
        assert [c["name"] for c in answer["characters"]] == ["Yui Hirasawa"]

    def test_a_bad_anime_parameter_is_named(self, signed_in):
        answer = signed_in.get(reverse("desk:characters"), {"anime": "abc"})
        assert answer.status_code == 400 and "anime" in answer.json()["message"]

    def test_suggesting_without_an_anime_says_what_to_do(self, signed_in, draft):
        draft.anime = None
        draft.save()
        answer = signed_in.get(reverse("desk:suggest", args=[draft.pk]))
        assert answer.status_code == 400 and "Choose the anime" in answer.json()["message"]


class TestRevisionPages:
    def test_a_revision_shows_its_differences_and_restores(self, signed_in, draft):
        url = reverse("desk:edit", args=[draft.pk])
        signed_in.post(url, desk_post_data(draft, intro_md="Old words."))
        revision = draft.revisions.get()
        revision.created_at = revision.created_at.replace(year=2020)
        revision.save()
        signed_in.post(url, desk_post_data(draft, intro_md="New words."))
        page = signed_in.get(reverse("desk:revision", args=[draft.pk, revision.pk]))
        html = page.content.decode()
        assert "Old words." in html and "New words." in html and "<del>" in html
        signed_in.post(reverse("desk:revision", args=[draft.pk, revision.pk]))
        assert Review.objects.get(pk=draft.pk).intro_md == "Old words."
        listing = signed_in.get(reverse("desk:revisions", args=[draft.pk])).content.decode()
        assert "Restored" in listing


class TestSuggestWithoutScript:
    def test_the_button_saves_the_suggested_profiles_to_edit(self, signed_in, draft, suggester):
        response = signed_in.post(
            reverse("desk:edit", args=[draft.pk]), desk_post_data(draft, "suggest"), follow=True
        )
        assert "Suggested profiles added" in response.content.decode()
        assert list(draft.audience.values_list("name", flat=True)) == [
            "Fans of music",
            "Fans of drama",
        ]

    def test_nothing_new_to_suggest_is_said(self, signed_in, draft, suggester):
        data = desk_post_data(
            draft, "suggest", **{"audience-0-name": "Fans of music", "audience-1-name": "x"}
        )
        data.update({"audience-TOTAL_FORMS": "2", "audience-1-name": "Fans of drama"})
        response = signed_in.post(reverse("desk:edit", args=[draft.pk]), data, follow=True)
        assert "Nothing new to suggest" in response.content.decode()
