"""Factories and fixtures for recommendation pairs (``kansou.discovery.pairs``).

Test modules import the fixtures by their function names (``reader_fixture``…); tests ask for
them by fixture name (``reader``), so the import does not shadow the argument.

``PairFactory`` makes an approved reader's pair of two new anime, smaller id first whatever
order they are given in.
"""

from __future__ import annotations

import factory
import pytest

from kansou.community.models import CommentStatus
from kansou.discovery.pairs.models import AnimePair, PairKind
from tests.catalog.factories import AnimeFactory
from tests.community.comment_factories import CommentFactory, ReaderFactory, moderator_user
from tests.community.factories import UserFactory

PITCH = "The same quiet melancholy, and music that stays with you."


class PairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnimePair

    anime_a = factory.SubFactory(AnimeFactory)
    anime_b = factory.SubFactory(AnimeFactory)
    kind = PairKind.COMMUNITY
    user = factory.SubFactory(ReaderFactory)
    pitch = PITCH
    status = CommentStatus.APPROVED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs["anime_a"].pk > kwargs["anime_b"].pk:
            kwargs["anime_a"], kwargs["anime_b"] = kwargs["anime_b"], kwargs["anime_a"]
        return super()._create(model_class, *args, **kwargs)


@pytest.fixture(autouse=True, name="fast_password_hashing")
def fast_password_hashing_fixture(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(name="two")
def two_fixture(db):
    """Two anime to pair, smaller id first."""
    return AnimeFactory(title="Mushishi"), AnimeFactory(title="Natsume Yuujinchou")


@pytest.fixture(name="reader")
def reader_fixture(db):
    """A reader trusted under moderation "first": old account with an approved comment."""
    user = ReaderFactory()
    CommentFactory(author=user)
    return user


@pytest.fixture(name="newcomer")
def newcomer_fixture(db):
    return UserFactory()


@pytest.fixture(name="moderator")
def moderator_fixture(db):
    return moderator_user()
