"""Building and refreshing the search index: ``search_reindex``.

Documents are rebuilt, never patched, from the catalog's shown rows (what an author hid stays
out). The catalog and reviews call it through ``core.changes`` listeners (``discovery.apps``)
for the entries they touch; ``kansou search reindex`` rebuilds everything. Search keeps nothing
in memory, so every process's next search reads what was written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from kansou.catalog.lookup import prior
from kansou.catalog.models import Anime, AnimeCompany, AnimeTag, AnimeTitle, AnimeType
from kansou.catalog.text import normalize_title
from kansou.reviews.models import Review

from .models import SearchDocument, SearchTag

BATCH = 2000
# Review parts that carry prose: related name -> (heading field, text field).
REVIEW_PARTS = {
    "themes": ("name", "text_md"),
    "sections": ("heading", "body_md"),
    "audience": ("name", "why_md"),
    "characters": ("name", "text_md"),
}


def fold(*texts: str) -> str:
    """Case, accents and punctuation folded, one line per non-empty input."""
    return "\n".join(folded for text in texts if text and (folded := normalize_title(text)))


@transaction.atomic
def search_reindex(
    *, anime_ids: Iterable[int] | None = None, review_ids: Iterable[int] | None = None
) -> int:
    """Rewrite the search documents of these anime (and the reviews about them) and these
    reviews; with neither given, rewrite the whole index. Returns the documents written.

    Missing, deleted or unpublished entries simply lose their document; scheduled reviews get
    one, found from their publish time on (``visible_from``).
    """
    everything = anime_ids is None and review_ids is None
    anime_ids, review_ids = sorted(set(anime_ids or [])), sorted(set(review_ids or []))
    stale = SearchDocument.objects.all()
    anime, reviews = Anime.objects.all(), Review.objects.public_or_upcoming()
    if not everything:
        stale = stale.filter(Q(anime_id__in=anime_ids) | Q(review_id__in=review_ids))
        anime = anime.filter(pk__in=anime_ids)
        reviews = reviews.filter(Q(anime_id__in=anime_ids) | Q(pk__in=review_ids))
    SearchTag.objects.filter(document__in=stale.values("pk")).delete()
    stale.only("pk").delete()
    written = sum(_write_anime(batch) for batch in _batches(anime))
    written += sum(_write_reviews(batch) for batch in _batches(reviews))
    if everything and connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # merge FTS5's segments: faster queries after
            cursor.execute(
                "INSERT INTO discovery_search_fts(discovery_search_fts) VALUES ('optimize')"
            )
    return written


def _batches(rows: QuerySet) -> Iterator[list[int]]:
    ids = list(rows.values_list("pk", flat=True).order_by("pk"))
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


class _AnimeFacts:
    """Shown titles, tags and companies of a set of anime, read in three queries."""

    def __init__(self, anime_ids: list[int]):
        self.titles, self.tags, self.studios = (
            defaultdict(list),
            defaultdict(list),
            defaultdict(list),
        )
        shown = AnimeTitle.objects.shown().filter(anime_id__in=anime_ids).order_by("pk")
        for anime_id, text in shown.values_list("anime_id", "text"):
            self.titles[anime_id].append(text)
        tags = AnimeTag.objects.shown().filter(anime_id__in=anime_ids)
        for anime_id, tag_id, name in tags.values_list("anime_id", "tag_id", "tag__name"):
            self.tags[anime_id].append((tag_id, name))
        studios = AnimeCompany.objects.shown().filter(anime_id__in=anime_ids)
        for anime_id, name in studios.values_list("anime_id", "company__name"):
            self.studios[anime_id].append(name)

    def prior(self, anime: Anime) -> float:
        return prior(len(self.titles[anime.pk]), anime.score, anime.kind)

    def title_text(self, anime: Anime) -> str:
        """Every shown title once (by its folded key), one per line, as written."""
        keys: dict[str, str] = {}
        for text in [anime.title, *self.titles[anime.pk]]:
            keys.setdefault(normalize_title(text), text)
        return "\n".join(text for key, text in keys.items() if key)


def _write(documents: list[tuple[SearchDocument, list[tuple[int, str]]]]) -> int:
    """Write ``(document, its tags as (id, name))`` pairs."""
    SearchDocument.objects.bulk_create([document for document, _ in documents], batch_size=500)
    tags = {(document.pk, tag_id) for document, tags in documents for tag_id, _ in tags}
    SearchTag.objects.bulk_create([SearchTag(document_id=d, tag_id=t) for d, t in tags], 1000)
    return len(documents)


def _write_anime(anime_ids: list[int]) -> int:
    facts, documents = _AnimeFacts(anime_ids), []
    fields = ("pk", "title", "kind", "year", "score", "synopsis")
    for anime in Anime.objects.filter(pk__in=anime_ids).only(*fields):
        tags = facts.tags[anime.pk]
        document = SearchDocument(
            kind=SearchDocument.Kind.ANIME,
            anime_id=anime.pk,
            title=anime.title,
            url=anime.get_absolute_url(),
            titles=facts.title_text(anime),
            tags=fold(*(name for _, name in tags)),
            studios=fold(*facts.studios[anime.pk]),
            body=fold(anime.synopsis),
            anime_type=anime.kind,
            year=anime.year,
            prior=facts.prior(anime),
        )
        documents.append((document, tags))
    return _write(documents)


def _review_prose(review: Review) -> list[str]:
    texts = [review.summary, review.intro_md, review.final_thoughts_md]
    for name, (heading, text) in REVIEW_PARTS.items():
        for part in getattr(review, name).all():
            texts += [getattr(part, heading), getattr(part, text)]
    return texts


def _write_reviews(review_ids: list[int]) -> int:
    reviews = Review.objects.filter(pk__in=review_ids).select_related("anime")
    reviews = list(reviews.prefetch_related("labels", *REVIEW_PARTS))
    facts = _AnimeFacts([review.anime_id for review in reviews if review.anime_id])
    documents, now = [], timezone.now()
    for review in reviews:
        anime = review.anime
        tags = facts.tags[anime.pk] if anime else []
        labels = [label.name for label in review.labels.all()]
        document = SearchDocument(
            kind=SearchDocument.Kind.REVIEW,
            anime=anime,
            review_id=review.pk,
            title=review.title,
            url=review.get_absolute_url(),
            titles="\n".join([review.title, facts.title_text(anime) if anime else ""]),
            tags=fold(*labels, *(name for _, name in tags)),
            body=fold(*_review_prose(review)),
            anime_type=anime.kind if anime else AnimeType.UNKNOWN,
            year=anime.year if anime else None,
            prior=facts.prior(anime) if anime else 0.0,
            visible_from=review.publish_at if review.publish_at > now else None,
        )
        documents.append((document, tags))
    return _write(documents)
