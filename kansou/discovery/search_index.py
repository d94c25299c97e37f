"""Building and refreshing the search index: ``search_reindex``.

Documents are rebuilt, never patched: a refresh deletes an entry's document and writes it again
from the catalog's shown rows (titles, tags and companies an author hid stay out). Call
``search_reindex(anime_ids=[...])`` after a catalog import or correction touches those entries,
``search_reindex(review_ids=[...])`` after a review is published, edited or withdrawn, and
``search_reindex()`` (everything) after a full import; ``kansou search reindex`` does the last.

Deleting a review needs no call: its document is deleted with it (a foreign key with
``CASCADE``, see ``search_models``). Search keeps nothing in memory, so every process's next
search reads what was written.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from kansou.catalog.lookup import prior
from kansou.catalog.models import Anime, AnimeCompany, AnimeTag, AnimeTitle, AnimeType
from kansou.catalog.text import normalize_title
from kansou.discovery.search_models import (
    SearchDocument,
    SearchTag,
    SearchTitle,
)
from kansou.reviews.models import Review

BATCH = 2000

# Review parts that carry prose: related name -> (heading field, text field). A part the
# installed reviews app lacks is skipped, so the indexer follows that app as it grows.
REVIEW_PARTS = {
    "themes": ("name", "text_md"),
    "sections": ("heading", "body_md"),
    "audience": ("name", "why_md"),
    "characters": ("name", "text_md"),
}


def fold(*texts: str) -> str:
    """Case, accents and punctuation folded, one line per input (titles stay as written: the
    title search shows the one that matched)."""
    return "\n".join(folded for text in texts if text and (folded := normalize_title(text)))


def review_model():
    """The ``Review`` model. Search documents hold a foreign key to reviews, so the reviews app
    is always there; callers still handle None, from when it was optional."""
    return Review


@transaction.atomic
def search_reindex(
    *, anime_ids: Iterable[int] | None = None, review_ids: Iterable[int] | None = None
) -> int:
    """Rewrite the search documents of these anime (and the reviews about them) and these
    reviews; with neither given, rewrite the whole index. Returns the documents written.

    Missing, deleted or unpublished entries simply lose their document.
    """
    everything = anime_ids is None and review_ids is None
    anime_ids = None if anime_ids is None else sorted(set(anime_ids))
    review_ids = None if review_ids is None else sorted(set(review_ids))
    stale = SearchDocument.objects.all()
    if not everything:
        stale = stale.filter(Q(anime_id__in=anime_ids or []) | Q(review_id__in=review_ids or []))
    SearchTag.objects.filter(document__in=stale.values("pk")).delete()
    stale.only("pk").delete()

    anime = Anime.objects.all() if everything else Anime.objects.filter(pk__in=anime_ids or [])
    written = 0
    for batch in _batches(anime.values_list("pk", flat=True).order_by("pk")):
        written += _write_anime(batch)
    # Scheduled reviews too: a search finds them once their time comes (``visible_from``).
    reviews = Review.objects.public_or_upcoming()
    if not everything:
        reviews = reviews.filter(Q(anime_id__in=anime_ids or []) | Q(pk__in=review_ids or []))
    for batch in _batches(reviews.values_list("pk", flat=True).order_by("pk")):
        written += _write_reviews(Review.objects.filter(pk__in=batch))
    if everything:
        search_optimize()
    return written


def search_optimize() -> None:
    """Merge the FTS5 index's segments (SQLite), which keeps queries fast after big writes."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in ("discovery_search_fts", "discovery_search_trigram"):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")


