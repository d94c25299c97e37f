"""The review page's reader-independent parts, rendered once and kept in the shared cache.

Everything on a review page but the comment thread (and the header's log-in links) is the same
for every reader: the head's description, canonical and Open Graph/JSON-LD tags, and the article
with its about box, audience, sections and "you might also love". Those two fragments are kept in
the cache under the review's id, its last change and the site's *content generation* (which
review and catalog changes, imports and training runs move on — comments do not), so a signed-in
reader, whom the whole-page cache never serves, still gets them without ~20 queries and two
template renders, and a stream of new comments does not make every reader re-render them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.template.loader import render_to_string

from kansou.core.pagecache import content_generation
from kansou.reviews.models import Review, ReviewAuthor
from kansou.reviews.selectors import review_page


def review_fragments(*, request: HttpRequest, review: Review, share_url: str) -> dict[str, str]:
    """``{"meta": …, "article": …}`` HTML for ``review``, from the cache when it is fresh."""
    seconds = settings.KANSOU_FRAGMENT_CACHE_SECONDS
    key = (
        f"kansou:review:{content_generation()}:{review.pk}:"
        f"{review.updated_at.timestamp()}:{share_url}"
    )
    if seconds > 0 and (cached := cache.get(key)) is not None:
        return cached
    bylines = ReviewAuthor.objects.select_related("user").order_by("position", "pk")
    prefetch_related_objects([review], "anime", Prefetch("review_authors", queryset=bylines))
    context = {"page": review_page(review=review), "share_url": share_url}
    fragments = {
        "meta": render_to_string("reviews/_review_meta.html", context, request),
        "article": render_to_string("reviews/_article.html", context, request),
    }
    if seconds > 0:
        cache.set(key, fragments, seconds)
    return fragments
