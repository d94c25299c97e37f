"""factory-boy factories for the catalog, shaped like what the importer writes.

``AnimeFactory`` keeps ``imported`` consistent with the scalar fields and then applies
``local_overrides`` on top, exactly as ``Anime.apply_values`` does; it also creates the entry's
``main`` title row (pass ``main_title=False`` to skip it).
"""

from __future__ import annotations

import factory
from django.utils.text import slugify

from kansou.catalog.models import (
    SCALAR_FIELDS,
    Anime,
    AnimeCompany,
    AnimeTag,
    AnimeTitle,
    AnimeType,
    Character,
    Company,
    ExternalId,
    Origin,
    Person,
    Relation,
    Season,
    StaffCredit,
    Status,
    Tag,
)
from kansou.catalog.text import guess_language, normalize_title


class AnimeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Anime
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Anime {n}")
    kind = AnimeType.TV
    episodes = 12
    status = Status.FINISHED
    season = Season.SPRING
    year = 2016
    duration_seconds = 24 * 60
    score = 7.5
    synopsis = "An imported synopsis."
    picture = factory.Sequence(lambda n: f"https://cdn.example.org/anime/{n}/large.jpg")
    thumbnail = factory.Sequence(lambda n: f"https://cdn.example.org/anime/{n}/small.jpg")
    imported = factory.LazyAttribute(
        lambda o: {field: getattr(o, field) for field in SCALAR_FIELDS}
    )
    local_overrides = factory.LazyFunction(dict)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        anime = model_class(*args, **kwargs)
        anime.apply_values()
        anime.save()
        return anime

    @factory.post_generation
    def main_title(obj, create, extracted, **kwargs):  # noqa: N805 (factory-boy convention)
        if create and extracted is not False:
            AnimeTitleFactory(anime=obj, text=obj.imported["title"], kind=AnimeTitle.Kind.MAIN)


class AnimeTitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnimeTitle

    anime = factory.SubFactory(AnimeFactory, main_title=False)
    text = factory.Sequence(lambda n: f"Synonym {n}")
    normalized = factory.LazyAttribute(lambda o: normalize_title(o.text))
    kind = AnimeTitle.Kind.SYNONYM
    language = factory.LazyAttribute(lambda o: guess_language(o.text))
    origin = Origin.IMPORTED


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name, allow_unicode=True))


class AnimeTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnimeTag

    anime = factory.SubFactory(AnimeFactory)
    tag = factory.SubFactory(TagFactory)
    origin = Origin.IMPORTED


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Studio {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name, allow_unicode=True))


class AnimeCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnimeCompany

    anime = factory.SubFactory(AnimeFactory)
    company = factory.SubFactory(CompanyFactory)
    role = AnimeCompany.Role.STUDIO
    origin = Origin.IMPORTED


class ExternalIdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalId

    anime = factory.SubFactory(AnimeFactory)
    site = "myanimelist"
    external_id = factory.Sequence(lambda n: str(10000 + n))
    url = factory.LazyAttribute(lambda o: f"https://myanimelist.net/anime/{o.external_id}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    native_name = ""


class StaffCreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffCredit

    anime = factory.SubFactory(AnimeFactory)
    person = factory.SubFactory(PersonFactory)
    role = "Director"
    position = factory.Sequence(int)
    origin = Origin.LOCAL


class CharacterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Character

    anime = factory.SubFactory(AnimeFactory)
    name = factory.Sequence(lambda n: f"Character {n}")
    native_name = ""
    role = Character.Role.MAIN
    description = ""
    position = factory.Sequence(int)
    origin = Origin.LOCAL


class RelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relation

    anime = factory.SubFactory(AnimeFactory)
    target = None
    target_url = factory.Sequence(lambda n: f"https://myanimelist.net/anime/{90000 + n}")
    relation_type = Relation.Type.SEQUEL
    origin = Origin.IMPORTED
