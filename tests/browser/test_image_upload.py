"""The upload partial in a browser: a file chosen or dropped waits for its alt text, then its
Markdown lands at the cursor of the textarea it belongs to; the surrounding form is untouched."""

from __future__ import annotations

import pytest

from kansou.reviews.images.models import ReviewImage
from tests.catalog.images.imageserver import image_bytes
from tests.reviews.factories import ReviewFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.reviews.images.desk_urls"),
]


@pytest.fixture
def desk(page, live_server, client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    author = UserFactory(username="writer")
    review = ReviewFactory.draft(authors=[author], title="Drafting")
    client.force_login(author)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/test-desk/{review.slug}/")
    return page


def test_a_chosen_file_needs_alt_text_then_is_inserted_at_the_cursor(desk, tmp_path):
    intro = desk.locator("#intro")
    intro.click()
    intro.evaluate("t => t.setSelectionRange(7, 7)")  # after "Before."
    (tmp_path / "bridge.png").write_bytes(image_bytes(1200, 800, "PNG"))
    desk.locator("[data-image-file]").set_input_files(str(tmp_path / "bridge.png"))
    desk.locator("[data-image-send]").click()
    assert "Alt text is required" in desk.locator("[data-image-status]").inner_text()
    desk.locator("[data-image-alt]").fill("The bridge at dusk")
    desk.locator("[data-image-alt]").press("Enter")  # uploads; never submits the desk's form
    desk.locator("[data-image-status]").filter(has_text="Inserted").wait_for()
    image = ReviewImage.objects.get()
    assert intro.input_value() == f"Before.\n\n![The bridge at dusk]({image.url})\n\n After."
    assert desk.url.endswith(f"/test-desk/{image.review.slug}/") and desk.errors == []


def test_an_image_dropped_on_a_textarea_goes_into_that_one(desk):
    data = list(image_bytes(300, 200, "JPEG"))
    desk.evaluate(
        """bytes => {
            const file = new File([new Uint8Array(bytes)], "drop.jpg", {type: "image/jpeg"});
            const transfer = new DataTransfer();
            transfer.items.add(file);
            const target = document.querySelector("#final");
            const event = (type) => new DragEvent(type, {dataTransfer: transfer, bubbles: true});
            target.dispatchEvent(event("dragover"));
            target.dispatchEvent(event("drop"));
        }""",
        data,
    )
    assert desk.locator("[data-image-name]").inner_text() == "drop.jpg"
    desk.locator("[data-image-alt]").fill("Dropped")
    desk.locator("[data-image-send]").click()
    desk.locator("[data-image-status]").filter(has_text="Inserted").wait_for()
    assert desk.locator("#final").input_value() == f"![Dropped]({ReviewImage.objects.get().url})"
    assert desk.locator("#intro").input_value() == "Before. After."


def test_a_file_the_server_refuses_shows_its_reason(desk, tmp_path):
    (tmp_path / "fake.png").write_bytes(b"not an image at all")
    desk.locator("[data-image-file]").set_input_files(str(tmp_path / "fake.png"))
    desk.locator("[data-image-alt]").fill("Fake")
    desk.locator("[data-image-send]").click()
    status = desk.locator("[data-image-status]")
    status.filter(has_text="not an image").wait_for()
    assert not ReviewImage.objects.exists()
