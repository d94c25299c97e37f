"""factory-boy factories for accounts and lists."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from kansou.community.models import AnimeList, ListEntry, ListStatus, Privacy
from tests.catalog.factories import AnimeFactory, ExternalIdFactory

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(PASSWORD)


class AnimeListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnimeList
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    privacy = Privacy.PUBLIC


class ListEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListEntry

    anime_list = factory.SubFactory(AnimeListFactory)
    anime = factory.SubFactory(AnimeFactory)
    status = ListStatus.COMPLETED
    score = 8
    episodes_watched = 12


def mal_anime(mal_id: int, **fields):
    """A catalog entry with a MyAnimeList id."""
    anime = AnimeFactory(**fields)
    ExternalIdFactory(anime=anime, external_id=str(mal_id))
    return anime
