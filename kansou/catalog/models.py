"""The anime catalog, shaped after AniList's public schema.

Imported values and local corrections live apart. Scalar fields on ``Anime`` hold the
*effective* value (so lists filter and sort on plain indexed columns); ``imported`` keeps what the
last import said and ``local_overrides`` what an author corrected, and the effective value is
always ``{**imported, **local_overrides}``. Rows for titles, tags, companies, staff, characters
and relations carry an ``origin``: imports replace only ``imported`` rows; ``local`` rows add and
``hidden`` rows mask an imported value, and both survive every re-import.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse

from kansou.catalog.images.stored import StoredPoster
from kansou.catalog.sites import site_label
from kansou.core.models import TimeStampedModel


class AnimeType(models.TextChoices):
    TV = "TV", "TV"
    MOVIE = "MOVIE", "Movie"
    OVA = "OVA", "OVA"
    ONA = "ONA", "ONA"
    SPECIAL = "SPECIAL", "Special"
    UNKNOWN = "UNKNOWN", "Unknown"


class Status(models.TextChoices):
    FINISHED = "FINISHED", "Finished"
    ONGOING = "ONGOING", "Airing"
    UPCOMING = "UPCOMING", "Upcoming"
    UNKNOWN = "UNKNOWN", "Unknown"


class Season(models.TextChoices):
    WINTER = "WINTER", "Winter"
    SPRING = "SPRING", "Spring"
    SUMMER = "SUMMER", "Summer"
    FALL = "FALL", "Fall"
    UNDEFINED = "UNDEFINED", "—"


class Origin(models.TextChoices):
    IMPORTED = "imported", "Imported"
    LOCAL = "local", "Local"
    HIDDEN = "hidden", "Hidden locally"


# Scalar fields an import sets and an author may correct.
SCALAR_FIELDS = (
    "title",
    "kind",
    "episodes",
    "status",
    "season",
    "year",
    "duration_seconds",
    "score",
    "synopsis",
    "picture",
    "thumbnail",
)


class AnimeQuerySet(models.QuerySet):
    def of_kind(self, *kinds: str) -> AnimeQuerySet:
        return self.filter(kind__in=kinds)

    def aired_between(self, start: int | None, end: int | None) -> AnimeQuerySet:
        qs = self
        if start is not None:
            qs = qs.filter(year__gte=start)
        if end is not None:
            qs = qs.filter(year__lte=end)
        return qs

    def tagged(self, tag_slug: str) -> AnimeQuerySet:
        """Anime showing this tag: imported or local, and not hidden locally."""
        shown = AnimeTag.objects.shown().filter(tag__slug=tag_slug)
        return self.filter(pk__in=shown.values("anime_id"))


class ShownQuerySet(models.QuerySet):
    """For rows an author can hide: ``MASK_KEY`` names the column a ``hidden`` row masks."""

    def shown(self):
        """Rows to display: imported or local, minus imported ones an author hid."""
        key = self.model.MASK_KEY
        hidden = self.model.objects.filter(
            origin=Origin.HIDDEN,
            anime_id=models.OuterRef("anime_id"),
            **{key: models.OuterRef(key)},
        )
        return self.exclude(origin=Origin.HIDDEN).exclude(models.Exists(hidden))


class Anime(TimeStampedModel):
    title = models.CharField(max_length=500, db_index=True)
    kind = models.CharField("type", max_length=10, choices=AnimeType, default=AnimeType.UNKNOWN)
    episodes = models.PositiveIntegerField(default=0, help_text="0 when unknown.")
    status = models.CharField(max_length=10, choices=Status, default=Status.UNKNOWN)
    season = models.CharField(max_length=10, choices=Season, default=Season.UNDEFINED)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Length of one episode, in seconds."
    )
    score = models.FloatField(null=True, blank=True, help_text="Mean score on 1–10.")
    synopsis = models.TextField(blank=True)
    picture = models.URLField(max_length=500, blank=True)
    thumbnail = models.URLField(max_length=500, blank=True)
    # The poster stored by `kansou catalog images` (kansou/catalog/images/stored.py), {} if none.
    poster = models.JSONField(default=dict, blank=True, editable=False)

    imported = models.JSONField(default=dict, blank=True, editable=False)
    local_overrides = models.JSONField(default=dict, blank=True)
    import_hash = models.CharField(max_length=40, blank=True, editable=False)

    objects = AnimeQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "anime"
        indexes = [
            models.Index(fields=["kind", "year"]),
            models.Index(fields=["year"]),
            models.Index(fields=["status"]),
            models.Index(fields=["-score"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:anime-detail", args=[self.pk])

    @property
    def season_label(self) -> str:
        if self.year is None:
            return ""
        if self.season == Season.UNDEFINED:
            return str(self.year)
        return f"{self.get_season_display()} {self.year}"

    @property
    def duration_minutes(self) -> int | None:
        if self.duration_seconds is None:
            return None
        return max(1, round(self.duration_seconds / 60))

    @property
    def stored_poster(self) -> StoredPoster | None:
        """The poster kept in our storage, or None (pages then show a generated cover)."""
        return StoredPoster.from_json(self.poster)

    @property
    def share_image(self) -> str:
        """The poster link previews and crawlers fetch: our stored copy (the JPEG about 640 px
        wide) when there is one, else the imported picture's URL; "" without either."""
        stored = self.stored_poster
        if stored is None:
            return self.picture
        return default_storage.url(stored.name(stored.fallback_width(640), "jpg"))

    def is_local(self, field: str) -> bool:
        """Whether the shown value of ``field`` is an author's correction."""
        return field in self.local_overrides

    def apply_values(self) -> None:
        """Set every scalar field to its effective value: the import, then local corrections."""
        effective = {**self.imported, **self.local_overrides}
        for field in SCALAR_FIELDS:
            if field in effective:
                setattr(self, field, effective[field])


