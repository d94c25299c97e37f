"""Template access to ``kansou.reviews.seo``: ``{% review_seo review as seo %}`` and
``{% canonical_url %}`` (the page's canonical URL, keeping only ``?page=N``)."""

from __future__ import annotations

from django import template

from kansou.reviews import seo as builders

register = template.Library()


@register.simple_tag(takes_context=True)
def review_seo(context, review=None) -> dict:
    """Tags for a public review: the one given, else ``review`` or ``page.review`` in context.

    Empty for drafts and scheduled reviews, which only their authors can open.
    """
    if review is None:
        review = context.get("review") or getattr(context.get("page"), "review", None)
    if review is None or not review.is_public:
        return {}
    request = context.get("request")
    page = context.get("page")
    about = getattr(page, "about", None) if getattr(page, "review", None) == review else None
    return {
        "canonical": builders.absolute_url(review.get_absolute_url(), request),
        "description": builders.review_description(review),
        "open_graph": builders.open_graph(review, request),
        "twitter": builders.twitter_card(review, request),
        "json_ld": builders.json_ld_script(builders.review_json_ld(review, request, about)),
    }


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    return builders.canonical_url(context["request"])
