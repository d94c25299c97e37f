"""An in-memory copy of the search index's small columns, per process and per index version.

Full-text search finds matching document ids in the database (FTS5 or tsvector); everything
else a search needs per document (kind, shown title, url, type, year, prior, tags) and the
typo-tolerant title matcher are read from here, so filters, total and facets are numpy
operations over the matches instead of SQL over joins.

The copy is keyed by ``SearchIndexState.token``, which ``search_reindex`` replaces on every
write: one primary-key read per search tells whether the copy is current.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

import numpy as np
from django.db import connection
from scipy import sparse

from kansou.catalog.models import AnimeType
from kansou.discovery import search_postgres, search_sqlite
from kansou.discovery.search_models import SearchDocument, SearchIndexState, SearchTag
from kansou.discovery.search_titles import TitleMatcher

TYPE_CODES = [value for value, _ in AnimeType.choices]
FREQUENT_POSTINGS = {
    "sqlite": search_sqlite.frequent_postings,
    "postgresql": search_postgres.frequent_postings,
}
NO_YEAR = -1


@dataclass(frozen=True)
class Doc:
    """The columns a hit shows."""

    kind: str
    anime_id: int | None
    review_id: int | None
    title: str
    url: str
    anime_type: str


class SearchSnapshot:
    """Documents in id order: ``ids[i]`` is document ``i``'s primary key (``i`` a position)."""

    def __init__(self) -> None:
        rows = SearchDocument.objects.order_by("pk").values_list(
            "pk",
            "kind",
            "anime_id",
            "review_id",
            "title",
            "url",
            "anime_type",
            "year",
            "prior",
            "visible_from",
            "titles",
            "tags",
            "studios",
            "body",
        )
        self.docs: list[Doc] = []
        # (word, prefix, column) -> document ids, filled by ``search._term_ids`` as words come.
        self.postings: dict[tuple, np.ndarray | None] = {}
        ids, years, priors, types, lengths = [], [], [], [], []
        upcoming: dict[int, float] = {}  # position -> when a scheduled review becomes findable
        self.anime_position: dict[int, int] = {}
        titles, title_priors, title_texts = [], {}, []
        code = {value: i for i, value in enumerate(TYPE_CODES)}
        for (
            pk,
            kind,
            anime_id,
            review_id,
            title,
            url,
            anime_type,
            year,
            prior,
            visible_from,
            text,
            *more,
        ) in rows.iterator(chunk_size=5000):
            position = len(ids)
            ids.append(pk)
            lengths.append(len(text.split()) + sum(len(t.split()) for t in more))
            years.append(NO_YEAR if year is None else year)
            if visible_from is not None:
                upcoming[position] = visible_from.timestamp()
            priors.append(prior)
            types.append(code.get(anime_type, code[AnimeType.UNKNOWN]))
            self.docs.append(Doc(kind, anime_id, review_id, title, url, anime_type))
            title_texts.append(text)
            if kind == SearchDocument.Kind.ANIME:
                self.anime_position[anime_id] = position
                title_priors[anime_id] = prior
                titles += [(anime_id, line) for line in text.splitlines()]
        self.ids = np.asarray(ids, dtype=np.int64)
        self.upcoming_positions = np.fromiter(upcoming, dtype=np.int64, count=len(upcoming))
        self.upcoming_times = np.fromiter(upcoming.values(), dtype=np.float64, count=len(upcoming))
        self.years = np.asarray(years, dtype=np.int32)
        self.lengths = np.asarray(lengths, dtype=np.float64)  # tokens, as bm25's length
        # bm25's length normalisation, k1 (1 - b + b × length / mean length), k1 1.2, b 0.75
        self.bm25_norm = 1.2 * (0.25 + 0.75 * self.lengths / max(float(self.lengths.mean()), 1.0))
        self.priors = np.asarray(priors, dtype=np.float64)
        self.types = np.asarray(types, dtype=np.int8)
        self.titles = TitleMatcher(titles, title_priors)
        self._title_words = WordIndex(title_texts)
        # index token -> positions of its documents, for the frequent tokens
        self.frequent: dict[str, np.ndarray] = {}
        if reader := FREQUENT_POSTINGS.get(connection.vendor):
            for token, ids in reader().items():
                where = self.positions(ids)
                self.frequent[token] = np.sort(where[where >= 0])
        self._tags(SearchTag.objects.values_list("document_id", "tag_id", "tag__slug", "tag__name"))

    def _tags(self, rows) -> None:
        tag_index: dict[int, int] = {}
        self.tag_slugs: list[str] = []
        self.tag_names: list[str] = []
        doc_ids, columns = [], []
        for document_id, tag_id, slug, name in rows.iterator(chunk_size=20000):
            if tag_id not in tag_index:
                tag_index[tag_id] = len(self.tag_slugs)
                self.tag_slugs.append(slug)
                self.tag_names.append(name)
            doc_ids.append(document_id)
            columns.append(tag_index[tag_id])
        positions = self.positions(np.asarray(doc_ids, dtype=np.int64))
        keep = positions >= 0
        # documents × tags, one per shown tag
        self.doc_tags = sparse.csr_matrix(
            (
                np.ones(int(keep.sum()), dtype=np.int32),
                (positions[keep], np.asarray(columns)[keep]),
            ),
            shape=(len(self.ids), len(self.tag_slugs)),
        )
        self.tag_docs = self.doc_tags.T.tocsr()  # tags × documents, for facet counts
        self.tag_by_slug = {slug: i for i, slug in enumerate(self.tag_slugs)}
        self._tag_words = WordIndex(self.tag_names)

    def title_positions(self, word: str, *, prefix: bool) -> np.ndarray:
        """Positions of the documents whose titles hold ``word`` (stemmed as the full-text
        index stems it; as a prefix too when ``prefix``), in order."""
        return self._title_words.matching(word, prefix=prefix)

    def tag_positions(self, word: str, *, prefix: bool) -> np.ndarray:
        """Positions of the documents with a tag whose name holds ``word``, in order."""
        tags = self._tag_words.matching(word, prefix=prefix).tolist()
        if not tags:
            return np.zeros(0, dtype=np.int64)
        starts, indices = self.tag_docs.indptr, self.tag_docs.indices
        if len(tags) == 1:
            return np.sort(indices[starts[tags[0]] : starts[tags[0] + 1]]).astype(np.int64)
        held = np.zeros(len(self.ids), dtype=bool)
        for t in tags:
            held[indices[starts[t] : starts[t + 1]]] = True
        return np.flatnonzero(held)

    def __len__(self) -> int:
        return len(self.ids)

    def year(self, position: int) -> int | None:
        year = int(self.years[position])
        return None if year == NO_YEAR else year

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Positions of document ids; -1 for an id not in the snapshot."""
        found = np.searchsorted(self.ids, ids)
        found = np.minimum(found, max(len(self.ids) - 1, 0))
        if not len(self.ids):
            return np.full(len(ids), -1, dtype=np.int64)
        return np.where(self.ids[found] == ids, found, -1)

    def allowed(
        self, *, types: list[str], year_from, year_to, tag: str, now: float
    ) -> np.ndarray | None:
        """Boolean mask of the documents the filters let through and whose time has come at
        ``now`` (a timestamp: scheduled reviews wait for it), or None when that is all of them."""
        hidden = self.upcoming_positions[self.upcoming_times > now]
        if not (types or year_from is not None or year_to is not None or tag or len(hidden)):
            return None
        mask = np.ones(len(self.ids), dtype=bool)
        if types:
            codes = [TYPE_CODES.index(t) for t in types if t in TYPE_CODES]
            mask &= np.isin(self.types, codes)
        if year_from is not None:
            mask &= self.years >= year_from
        if year_to is not None:
            mask &= (self.years <= year_to) & (self.years != NO_YEAR)
        if tag:
            column = self.tag_by_slug.get(tag)
            tagged = np.zeros(len(self.ids), dtype=bool)
            if column is not None:
                tagged[self.doc_tags[:, column].nonzero()[0]] = True
            mask &= tagged
        mask[hidden] = False
        return mask


class WordIndex:
    """Which of a list of short texts hold a word: an in-memory FTS5 index tokenised as the
    search index is (so "comedies" finds "Comedy"). Kept for titles and tag names, where a
    word's matches are few, so asking costs microseconds where the full index's column filter
    reads every document holding the word anywhere."""

    def __init__(self, texts):
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            f"CREATE VIRTUAL TABLE texts USING fts5(text, tokenize='{search_sqlite.TOKENIZE}',"
            " prefix='2 3', detail=none)"
        )
        self._db.executemany("INSERT INTO texts(rowid, text) VALUES (?, ?)", enumerate(texts))
        self._db.execute("INSERT INTO texts(texts) VALUES ('optimize')")  # one segment to read

    def matching(self, word: str, *, prefix: bool) -> np.ndarray:
        """Indices of the texts holding ``word`` (as a prefix too when ``prefix``), in order."""
        expression = search_sqlite.match_expression((word,), any_term=False)
        if not prefix:
            expression = expression.rstrip("*")
        sql = "SELECT group_concat(rowid) FROM texts WHERE texts MATCH ?"
        with self._lock:
            (found,) = self._db.execute(sql, [expression]).fetchone()
        return np.fromstring(found, dtype=np.int64, sep=",") if found else np.zeros(0, np.int64)


_lock = threading.Lock()
_cache: dict[str, object] = {"token": object(), "snapshot": None}


def index_token() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {SearchIndexState._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def search_snapshot() -> SearchSnapshot:
    """The process-wide snapshot of the current index, rebuilt after a reindex."""
    token = index_token()
    with _lock:
        if _cache["token"] != token or _cache["snapshot"] is None:
            _cache.update(token=token, snapshot=SearchSnapshot())
        return _cache["snapshot"]