def _batches(ids: QuerySet) -> Iterator[list[int]]:
    batch: list[int] = []
    for pk in ids.iterator(chunk_size=BATCH):
        batch.append(pk)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _AnimeFacts:
    """Shown titles, tags and companies of a set of anime, read in three queries."""

    def __init__(self, anime_ids: list[int]):
        self.titles: dict[int, list[str]] = defaultdict(list)
        for anime_id, text in (
            AnimeTitle.objects.shown()
            .filter(anime_id__in=anime_ids)
            .order_by("pk")
            .values_list("anime_id", "text")
        ):
            self.titles[anime_id].append(text)
        self.tags: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for anime_id, tag_id, name in (
            AnimeTag.objects.shown()
            .filter(anime_id__in=anime_ids)
            .values_list("anime_id", "tag_id", "tag__name")
        ):
            self.tags[anime_id].append((tag_id, name))
        self.studios: dict[int, list[str]] = defaultdict(list)
        for anime_id, name in (
            AnimeCompany.objects.shown()
            .filter(anime_id__in=anime_ids)
            .values_list("anime_id", "company__name")
        ):
            self.studios[anime_id].append(name)
        self.title_counts = Counter({pk: len(texts) for pk, texts in self.titles.items()})

    def prior(self, anime: Anime) -> float:
        return prior(self.title_counts[anime.pk], anime.score, anime.kind)

    def title_text(self, anime: Anime) -> str:
        """Every shown title once (by its folded key), one per line, as written."""
        keys = {}
        for text in [anime.title, *self.titles[anime.pk]]:
            keys.setdefault(normalize_title(text), text)
        return "\n".join(text for key, text in keys.items() if key)


def _write(documents: list[SearchDocument], tag_ids: list[list[int]]) -> int:
    SearchDocument.objects.bulk_create(documents, batch_size=500)
    SearchTag.objects.bulk_create(
        [
            SearchTag(document_id=document.pk, tag_id=tag_id)
            for document, tags in zip(documents, tag_ids, strict=True)
            for tag_id in dict.fromkeys(tags)
        ],
        batch_size=1000,
    )
    SearchTitle.objects.bulk_create(
        [
            SearchTitle(document_id=document.pk, text=text, key=normalize_title(text))
            for document in documents
            if document.kind == SearchDocument.Kind.ANIME
            for text in document.titles.splitlines()
        ],
        batch_size=1000,
    )
    return len(documents)


def _write_anime(anime_ids: list[int]) -> int:
    facts = _AnimeFacts(anime_ids)
    documents, tag_ids = [], []
    for anime in Anime.objects.filter(pk__in=anime_ids).only(
        "pk", "title", "kind", "year", "score", "synopsis"
    ):
        tags = facts.tags[anime.pk]
        documents.append(
            SearchDocument(
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
        )
        tag_ids.append([tag_id for tag_id, _ in tags])
    return _write(documents, tag_ids)


def _review_parts(Review) -> list[str]:  # noqa: N803 (a model class)
    names = []
    for name in REVIEW_PARTS:
        try:
            Review._meta.get_field(name)
        except Exception:  # FieldDoesNotExist: this reviews app has no such part
            continue
        names.append(name)
    return names


def _review_prose(review, parts: list[str]) -> list[str]:
    texts = [
        review.summary,
        getattr(review, "intro_md", ""),
        getattr(review, "final_thoughts_md", ""),
    ]
    for name in parts:
        heading, text = REVIEW_PARTS[name]
        for part in getattr(review, name).all():
            texts += [getattr(part, heading, ""), getattr(part, text, "")]
    return texts


def _write_reviews(reviews: QuerySet) -> int:
    parts = _review_parts(reviews.model)
    reviews = list(reviews.select_related("anime").prefetch_related("labels", *parts))
    anime_ids = [review.anime_id for review in reviews if review.anime_id]
    facts = _AnimeFacts(anime_ids)
    documents, tag_ids = [], []
    now = timezone.now()
    for review in reviews:
        anime = review.anime
        tags = facts.tags[anime.pk] if anime else []
        labels = [label.name for label in review.labels.all()]
        documents.append(
            SearchDocument(
                kind=SearchDocument.Kind.REVIEW,
                anime=anime,
                review_id=review.pk,
                title=review.title,
                url=review.get_absolute_url(),
                titles="\n".join([review.title, facts.title_text(anime) if anime else ""]),
                tags=fold(*labels, *(name for _, name in tags)),
                body=fold(*_review_prose(review, parts)),
                anime_type=anime.kind if anime else AnimeType.UNKNOWN,
                year=anime.year if anime else None,
                prior=facts.prior(anime) if anime else 0.0,
                visible_from=review.publish_at if review.publish_at > now else None,
            )
        )
        tag_ids.append([tag_id for tag_id, _ in tags])
    return _write(documents, tag_ids)
