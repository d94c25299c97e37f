"""Blog images come along when their files can be fetched, and stay at their old address, with
a warning, when they cannot; the post imports either way. A local HTTP server plays the old
blog's image host."""

from __future__ import annotations

from html import escape

import pytest
from django.core.files.storage import default_storage

from kansou.catalog.images.fetching import Fetcher
from kansou.reviews.blog_import import blog_import
from kansou.reviews.images.models import ReviewImage
from kansou.reviews.importers import blogger, wordpress
from kansou.reviews.models import Review
from tests.catalog.images.imageserver import image_bytes, serve
from tests.reviews.factories import UserFactory
from tests.reviews.importers.conftest import FILES

pytestmark = pytest.mark.django_db


@pytest.fixture
def host(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    state, server = serve()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def author(db):
    return UserFactory(username="ayaka")


def _wordpress(body: str):
    xml = (FILES / "wordpress.xml").read_text(encoding="utf-8")
    xml = xml.replace("<p>Satoru goes back to 1988 to save a classmate.</p>", body, 1)
    return wordpress.read(xml.encode(), source="wordpress-images.xml")


def _blogger(body: str):
    xml = (FILES / "blogger-classic.xml").read_text(encoding="utf-8")
    old = "I did not expect a film about a school bully to stay with me for a week."
    xml = xml.replace(old, escape(body, quote=False) + old, 1)
    return blogger.read(xml.encode(), source="blogger-images.xml")


def _fetcher() -> Fetcher:
    return Fetcher(rate=0)  # a local server: no need to wait


def test_a_reachable_wordpress_image_is_stored_and_the_review_points_at_the_copy(
    catalog, author, host
):
    url = host.add("/wp-content/uploads/satoru.jpg", image_bytes(1200, 675))
    export = _wordpress(f'<p><img src="{url}" alt="Satoru in 1988" width="1200"></p>')
    report = blog_import(export=export, author=author, image_fetcher=_fetcher())
    review = Review.objects.get(title="Thoughts on Erased (spoilers)")
    image = ReviewImage.objects.get(review=review)
    assert (image.alt, image.source_url, image.width) == ("Satoru in 1988", url, 1200)
    assert default_storage.exists(image.name)
    assert f'src="{image.url}"' in review.intro_html and url not in review.intro_html
    assert "srcset=" in review.intro_html and 'loading="lazy"' in review.intro_html
    assert not [o for o in report.outcomes if o.warnings]


def test_a_blogger_image_and_its_link_to_itself_both_point_at_the_copy(catalog, author, host):
    url = host.add("/s1600/shouko.png", image_bytes(800, 600, "PNG"), content_type="image/png")
    body = f'<div><a href="{url}"><img src="{url}" alt="Shouko"></a></div>'
    blog_import(export=_blogger(body), author=author, image_fetcher=_fetcher())
    image = ReviewImage.objects.get()
    html = image.review.intro_html
    assert f'href="{image.url}"' in html and f'src="{image.url}"' in html and url not in html


def test_an_unreachable_image_keeps_its_old_url_and_the_post_imports_with_a_warning(
    catalog, author, host
):
    gone, not_image = (
        host.url("/gone.jpg"),
        host.add("/page.jpg", b"<html>", content_type="text/html"),
    )
    body = f'<p><img src="{gone}" alt="Gone"><img src="{not_image}" alt="Not one"></p>'
    report = blog_import(export=_wordpress(body), author=author, image_fetcher=_fetcher())
    [outcome] = [o for o in report.outcomes if o.warnings]
    assert outcome.action == "created"
    assert outcome.warnings == [
        f"image {gone} kept at its old address (HTTP 404 Not Found)",
        f"image {not_image} kept at its old address "
        "(The file is not an image (JPEG, PNG, WebP or GIF).)",
    ]
    assert f'src="{gone}"' in outcome.review.intro_html
    assert not ReviewImage.objects.exists()


def test_an_image_without_alt_text_gets_one_and_a_warning(catalog, author, host):
    url = host.add("/plain.jpg", image_bytes(300, 200))
    report = blog_import(export=_wordpress(f'<p><img src="{url}"></p>'), author=author,
                         image_fetcher=_fetcher())  # fmt: skip
    assert ReviewImage.objects.get().alt == "Image from “Thoughts on Erased (spoilers)”"
    [outcome] = [o for o in report.outcomes if o.warnings]
    assert outcome.warnings == [f"image {url} had no alt text: describe it in the review"]


def test_a_reimport_fetches_nothing_again(catalog, author, host):
    url = host.add("/once.jpg", image_bytes(300, 200))
    export = _wordpress(f'<p><img src="{url}" alt="Once"></p>')
    blog_import(export=export, author=author, image_fetcher=_fetcher())
    blog_import(export=export, author=author, image_fetcher=_fetcher())
    assert host.hits("/once.jpg") == 1 and ReviewImage.objects.count() == 1


def test_without_a_fetcher_images_are_left_as_they_were(catalog, author, host):
    url = host.add("/left.jpg", image_bytes(300, 200))
    blog_import(export=_wordpress(f'<p><img src="{url}" alt="Left"></p>'), author=author)
    assert host.requests == [] and not ReviewImage.objects.exists()
    assert url in Review.objects.get(title="Thoughts on Erased (spoilers)").intro_html
