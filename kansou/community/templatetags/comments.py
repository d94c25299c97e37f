"""``{% comment_thread review %}``: the comments under a review and the form to add one.

A template tag keeps the reviews app's view untouched: the thread is read here, in three queries
whatever its length (``comments.review_comments``), when the review page renders: the latest
``LATEST_THREADS`` conversations, with a link to the whole thread (``?comments=all``). Readers
who are not signed in all see the same thread (no forms, no tokens), so theirs is rendered once
per page generation — any comment, edit or moderation moves it on — and kept in the shared
cache.
"""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from kansou.community.comments import services as comment_services
from kansou.community.comments.services import review_comments
from kansou.community.models import COMMENT_MAX_LENGTH, COMMENT_MIN_LENGTH
from kansou.community.moderation import ban_message, is_moderator
from kansou.core.pagecache import current_generation

register = template.Library()
THREAD_TEMPLATE = "community/comments/_thread.html"


@register.simple_tag(takes_context=True)
def comment_thread(context, review) -> SafeString:
    request = context["request"]
    seconds = settings.KANSOU_FRAGMENT_CACHE_SECONDS
    if request.user.is_authenticated or seconds <= 0:
        return _render(context, review)
    key = f"kansou:thread:{current_generation()}:{review.pk}:{request.path}:{_whole(request)}"
    html = cache.get(key)
    if html is None:
        html = _render(context, review)
        cache.set(key, str(html), seconds)
    return mark_safe(html)  # noqa: S308 (rendered by Django's autoescaping template above)


def _whole(request) -> bool:
    """Whether the page asks for the whole thread (``?comments=all``), not the latest part."""
    return request.GET.get("comments") == "all"


def _latest(request) -> int | None:
    """How many conversations to show: all of them, or the latest ``LATEST_THREADS``."""
    return None if _whole(request) else comment_services.LATEST_THREADS


def _render(context, review) -> SafeString:
    request = context["request"]
    user = request.user
    refusal = ban_message(user) if user.is_authenticated else ""
    public = review.is_public
    data = {
        "review": review,
        "thread": review_comments(review=review, viewer=user, latest=_latest(request)),
        "user": user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "can_post": user.is_authenticated and public and not refusal,
        "refusal": refusal or ("" if public else "Comments open when the review is published."),
        "is_moderator": is_moderator(user),
        "min_length": COMMENT_MIN_LENGTH,
        "max_length": COMMENT_MAX_LENGTH,
    }
    return mark_safe(render_to_string(THREAD_TEMPLATE, data))  # noqa: S308
