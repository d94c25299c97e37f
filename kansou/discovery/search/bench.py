"""Benchmark: ``search()`` against the raw SQL it issues, same queries, same run.

    kansou bench --section search        (or: python benchmarks/search_bench.py [QUERY_LOG])

Needs a migrated database holding the catalog (``kansou catalog import``); the index is built
first when it is empty. Each query of the log runs through ``search()`` (timed) while its
statements are recorded; then those statements run again straight on the driver's cursor
(timed, rows fetched). The ratio of the two is the framework's overhead: parsing, building
SQL, title similarity, scoring, facets into objects. ``scale`` > 1 adds, inside a transaction
rolled back afterwards, ``scale - 1`` copies of every document with a letter of each title
changed, to show how cost grows with the catalog.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from django.db import connection, transaction

from kansou.catalog.text import normalize_title

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_QUERIES = ROOT / "benchmarks" / "search_queries.txt"
TARGET_RATIO = 1.3


def read_queries(path: Path = DEFAULT_QUERIES) -> list[str]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _percentiles(seconds: list[float]) -> dict:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {"p50_ms": round(statistics.median(ms), 3), "p95_ms": round(p95, 3)}


def _raw(statements: list[tuple[str, list]]) -> float:
    """Seconds to run ``statements`` on the driver's own cursor, fetching every row."""
    cursor = connection.connection.cursor()
    sqlite = connection.vendor == "sqlite"
    start = time.perf_counter()
    for sql, params in statements:
        if sqlite:
            sql = sql.replace("%s", "?").replace("%%", "%")
        cursor.execute(sql, params)
        cursor.fetchall()
    return time.perf_counter() - start


def _perturb(text: str, copy: int) -> str:
    """``text`` with one letter changed, a different one per copy."""
    at = [i for i, ch in enumerate(text) if ch.isalpha()]
    if not at:
        return f"{text} {copy}"
    i = at[(copy * 7) % len(at)]
    return text[:i] + ("x" if text[i] != "x" else "q") + text[i + 1 :]


def _grow(scale: int) -> None:
    """Add ``scale - 1`` perturbed copies of every document (ids shifted), titles and tags."""
    from kansou.discovery.search_models import SearchDocument, SearchTitle

    stride = (SearchDocument.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    originals = list(SearchDocument.objects.all())
    for copy in range(1, scale):
        docs, titles = [], []
        for doc in originals:
            lines = [_perturb(line, copy) for line in doc.titles.splitlines()]
            docs.append(
                SearchDocument(
                    **{
                        **{f.attname: getattr(doc, f.attname) for f in SearchDocument._meta.fields},
                        "id": doc.pk + copy * stride,
                        "anime_id": None,
                        "review_id": None,
                        "title": _perturb(doc.title, copy),
                        "titles": "\n".join(lines),
                    }
                )
            )
            if doc.kind == SearchDocument.Kind.ANIME:
                keys = {normalize_title(line): line for line in reversed(lines)}
                titles += [
                    SearchTitle(document_id=docs[-1].id, text=t, key=k)
                    for k, t in keys.items()
                    if k
                ]
        SearchDocument.objects.bulk_create(docs, batch_size=1000)
        SearchTitle.objects.bulk_create(titles, batch_size=2000)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO discovery_searchtag (document_id, tag_id) SELECT document_id + %s,"
                " tag_id FROM discovery_searchtag WHERE document_id < %s",
                [copy * stride, stride],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _time(queries: list[str], repeat: int) -> tuple[list[float], list[float]]:
    from kansou.discovery.search import SearchFilters, search

    recorded: list[tuple[str, list]] = []

    def record(execute, sql, params, many, context):
        recorded.append((sql, list(params or ())))
        return execute(sql, params, many, context)

    ours, raw = [], []
    for query in queries[:20]:  # warm the database's caches
        search(filters=SearchFilters(q=query))
    for _ in range(repeat):
        for query in queries:
            recorded.clear()
            with connection.execute_wrapper(record):
                start = time.perf_counter()
                search(filters=SearchFilters(q=query), page_size=20)
                ours.append(time.perf_counter() - start)
            raw.append(_raw(list(recorded)))
    return ours, raw


def run_search_bench(
    *, queries_path: Path | str = DEFAULT_QUERIES, repeat: int = 3, scales=(1, 10)
) -> dict:
    """Time ``search()`` and its raw SQL per scale; Django must be set up.

    Returns ``{"vendor", "queries", "target_ratio", "scales": [{"scale", "documents",
    "search": {p50_ms, p95_ms}, "sql": {...}, "p50_ratio", "p95_ratio"}]}``.
    """
    from kansou.discovery.search_index import search_reindex
    from kansou.discovery.search_models import SearchDocument

    if not SearchDocument.objects.exists():
        search_reindex()
    queries = read_queries(Path(queries_path))
    result = {"vendor": connection.vendor, "queries": len(queries), "target_ratio": TARGET_RATIO}
    result["scales"] = []
    for scale in scales:
        with transaction.atomic():
            if scale > 1:
                _grow(scale)
            ours, raw = _time(queries, repeat)
            search, sql = _percentiles(ours), _percentiles(raw)
            result["scales"].append(
                {
                    "scale": scale,
                    "documents": SearchDocument.objects.count(),
                    "search": search,
                    "sql": sql,
                    "p50_ratio": round(search["p50_ms"] / sql["p50_ms"], 2),
                    "p95_ratio": round(search["p95_ms"] / sql["p95_ms"], 2),
                }
            )
            transaction.set_rollback(True)
    return result


def print_search_bench(result: dict) -> None:
    print(
        f"{result['queries']} queries on {result['vendor']}; overhead target"
        f" < {result['target_ratio']}×"
    )
    for row in result["scales"]:
        print(f"  {row['scale']:>2}× ({row['documents']:,} documents)")
        for name in ("search", "sql"):
            timing = row[name]
            print(f"     {name:7} p50 {timing['p50_ms']:8.2f} ms   p95 {timing['p95_ms']:8.2f} ms")
        print(f"     overhead p50 {row['p50_ratio']}×   p95 {row['p95_ratio']}×")
