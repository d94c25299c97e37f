"""Reads that assemble catalog data for pages, the API and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
    When,
)

from kansou.catalog.filters import SORT_ORDERS, AnimeFilters, Sort
from kansou.catalog.lookup import title_matches
from kansou.catalog.models import (
    SCALAR_FIELDS,
    Anime,
    AnimeCompany,
    AnimeTag,
    AnimeTitle,
    Character,
    ExternalId,
    Origin,
    Relation,
    StaffCredit,
)

# How many title matches a search on the list page or API list considers, and how far below the
# best match's similarity a match may fall: the lookup forgives a lot (WRatio scores unrelated
# titles sharing a word around 85), which suits "which entry is this?" but floods a list.
SEARCH_LIMIT = 100
SEARCH_MARGIN = 12.0


@dataclass(frozen=True)
class AnimeMatch:
    anime: Anime
    matched_title: str
    similarity: float


def catalog_has_synopses() -> bool:
    """Whether any entry has a synopsis (used as search text, never shown). The shipped sample
    has none, so theme searches there match titles and tags only. One query."""
    return Anime.objects.exclude(synopsis="").exists()


def anime_find(*, query: str, limit: int = 10, within: QuerySet | None = None) -> list[AnimeMatch]:
    """Anime whose titles match ``query`` in any language, best first (``lookup``'s ranking:
    the title as written, any title or synonym, prefix, word prefix, then typos; the
    best-known anime first among equals); ``within``: only these anime."""
    matches = title_matches(query, limit=limit, within=within)
    rows = Anime.objects.prefetch_related("external_ids").in_bulk([m.anime_id for m in matches])
    return [
        AnimeMatch(rows[m.anime_id], m.matched_title, m.similarity)
        for m in matches
        if m.anime_id in rows
    ]


@dataclass(frozen=True)
class AnimeSearch:
    """A filtered, ordered catalog list; ``matched_titles`` maps anime id to the title a search
    matched (empty without a search)."""

    anime: QuerySet
    matched_titles: dict[int, str] = field(default_factory=dict)


def _shown_tags() -> Prefetch:
    tags = AnimeTag.objects.shown().select_related("tag").order_by("tag__name")
    return Prefetch("anime_tags", queryset=tags, to_attr="shown_tags")


def has_published_review() -> Exists:
    """Whether an anime has a review readers may see, as an expression on ``Anime`` rows.

    The reviews app builds on the catalog, so its model is reached through the relation Django
    adds to ``Anime`` (``Review.anime``'s ``related_name``, ``reviews``), never imported; its
    ``published()`` stays the one rule of which reviews are public (drafts and reviews
    scheduled for later do not count).
    """
    review_model = Anime._meta.get_field("reviews").related_model
    return Exists(review_model.objects.published().filter(anime=OuterRef("pk")))


def anime_search(*, filters: AnimeFilters) -> AnimeSearch:
    """The catalog narrowed and ordered by ``filters``, each entry with its ``shown_tags``.

    A title search (``q``) keeps the ``SEARCH_LIMIT`` best matches of ``anime_find`` that come
    within ``SEARCH_MARGIN`` of the best one and, unless another order is asked for, lists them
    best match first.
    """
    qs = Anime.objects.defer("synopsis", "imported", "import_hash")
    if filters.type:
        qs = qs.of_kind(*filters.type)
    qs = qs.aired_between(filters.year_from, filters.year_to)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.tag:
        qs = qs.tagged(filters.tag)
    if filters.reviewed is not None:
        reviewed = has_published_review()
        qs = qs.filter(reviewed if filters.reviewed else ~reviewed)
    matched: dict[int, str] = {}
    if filters.q:
        matches = anime_find(query=filters.q, limit=SEARCH_LIMIT, within=qs)
        best = max((m.similarity for m in matches), default=0.0)
        matched = {
            m.anime.pk: m.matched_title for m in matches if m.similarity >= best - SEARCH_MARGIN
        }
        qs = qs.filter(pk__in=list(matched))
    sort = filters.effective_sort
    if sort == Sort.RELEVANCE:
        rank = [When(pk=pk, then=Value(i)) for i, pk in enumerate(matched)]
        order = (Case(*rank, default=Value(len(rank)), output_field=IntegerField()), "pk")
    else:
        order = SORT_ORDERS[sort]
    return AnimeSearch(qs.order_by(*order).prefetch_related(_shown_tags()), matched)


@dataclass(frozen=True)
class TitleGroup:
    label: str
    titles: list[AnimeTitle]


@dataclass(frozen=True)
class AnimeDetail:
    """Everything an entry's page and API show. Hidden rows are already left out."""

    anime: Anime
    titles: list[AnimeTitle]
    tags: list[AnimeTag]
    studios: list[AnimeCompany]
    producers: list[AnimeCompany]
    staff: list[StaffCredit]
    characters: list[Character]
    relations: list[Relation]
    sources: list[ExternalId]

    @property
    def local_fields(self) -> list[str]:
        """Scalar fields whose shown value is a local correction, in display order."""
        return [name for name in SCALAR_FIELDS if self.anime.is_local(name)]

    @property
    def local(self) -> dict[str, bool]:
        """``local_fields`` as a mapping, for templates: ``detail.local.title``."""
        return dict.fromkeys(self.local_fields, True)

    @property
    def title_groups(self) -> list[TitleGroup]:
        """Titles by kind (main first, synonyms last), each group by language then text."""
        groups = []
        for kind, label in AnimeTitle.Kind.choices:
            rows = [t for t in self.titles if t.kind == kind]
            if rows:
                rows.sort(key=lambda t: (t.language == "", t.language, t.text.casefold()))
                groups.append(TitleGroup("Synonyms" if kind == "synonym" else label, rows))
        return groups


def anime_detail(*, anime_id: int) -> AnimeDetail:
    """One entry with every related row, in eight queries.

    Raises ``Anime.DoesNotExist`` for an unknown id.
    """
    anime = Anime.objects.get(pk=anime_id)
    companies = list(
        AnimeCompany.objects.shown()
        .filter(anime=anime)
        .select_related("company")
        .order_by("company__name")
    )
    return AnimeDetail(
        anime=anime,
        titles=list(AnimeTitle.objects.shown().filter(anime=anime).order_by("pk")),
        tags=list(
            AnimeTag.objects.shown().filter(anime=anime).select_related("tag").order_by("tag__name")
        ),
        studios=[c for c in companies if c.role == AnimeCompany.Role.STUDIO],
        producers=[c for c in companies if c.role == AnimeCompany.Role.PRODUCER],
        staff=list(
            StaffCredit.objects.filter(anime=anime)
            .exclude(origin=Origin.HIDDEN)
            .select_related("person")
        ),
        characters=list(Character.objects.filter(anime=anime).exclude(origin=Origin.HIDDEN)),
        relations=list(
            Relation.objects.filter(anime=anime)
            .exclude(origin=Origin.HIDDEN)
            .select_related("target")
            .order_by("relation_type", "pk")
        ),
        sources=list(ExternalId.objects.filter(anime=anime)),
    )
