"""factory-boy factories for reviews.

``ReviewFactory`` makes a *published* review by default, public since an hour ago; use
``ReviewFactory.draft()`` / ``ReviewFactory.scheduled()`` for the others. ``authors=[...]`` sets
the byline in order (one new user by default; ``authors=[]`` for none) and ``labels=[...]`` the
labels.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from kansou.reviews.models import Label, Review, ReviewAuthor, ReviewStatus
from tests.catalog.factories import AnimeFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"reviewer{n}")
    first_name = ""
    last_name = ""


class LabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Label
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Label {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name, allow_unicode=True))


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review
        skip_postgeneration_save = True

    anime = factory.SubFactory(AnimeFactory)
    title = factory.Sequence(lambda n: f"Review {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    status = ReviewStatus.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    summary = factory.LazyAttribute(lambda o: f"What I thought of {o.title}.")
    intro_md = "An introduction."
    intro_html = "<p>An introduction.</p>"

    @classmethod
    def draft(cls, **kwargs) -> Review:
        return cls(status=ReviewStatus.DRAFT, publish_at=None, **kwargs)

    @classmethod
    def scheduled(cls, **kwargs) -> Review:
        kwargs.setdefault("publish_at", timezone.now() + dt.timedelta(days=3))
        return cls(status=ReviewStatus.SCHEDULED, **kwargs)

    @factory.post_generation
    def authors(obj, create, extracted, **kwargs):  # noqa: N805 (factory-boy convention)
        if not create:
            return
        users = [UserFactory()] if extracted is None else extracted
        for position, user in enumerate(users):
            ReviewAuthor.objects.create(review=obj, user=user, position=position)

    @factory.post_generation
    def labels(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.labels.set(extracted)
