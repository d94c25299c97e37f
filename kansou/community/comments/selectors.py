"""Reads for posting a comment.

:func:`review_to_comment_on` is the one read of a comment POST besides the session's user, so
it is one hand-written statement. Built with the ORM (``published()`` plus two ``Exists``
subqueries) the same query cost 1.1 ms of CPU per post, a fifth of the request
(``benchmarks/profile_comment.py``); as SQL it costs about 0.1 ms. Its conditions are
``Review.objects.published()``'s and ``Ban.objects.active()``'s, written once below from the
models' own table and column names; ``tests/community/comments/test_selectors.py`` pins that they
agree with those querysets for every status, publish time and ban end.
"""

from __future__ import annotations

import datetime as dt

from django.db import connections, router
from django.utils import timezone

from kansou.community.models import Ban
from kansou.reviews.models import PUBLIC_STATUSES, Review, ReviewAuthor

_STATEMENTS: dict[str, str] = {}


def _statement(connection) -> str:
    """The SELECT for the connection's database (quoting differs), built once per vendor;
    parameters in this order: author's id (byline), author's id (ban), now (ban), slug, each
    public status, now (publish)."""
    if connection.vendor in _STATEMENTS:
        return _STATEMENTS[connection.vendor]
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    review, byline, ban = (quote(m._meta.db_table) for m in (Review, ReviewAuthor, Ban))
    fields = ", ".join(f"r.{column(Review, n)}" for n in ("id", "slug", "status", "publish_at"))
    statuses = ", ".join(["%s"] * len(PUBLIC_STATUSES))
    review_id, until = column(Review, "id"), column(Ban, "until")
    is_reviewer = (
        f"EXISTS (SELECT 1 FROM {byline} a WHERE a.{column(ReviewAuthor, 'review')} = r.{review_id}"
        f" AND a.{column(ReviewAuthor, 'user')} = %s)"
    )
    banned = (
        f"EXISTS (SELECT 1 FROM {ban} b WHERE b.{column(Ban, 'user')} = %s"
        f" AND (b.{until} IS NULL OR b.{until} > %s))"
    )
    _STATEMENTS[connection.vendor] = (
        f"SELECT {fields}, {is_reviewer} AS author_is_reviewer, {banned} AS author_banned"
        f" FROM {review} r WHERE r.{column(Review, 'slug')} = %s"
        f" AND r.{column(Review, 'status')} IN ({statuses})"
        f" AND r.{column(Review, 'publish_at')} <= %s"
    )
    return _STATEMENTS[connection.vendor]


def review_to_comment_on(slug: str, *, user_id: int, now: dt.datetime | None = None):
    """The published review ``slug`` (only its id, slug, status and publish time loaded, the
    rest deferred) with ``author_is_reviewer`` (the user is on its byline: the "Reviewer" badge)
    and ``author_banned`` (a ban of the user is in force) as booleans; None when no published
    review has this slug."""
    alias = router.db_for_read(Review)
    connection = connections[alias]
    moment = connection.ops.adapt_datetimefield_value(now or timezone.now())
    params = [user_id, user_id, moment, slug, *PUBLIC_STATUSES, moment]
    review = next(iter(Review.objects.using(alias).raw(_statement(connection), params)), None)
    if review is not None:
        review.author_is_reviewer = bool(review.author_is_reviewer)
        review.author_banned = bool(review.author_banned)
    return review
