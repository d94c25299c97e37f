"""The writing desk in Chromium, end to end: start a review, pick the anime, write, see the
preview, autosave, reload, publish; two tabs in conflict; restoring a revision; suggested
audiences; and the same page without JavaScript."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import Client

from kansou.community import roles
from kansou.community.services import user_grant_role
from kansou.discovery.training import models_train
from kansou.reviews.desk.revisions import COALESCE
from kansou.reviews.models import Review, Revision
from tests.catalog.factories import AnimeFactory, CharacterFactory
from tests.community.factories import UserFactory
from tests.discovery.recs_data import make_catalog, write_ratings
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db(transaction=True)

# A poster that needs no network: the site's CSP allows data: images.
POSTER = "data:image/svg+xml," + quote(
    '<svg xmlns="http://www.w3.org/2000/svg" width="46" height="65">'
    '<rect width="46" height="65" fill="#5b7fa6"/></svg>'
)


def _sign_in(page, live_server, username: str = "shouko"):
    user = UserFactory(username=username, is_staff=True)
    user_grant_role(user=user, role=roles.AUTHOR)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return user


def _frame(page):
    return page.frame_locator("iframe[data-desk-frame]")


def test_an_author_writes_previews_autosaves_reloads_and_publishes(page, live_server):
    author = _sign_in(page, live_server)
    koe = AnimeFactory(title="Koe no Katachi", thumbnail=POSTER, picture="")
    AnimeFactory(title="Koe de Oshigoto!", thumbnail="", picture="")
    CharacterFactory(anime=koe, name="Shouko Nishimiya")

    page.goto(f"{live_server.url}/write/")
    page.get_by_role("button", name="New review").click()
    page.get_by_role("heading", name="Untitled review", level=1).wait_for()

    page.get_by_label("Title", exact=True).fill("A Silent Voice")
    anime = page.get_by_role("combobox", name="Anime reviewed")
    anime.fill("koe no katachi")
    option = page.get_by_role("option").first
    option.wait_for()
    assert "Koe no Katachi" in option.inner_text()
    assert option.locator("img").count() == 1  # the poster
    option.click()
    assert anime.input_value() == f"#{koe.pk} Koe no Katachi"

    page.get_by_role("textbox", name="Introduction").fill("It **hurts**, and it heals.")
    _frame(page).locator("strong", has_text="hurts").wait_for()
    _frame(page).get_by_role("heading", name="About Koe no Katachi").wait_for()
    page.get_by_text(re.compile(r"^Saved at \d\d:\d\d:\d\d$")).wait_for()

    page.reload()
    assert (
        page.get_by_role("textbox", name="Introduction").input_value()
        == "It **hurts**, and it heals."
    )
    assert page.get_by_label("Title", exact=True).input_value() == "A Silent Voice"

    page.get_by_role("button", name="Phone (390 px)").click()
    assert page.locator("iframe[data-desk-frame]").bounding_box()["width"] == 390

    page.get_by_role("button", name="Publish now").click()
    page.get_by_text("Published.", exact=True).wait_for()
    review = Review.objects.get(review_authors__user=author)
    assert review.is_public and review.slug == "a-silent-voice"
    assert review.intro_html == "<p>It <strong>hurts</strong>, and it heals.</p>"
    assert page.errors == []


def test_a_save_from_a_second_tab_is_refused_with_a_message(page, live_server):
    author = _sign_in(page, live_server)
    review = ReviewFactory.draft(authors=[author], title="Two tabs", anime=None)
    url = f"{live_server.url}/write/{review.pk}/"
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)

    page.get_by_role("textbox", name="Introduction").fill("Written in the first tab.")
    page.get_by_text(re.compile(r"^Saved at ")).wait_for()
    other.get_by_role("textbox", name="Introduction").fill("Written in the second tab.")
    alert = other.get_by_role("alert").filter(has_text="changed somewhere else")
    alert.wait_for()
    assert alert.get_by_role("link", name="Reload the newest version").is_visible()
    assert Review.objects.get(pk=review.pk).intro_md == "Written in the first tab."

    other.get_by_role("link", name="Reload the newest version").click()
    assert (
        other.get_by_role("textbox", name="Introduction").input_value()
        == "Written in the first tab."
    )
    assert page.errors == []


def test_an_author_restores_an_earlier_revision(page, live_server):
    author = _sign_in(page, live_server)
    review = ReviewFactory.draft(authors=[author], title="Second thoughts", anime=None,
                                 intro_md="")  # fmt: skip
    page.goto(f"{live_server.url}/write/{review.pk}/")
    page.get_by_role("textbox", name="Introduction").fill("My first opinion.")
    page.get_by_text(re.compile(r"^Saved at ")).wait_for()
    Revision.objects.update(created_at=Revision.objects.get().created_at - COALESCE * 2)
    page.get_by_role("textbox", name="Introduction").fill("A better opinion.")
    page.get_by_text(re.compile(r"^Saved at ")).wait_for()

    page.get_by_role("link", name=re.compile(r"^Revisions")).click()
    page.get_by_role("link").filter(has_text=re.compile(r"\d\d:\d\d")).last.click()
    assert page.locator(".diff del", has_text="My first opinion.").is_visible()
    assert page.locator(".diff ins", has_text="A better opinion.").is_visible()
    page.get_by_role("button", name="Restore this revision").click()
    page.get_by_text(re.compile(r"^Restored the revision")).wait_for()
    assert page.get_by_role("textbox", name="Introduction").input_value() == "My first opinion."
    assert Review.objects.get(pk=review.pk).intro_md == "My first opinion."
    assert page.errors == []


def test_suggest_who_should_watch_fills_rows_the_author_edits(
    page, live_server, settings, tmp_path
):
    settings.KANSOU_MODELS_DIR = str(tmp_path / "models")
    catalog = make_catalog()
    models_train(ratings_csv=write_ratings(tmp_path / "ratings.csv"))
    author = _sign_in(page, live_server)
    review = ReviewFactory.draft(authors=[author], title="Suggested", anime=catalog[1])
    page.goto(f"{live_server.url}/write/{review.pk}/")

    page.get_by_role("button", name="Suggest who should watch").click()
    page.get_by_text(re.compile(r"^Added \d suggested profiles?: edit them below")).wait_for()
    who = page.get_by_role("textbox", name="Who").first
    assert who.input_value().startswith("For fans of ")
    assert page.get_by_role("textbox", name="Comparable titles").first.input_value().startswith("#")
    who.fill("Anyone who liked the manga")
    page.get_by_text(re.compile(r"^Saved at ")).wait_for()
    _frame(page).get_by_role("heading", name="Anyone who liked the manga").wait_for()
    names = list(review.audience.values_list("name", flat=True))
    assert names[0] == "Anyone who liked the manga" and len(names) >= 2


def test_without_script_the_desk_is_a_working_form(browser, live_server):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    author = _sign_in(page, live_server)
    review = ReviewFactory.draft(authors=[author], title="No script", anime=None)
    page.goto(f"{live_server.url}/write/{review.pk}/")
    page.get_by_role("textbox", name="Introduction").fill("Plain *form*.")
    page.get_by_role("button", name="Preview").click()
    _frame(page).locator("em", has_text="form").wait_for()
    assert Review.objects.get(pk=review.pk).intro_md != "Plain *form*."  # preview writes nothing
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Saved.", exact=True).wait_for()
    assert Review.objects.get(pk=review.pk).intro_md == "Plain *form*."
    context.close()


def test_an_author_uploads_an_image_that_the_preview_shows(page, live_server, settings, tmp_path):
    from kansou.reviews.images.models import ReviewImage
    from tests.catalog.images.imageserver import image_bytes

    settings.MEDIA_ROOT = str(tmp_path / "media")
    author = _sign_in(page, live_server)
    review = ReviewFactory.draft(authors=[author], title="With a picture", anime=None,
                                 intro_md="")  # fmt: skip
    page.goto(f"{live_server.url}/write/{review.pk}/")
    page.get_by_role("textbox", name="Introduction").click()
    (tmp_path / "bridge.png").write_bytes(image_bytes(1200, 800, "PNG"))
    page.locator("[data-image-file]").set_input_files(str(tmp_path / "bridge.png"))
    page.locator("[data-image-alt]").fill("The bridge at dusk")
    page.locator("[data-image-send]").click()
    page.locator("[data-image-status]").filter(has_text="Inserted").wait_for()

    image = ReviewImage.objects.get()
    intro = page.get_by_role("textbox", name="Introduction").input_value()
    assert f"![The bridge at dusk]({image.url})" in intro
    shown = _frame(page).get_by_role("img", name="The bridge at dusk")
    shown.wait_for()
    assert shown.get_attribute("srcset") and shown.get_attribute("loading") == "lazy"
    page.get_by_text(re.compile(r"^Saved at ")).wait_for()
    assert image.url in Review.objects.get(pk=review.pk).intro_md
    assert page.errors == []
