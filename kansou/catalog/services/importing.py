"""Write validated anime-offline-database records into the catalog: an idempotent upsert.

Rules this enforces:

* Entries are keyed by their source URLs. A record whose sources already belong to an entry
  updates that entry; one whose sources belong to two different entries, or to an entry an
  earlier record of the same file already wrote, is rejected (a duplicate), never merged.
* A record whose content digest equals the stored one is *unchanged* and costs no write.
* Records are written in batches, each in one transaction: a killed import leaves every entry
  either fully written or untouched, and running it again completes it.
* Only imported values are replaced. Local corrections (``Anime.local_overrides`` and rows with
  origin ``local`` or ``hidden``) are never read or written here, and win on display.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from kansou.catalog.importers.offline_db import AnimeRecord, Rejected
from kansou.catalog.models import (
    SCALAR_FIELDS,
    Anime,
    AnimeCompany,
    AnimeTag,
    AnimeTitle,
    Company,
    ExternalId,
    Origin,
    Relation,
    Tag,
)
from kansou.catalog.sites import parse_source_url
from kansou.catalog.text import guess_language, normalize_title
from kansou.core.changes import anime_changed

MAX_REJECTIONS_KEPT = 1000


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[Rejected] = field(default_factory=list)
    write_seconds: float = 0.0  # reading, checking and writing the records
    refresh_seconds: float = 0.0  # then refreshing what is derived from them (search index)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def reject(self, rejection: Rejected) -> None:
        self.rejected += 1
        if len(self.rejections) < MAX_REJECTIONS_KEPT:
            self.rejections.append(rejection)


@dataclass
class _RunState:
    summary: ImportSummary
    # anime id -> location of the record that wrote it in this run: the duplicate check.
    written: dict[int, str] = field(default_factory=dict)
    tag_ids: dict[str, int] = field(default_factory=dict)
    company_ids: dict[str, int] = field(default_factory=dict)
    changed: list[int] = field(default_factory=list)  # created or updated: for listeners


def catalog_import(
    *,
    records: Iterable[tuple[str, AnimeRecord | Rejected]],
    batch_size: int = 500,
    on_batch: Callable[[ImportSummary], None] | None = None,
    on_reject: Callable[[Rejected], None] | None = None,
) -> ImportSummary:
    """Upsert ``(location, record)`` pairs in transactional batches and count the outcome.

    Each batch tells the change listeners (the search index) in its own transaction: an import
    killed at any point leaves every entry whole and indexed, or absent, and a rerun — which
    finds the written entries unchanged — has nothing left to repair.
    """
    started = time.perf_counter()
    state = _RunState(summary=ImportSummary())
    refreshing = 0.0
    for batch in _batches(records, batch_size):
        valid = []
        for location, record in batch:
            if isinstance(record, Rejected):
                _reject(state, record, on_reject)
            else:
                valid.append((location, record))
        if valid:
            with transaction.atomic():
                before = len(state.changed)
                _write_batch(valid, state, on_reject)
                if len(state.changed) > before:
                    told = time.perf_counter()
                    anime_changed(state.changed[before:])
                    refreshing += time.perf_counter() - told
        if on_batch:
            on_batch(state.summary)
    _link_relations()
    state.summary.write_seconds = time.perf_counter() - started - refreshing
    state.summary.refresh_seconds = refreshing
    return state.summary


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _reject(state: _RunState, rejection: Rejected, on_reject) -> None:
    state.summary.reject(rejection)
    if on_reject:
        on_reject(rejection)


def _write_batch(batch: list[tuple[str, AnimeRecord]], state: _RunState, on_reject) -> None:
    urls = [url for _, record in batch for url in record.sources]
    owner_of = dict(ExternalId.objects.filter(url__in=urls).values_list("url", "anime_id"))
    hashes = dict(
        Anime.objects.filter(pk__in=set(owner_of.values())).values_list("pk", "import_hash")
    )
    new: list[tuple[str, AnimeRecord]] = []
    changed: dict[int, AnimeRecord] = {}
    batch_urls: dict[str, str] = {}
    for location, record in batch:
        problem = _duplicate(location, record, owner_of, batch_urls, state)
        if problem:
            _reject(state, problem, on_reject)
            continue
        batch_urls.update((url, location) for url in record.sources)
        owners = {owner_of[url] for url in record.sources if url in owner_of}
        if not owners:
            new.append((location, record))
            continue
        anime_id = owners.pop()
        state.written[anime_id] = location
        if hashes.get(anime_id) == record.digest:
            state.summary.unchanged += 1
        else:
            changed[anime_id] = record
    if changed:
        _update(changed)
    created = _create(new, state)
    _write_children({**changed, **created}, state)
    state.changed.extend((*changed, *created))
    state.summary.updated += len(changed)
    state.summary.created += len(created)


def _duplicate(location, record, owner_of, batch_urls, state) -> Rejected | None:
    owners = {owner_of[url] for url in record.sources if url in owner_of}
    if len(owners) > 1:
        ids = ", ".join(f"#{pk}" for pk in sorted(owners))
        return Rejected(location, "sources", f"the URLs belong to different entries ({ids})")
    for url in record.sources:
        if url in batch_urls:
            return Rejected(location, "sources", f"duplicate: {url} is also in {batch_urls[url]}")
    if owners and (earlier := state.written.get(next(iter(owners)))):
        return Rejected(location, "sources", f"duplicate: same entry as {earlier}")
    return None


def _update(changed: dict[int, AnimeRecord]) -> None:
    now = timezone.now()
    rows = list(Anime.objects.filter(pk__in=changed))
    for anime in rows:
        record = changed[anime.pk]
        anime.imported = record.scalars()
        anime.import_hash = record.digest
        anime.updated_at = now
        anime.apply_values()
    Anime.objects.bulk_update(rows, [*SCALAR_FIELDS, "imported", "import_hash", "updated_at"])
    ids = list(changed)
    for model in (AnimeTitle, AnimeTag, AnimeCompany, Relation):
        model.objects.filter(anime_id__in=ids, origin=Origin.IMPORTED).delete()
    ExternalId.objects.filter(anime_id__in=ids).delete()


def _create(new: list[tuple[str, AnimeRecord]], state: _RunState) -> dict[int, AnimeRecord]:
    if not new:
        return {}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    ids = _allocate_anime_ids(len(new))
    rows = []
    for anime_id, (location, record) in zip(ids, new, strict=True):
        # A new entry has no local corrections yet: its effective values are the imported ones.
        values = record.scalars()
        rows.append(
            (
                anime_id,
                *(values[name] for name in SCALAR_FIELDS),
                json.dumps(values),
                "{}",
                "{}",  # poster: none stored yet (kansou catalog images)
                record.digest,
                now,
                now,
            )
        )
        state.written[anime_id] = location
    columns = [
        "id",
        *SCALAR_FIELDS,
        "imported",
        "local_overrides",
        "poster",
        "import_hash",
        "created_at",
        "updated_at",
    ]
    _insert(Anime, columns, rows)
    return {anime_id: record for anime_id, (_, record) in zip(ids, new, strict=True)}


def _allocate_anime_ids(count: int) -> list[int]:
    """Reserve ``count`` new primary keys, inside the batch's transaction.

    Model instances cost more than the insert itself at this volume, so new rows are written
    with plain ``executemany`` and need their ids up front. PostgreSQL hands them out from the
    table's sequence; SQLite holds the database's write lock for the whole transaction
    (``transaction_mode=IMMEDIATE``), so the next ids past both the largest id and the
    AUTOINCREMENT counter cannot be taken by anyone else before the commit.
    """
    table = Anime._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        largest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        counter = cursor.fetchone()
        start = max(largest, counter[0] if counter else 0) + 1
    return list(range(start, start + count))


def _write_children(records: dict[int, AnimeRecord], state: _RunState) -> None:
    if not records:
        return
    tag_ids = _name_ids(Tag, {t for r in records.values() for t in r.tags}, state.tag_ids)
    company_names = {c for r in records.values() for c in (*r.studios, *r.producers)}
    company_ids = _name_ids(Company, company_names, state.company_ids)
    titles, tags, companies, external, relations = [], [], [], [], []
    for anime_id, record in records.items():
        titles.extend(_titles(anime_id, record))
        tags.extend((anime_id, tag_ids[name], Origin.IMPORTED) for name in record.tags)
        for role, names in (
            (AnimeCompany.Role.STUDIO, record.studios),
            (AnimeCompany.Role.PRODUCER, record.producers),
        ):
            companies.extend((anime_id, company_ids[name], role, Origin.IMPORTED) for name in names)
        for url in record.sources:
            site, external_id = parse_source_url(url)
            external.append((anime_id, site, external_id, url))
        relations.extend(
            (anime_id, url, Relation.Type.OTHER, Origin.IMPORTED) for url in record.related
        )
    _insert(AnimeTitle, ["anime_id", "text", "normalized", "kind", "language", "origin"], titles)
    _insert(AnimeTag, ["anime_id", "tag_id", "origin"], tags)
    _insert(AnimeCompany, ["anime_id", "company_id", "role", "origin"], companies)
    _insert(ExternalId, ["anime_id", "site", "external_id", "url"], external)
    _insert(Relation, ["anime_id", "target_url", "relation_type", "origin"], relations)


def _titles(anime_id: int, record: AnimeRecord) -> Iterator[tuple]:
    yield (
        anime_id,
        record.title,
        normalize_title(record.title),
        AnimeTitle.Kind.MAIN,
        guess_language(record.title),
        Origin.IMPORTED,
    )
    for text in record.synonyms:
        if text != record.title:
            yield (
                anime_id,
                text,
                normalize_title(text),
                AnimeTitle.Kind.SYNONYM,
                guess_language(text),
                Origin.IMPORTED,
            )


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Plain multi-row INSERT: these child rows have no per-row logic worth a model instance."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _name_ids(model, names: set[str], cache: dict[str, int]) -> dict[str, int]:
    """Ids for tag or company names, creating the missing ones."""
    missing = names - cache.keys()
    if missing:
        known = dict(model.objects.filter(name__in=missing).values_list("name", "pk"))
        to_create = [
            model(name=n, slug=slugify(n, allow_unicode=True) or "-")
            for n in missing - known.keys()
        ]
        model.objects.bulk_create(to_create)
        known.update((row.name, row.pk) for row in to_create)
        cache.update(known)
    return cache


def _link_relations() -> None:
    """Point relations at the entries their URLs now name (the target may come later in a file)."""
    owner = ExternalId.objects.filter(url=OuterRef("target_url")).values("anime_id")[:1]
    Relation.objects.filter(target__isnull=True).update(target_id=Subquery(owner))
