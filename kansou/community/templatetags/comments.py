"""``{% comment_thread review %}``: the comments under a review and the form to add one.

An inclusion tag keeps the reviews app's view untouched: the thread is read here, in one query
(``comments.review_comments``), when the review page renders.
"""

from django import template

from kansou.community.comments import review_comments
from kansou.community.models import COMMENT_MAX_LENGTH, COMMENT_MIN_LENGTH
from kansou.community.moderation import ban_message, is_moderator

register = template.Library()


@register.inclusion_tag("community/comments/_thread.html", takes_context=True)
def comment_thread(context, review) -> dict:
    user = context["request"].user
    refusal = ban_message(user) if user.is_authenticated else ""
    public = review.is_public
    return {
        "review": review,
        "thread": review_comments(review=review, viewer=user),
        "user": user,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "can_post": user.is_authenticated and public and not refusal,
        "refusal": refusal or ("" if public else "Comments open when the review is published."),
        "is_moderator": is_moderator(user),
        "min_length": COMMENT_MIN_LENGTH,
        "max_length": COMMENT_MAX_LENGTH,
    }