class AnimeTitle(models.Model):
    class Kind(models.TextChoices):
        MAIN = "main", "Main title"
        SYNONYM = "synonym", "Synonym"
        ENGLISH = "english", "English"
        NATIVE = "native", "Native"
        ROMAJI = "romaji", "Romaji"

    anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="titles")
    text = models.CharField(max_length=500)
    normalized = models.CharField(max_length=500, db_index=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.SYNONYM)
    language = models.CharField(max_length=16, blank=True, help_text="BCP 47, when known.")
    origin = models.CharField(max_length=10, choices=Origin, default=Origin.IMPORTED)

    MASK_KEY = "normalized"
    objects = ShownQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["anime", "origin"])]

    def __str__(self) -> str:
        return self.text


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=120, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AnimeTag(models.Model):
    MASK_KEY = "tag_id"
    anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="anime_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="anime_tags")
    origin = models.CharField(max_length=10, choices=Origin, default=Origin.IMPORTED)

    objects = ShownQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["anime", "tag", "origin"], name="anime_tag_unique")
        ]
        indexes = [models.Index(fields=["tag", "origin"])]


class Company(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=220, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name


class AnimeCompany(models.Model):
    class Role(models.TextChoices):
        STUDIO = "studio", "Studio"
        PRODUCER = "producer", "Producer"

    MASK_KEY = "company_id"
    anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="anime_companies")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="anime_companies")
    role = models.CharField(max_length=10, choices=Role, default=Role.STUDIO)
    origin = models.CharField(max_length=10, choices=Origin, default=Origin.IMPORTED)

    objects = ShownQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["anime", "company", "role", "origin"], name="anime_company_unique"
            )
        ]


class Person(models.Model):
    name = models.CharField(max_length=200, db_index=True)
    native_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class StaffCredit(models.Model):
    """A person's role on an anime ("Original creator", "Director", …). Only authors add these."""

    anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="staff")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    origin = models.CharField(max_length=10, choices=Origin, default=Origin.LOCAL)

    class Meta:
        ordering = ["position", "id"]


class Character(models.Model):
    class Role(models.TextChoices):
        MAIN = "main", "Main"
        SUPPORTING = "supporting", "Supporting"
        BACKGROUND = "background", "Background"

    anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="characters")
    name = models.CharField(max_length=200)
    native_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=12, choices=Role, default=Role.MAIN)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    origin = models.CharField(max_length=10, choices=Origin, default=Origin.LOCAL)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class ExternalId(models.Model):
    """The anime's page on a source site; the URL is the import's upsert key."""

    anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="external_ids")
    site = models.CharField(max_length=20, db_index=True)
    external_id = models.CharField(max_length=64, blank=True)
    url = models.URLField(max_length=500, unique=True)

    class Meta:
        ordering = ["site"]
        indexes = [models.Index(fields=["site", "external_id"])]

    def __str__(self) -> str:
        return self.url

    @property
    def site_label(self) -> str:
        return site_label(self.site)


class Relation(models.Model):
    class Type(models.TextChoices):
        SEQUEL = "SEQUEL", "Sequel"
        PREQUEL = "PREQUEL", "Prequel"
        SIDE_STORY = "SIDE_STORY", "Side story"
        PARENT = "PARENT", "Parent story"
        ALTERNATIVE = "ALTERNATIVE", "Alternative version"
        SPIN_OFF = "SPIN_OFF", "Spin-off"
        SUMMARY = "SUMMARY", "Summary"
        ADAPTATION = "ADAPTATION", "Adaptation"
        OTHER = "OTHER", "Related"

    anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="relations")
    target_url = models.URLField(max_length=500)
    target = models.ForeignKey(
        Anime, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    relation_type = models.CharField(max_length=12, choices=Type, default=Type.OTHER)
    origin = models.CharField(max_length=10, choices=Origin, default=Origin.IMPORTED)

    class Meta:
        indexes = [models.Index(fields=["target_url"])]


class Correction(models.Model):
    """One author edit, kept for the record: which entry, what changed, from what to what, by whom.

    ``field`` names a scalar field (``episodes``) or a kind of row (``tag``, ``studio``,
    ``staff``, ``character``, ``title``); ``old`` and ``new`` hold the values as JSON.
    """

    anime = models.ForeignKey(Anime, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=40)
    action = models.CharField(max_length=10)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.field} {self.action}"


from kansou.catalog.images.models import PosterFetch  # noqa: E402, F401 (registers the model)
