"""Benchmark: Kansou search against tantivy on the same documents and the same query log.

    kansou bench --section search        (or: python benchmarks/search_bench.py [QUERY_LOG])

Needs a migrated database holding the catalog (``kansou catalog import``); the search index is
built first when it is empty. tantivy (a benchmark-only dependency) indexes the very documents
the search index holds (titles, tags, studios, body; English stemming; the same column boosts)
and runs each query folded to the same plain words, top 20 with a hit count. Kansou's side is
the whole ``discovery.search.search`` call: full text, typo-tolerant titles, merged ranking,
total count and facet counts. ``run_search_bench`` returns p50/p95 of both and their ratio;
the target is a ratio of at most ``TARGET_RATIO``. Search keeps no result cache, so every
timed call is a cold search; only the per-index snapshot (``search_snapshot``) is built once,
before timing. Without tantivy installed (a ``dev`` extra) the comparison is skipped and only
Kansou's timings are returned.
"""

from __future__ import annotations

import importlib.util
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_QUERIES = ROOT / "benchmarks" / "search_queries.txt"
TARGET_RATIO = 20.0
FIELDS = ("titles", "tags", "studios", "body")
BOOSTS = {"titles": 10.0, "tags": 4.0, "studios": 2.0, "body": 1.0}  # as search_sqlite.WEIGHTS


def read_queries(path: Path = DEFAULT_QUERIES) -> list[str]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _percentiles(seconds: list[float]) -> dict:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {"p50_ms": round(statistics.median(ms), 3), "p95_ms": round(p95, 3)}


def _tantivy_index(directory: str):
    import tantivy

    from kansou.discovery.search_models import SearchDocument

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True)
    for name in FIELDS:
        builder.add_text_field(name, stored=False, tokenizer_name="en_stem")
    index = tantivy.Index(builder.build(), path=directory)
    writer = index.writer()
    rows = SearchDocument.objects.values_list("pk", *FIELDS).iterator(chunk_size=2000)
    for pk, *texts in rows:
        writer.add_document(tantivy.Document(id=pk, **dict(zip(FIELDS, texts, strict=True))))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index


def _time(run, queries: list[str], repeat: int, before_pass=None) -> list[float]:
    for query in queries[:20]:  # warm caches and lazily built structures
        run(query)
    seconds = []
    for _ in range(repeat):
        if before_pass:
            before_pass()
        for query in queries:
            start = time.perf_counter()
            run(query)
            seconds.append(time.perf_counter() - start)
    return seconds


def run_search_bench(*, queries_path: Path | str = DEFAULT_QUERIES, repeat: int = 3) -> dict:
    """Time Kansou search and tantivy over the query log; Django must be set up.

    Returns ``{"queries", "documents", "kansou": {p50_ms, p95_ms}, "tantivy": {...},
    "p95_ratio", "target_ratio", "ok"}``.
    """
    from kansou.discovery.search import SearchFilters, parse_query, search
    from kansou.discovery.search_index import search_reindex
    from kansou.discovery.search_models import SearchDocument

    if not SearchDocument.objects.exists():
        search_reindex()
    from kansou.discovery.search_snapshot import search_snapshot

    queries = read_queries(Path(queries_path))
    # Each pass starts with no word's postings in memory: a query pays for reading the words no
    # earlier query of the same pass has used (results themselves are never cached).
    ours = _percentiles(
        _time(
            lambda q: search(filters=SearchFilters(q=q), page_size=20),
            queries,
            repeat,
            before_pass=lambda: search_snapshot().postings.clear(),
        )
    )
    result = {
        "queries": len(queries),
        "documents": SearchDocument.objects.count(),
        "kansou": ours,
        "tantivy": None,
        "p95_ratio": None,
        "target_ratio": TARGET_RATIO,
        "ok": None,
    }
    if importlib.util.find_spec("tantivy") is None:
        result["skipped"] = "tantivy is not installed (pip install -e '.[dev]'): no comparison"
        return result
    with tempfile.TemporaryDirectory() as directory:
        index = _tantivy_index(directory)
        searcher = index.searcher()

        def tantivy_run(query: str) -> None:
            text = " ".join(parse_query(query).terms)
            if text:
                parsed = index.parse_query(text, list(FIELDS), field_boosts=BOOSTS)
                searcher.search(parsed, 20, count=True)

        theirs = _percentiles(_time(tantivy_run, queries, repeat))
    ratio = round(ours["p95_ms"] / theirs["p95_ms"], 2)
    return {**result, "tantivy": theirs, "p95_ratio": ratio, "ok": ratio <= TARGET_RATIO}


def print_search_bench(result: dict) -> None:
    print(f"{result['queries']} queries over {result['documents']} documents (each search cold)")
    for name in ("kansou", "tantivy"):
        if timing := result[name]:
            print(f"  {name:8} p50 {timing['p50_ms']:8.2f} ms   p95 {timing['p95_ms']:8.2f} ms")
    if "skipped" in result:
        print(f"  {result['skipped']}")
        return
    verdict = "ok" if result["ok"] else "over target"
    print(f"  p95 ratio {result['p95_ratio']} (target <= {result['target_ratio']}): {verdict}")
