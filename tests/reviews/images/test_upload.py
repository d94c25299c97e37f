"""Uploading an image into a review: its authors and editors only, alt text required, bad
files refused with a reason, JSON for scripts and a page without JavaScript."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kansou.community import roles
from kansou.community.services import user_grant_role
from kansou.reviews.images.models import ReviewImage
from kansou.reviews.images.services import ALT_REQUIRED
from tests.catalog.images.imageserver import image_bytes
from tests.community.comment_factories import ReaderFactory
from tests.reviews.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def _user(role: str | None, **fields):
    user = UserFactory(is_staff=role in (roles.AUTHOR, roles.EDITOR), **fields)
    if role:
        user_grant_role(user=user, role=role)
    return user


@pytest.fixture
def draft():
    return ReviewFactory.draft(authors=[_user(roles.AUTHOR, username="byline")], title="My draft")


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _upload(client, review, *, data=None, alt="Shouko at the bridge", name="bridge.png", **extra):
    image = SimpleUploadedFile(name, data if data is not None else image_bytes(1200, 800, "PNG"))
    url = reverse("reviews:image-upload", args=[review.slug])
    return client.post(url, {"image": image, "alt": alt}, **extra)


ALLOWED = {"byline": True, "editor": True, "other_author": False, "reader": False,
           "moderator": False, "anonymous": False}  # fmt: skip


@pytest.mark.parametrize("role", list(ALLOWED))
def test_only_the_reviews_authors_and_editors_reach_the_upload_on_get_and_post(draft, role):
    users = {
        "byline": draft.review_authors.get().user,
        "editor": _user(roles.EDITOR),
        "other_author": _user(roles.AUTHOR),
        "reader": ReaderFactory(),
        "moderator": _user(roles.MODERATOR),
        "anonymous": None,
    }
    client = _client(users[role])
    got = client.get(reverse("reviews:image-upload", args=[draft.slug]))
    posted = _upload(client, draft, **JSON)
    if ALLOWED[role]:
        assert (got.status_code, posted.status_code) == (200, 201)
    else:
        assert (got.status_code, posted.status_code) == (404, 404)
        assert not ReviewImage.objects.exists()


def test_an_upload_returns_the_markdown_to_insert_and_stores_its_sizes(draft):
    response = _upload(_client(draft.review_authors.get().user), draft, **JSON)
    body = response.json()
    image = ReviewImage.objects.get()
    assert body["markdown"] == f"![Shouko at the bridge]({image.url})"
    assert (body["width"], body["height"]) == (1200, 800)
    assert image.url == f"/media/reviews/{image.digest}-1200x800-960w.webp"
    for width in (480, 960, 1200):
        assert default_storage.exists(f"reviews/{image.digest}-1200x800-{width}w.webp")
    assert default_storage.exists(image.name) and image.name.endswith(".png")


def test_the_file_as_uploaded_is_kept_but_never_served_only_its_renditions(draft):
    _upload(_client(draft.review_authors.get().user), draft, **JSON)
    image = ReviewImage.objects.get()
    anyone = Client()
    assert anyone.get(f"/media/{image.name}").status_code == 404  # camera metadata stays home
    assert anyone.get(image.url).status_code == 200


def test_the_alt_text_is_required(draft):
    response = _upload(_client(draft.review_authors.get().user), draft, alt="  ", **JSON)
    assert response.status_code == 400
    assert response.json()["errors"]["alt"][0]["message"] == ALT_REQUIRED
    assert not ReviewImage.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"just text", "notes.png", "The file is not an image (JPEG, PNG, WebP or GIF)."),
        (b"", "empty.png", "The file is empty."),
        (image_bytes(30, 30, "TIFF"), "scan.tiff", "TIFF images are not accepted"),
    ],
)
def test_a_bad_file_gets_a_clear_form_error_on_the_page(draft, data, name, message):
    response = _upload(_client(draft.review_authors.get().user), draft, data=data, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ReviewImage.objects.exists()


def test_without_javascript_the_page_gives_the_markdown_to_paste(draft):
    client = _client(draft.review_authors.get().user)
    response = _upload(client, draft)
    image = ReviewImage.objects.get()
    assert response.status_code == 201
    assert image.markdown in response.content.decode()
    listed = client.get(reverse("reviews:image-upload", args=[draft.slug])).content.decode()
    assert image.markdown in listed


def test_the_same_file_twice_is_one_image_with_the_newer_alt_text(draft):
    client = _client(draft.review_authors.get().user)
    _upload(client, draft, alt="First", **JSON)
    _upload(client, draft, alt="Second", **JSON)
    assert list(ReviewImage.objects.values_list("alt", flat=True)) == ["Second"]


def test_an_animated_gif_is_kept_as_it_is(draft):
    client = _client(draft.review_authors.get().user)
    body = _upload(client, draft, data=image_bytes(200, 100, "GIF"), name="a.gif", **JSON).json()
    assert body["markdown"].endswith("-200x100.gif)")
