"""Factories and fixtures for comments: readers old enough to be trusted, a moderator, a review.

``CommentFactory`` makes an approved comment by a new reader on a new published review.
"""

from __future__ import annotations

import datetime as dt

import factory
import pytest
from django.utils import timezone

from kansou.community import roles
from kansou.community.models import Comment, CommentStatus
from kansou.community.services import user_grant_role
from tests.community.factories import UserFactory
from tests.reviews.factories import ReviewFactory


def old_date():
    return timezone.now() - dt.timedelta(days=30)


class ReaderFactory(UserFactory):
    """A reader whose account is a month old."""

    date_joined = factory.LazyFunction(old_date)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    review = factory.SubFactory(ReviewFactory)
    author = factory.SubFactory(ReaderFactory)
    body_md = "A fine review."
    body_html = "<p>A fine review.</p>"
    status = CommentStatus.APPROVED


def moderator_user(**fields):
    user = ReaderFactory(**fields)
    user_grant_role(user=user, role=roles.MODERATOR)
    return user


@pytest.fixture
def review(db):
    return ReviewFactory()


@pytest.fixture
def reader(db):
    """A reader trusted under moderation "first": old account with an approved comment."""
    user = ReaderFactory()
    CommentFactory(author=user)
    return user


@pytest.fixture
def newcomer(db):
    """A reader with a brand-new account and no comment yet."""
    return UserFactory()


@pytest.fixture
def moderator(db):
    return moderator_user()
