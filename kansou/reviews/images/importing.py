"""A blog post's images brought in: fetched before the post's transaction (a slow image host
never holds the database), stored, and recorded once the review exists.

An image that cannot be fetched or is not an image keeps its old URL, and the post's import
reports a warning naming it and why; the post still imports. An image without alt text gets
one naming the post (alt text is required here) and a warning asking the author to describe it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kansou.catalog.images.fetching import Fetcher, FetchError
from kansou.catalog.images.pictures import ImageProblem, Picture
from kansou.reviews.images.services import picture_fetch, picture_url, review_image_add
from kansou.reviews.importers.images import image_sources, rewrite_sources
from kansou.reviews.models import Review


@dataclass
class PostImages:
    moved: dict[str, str] = field(default_factory=dict)  # old URL -> our URL
    pictures: list[tuple[str, Picture, str]] = field(default_factory=list)  # old URL, file, alt
    warnings: list[str] = field(default_factory=list)

    def rewrite(self, post_html: str) -> str:
        return rewrite_sources(post_html, self.moved)

    def record(self, review: Review) -> None:
        """The review's ``ReviewImage`` rows (call inside the post's transaction)."""
        for url, picture, alt in self.pictures:
            review_image_add(review=review, picture=picture, alt=alt, source_url=url[:1000])


def post_images_fetch(*, post_html: str, title: str, fetcher: Fetcher) -> PostImages:
    found = PostImages()
    for image in image_sources(post_html):
        try:
            picture = picture_fetch(url=image.url, fetcher=fetcher)
        except (FetchError, ImageProblem) as exc:
            reason = str(exc).removeprefix(f"{image.url}: ")
            found.warnings.append(f"image {image.url} kept at its old address ({reason})")
            continue
        alt = image.alt
        if not alt:
            alt = f"Image from “{title}”"
            found.warnings.append(f"image {image.url} had no alt text: describe it in the review")
        found.moved[image.url] = picture_url(picture)
        found.pictures.append((image.url, picture, alt[:300]))
    return found
