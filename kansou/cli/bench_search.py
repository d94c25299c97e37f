"""``kansou bench --section search``: ``search()`` next to the raw SQL it issues.

Needs a migrated database holding the catalog (``kansou catalog import``); the index is built
first when it is empty. Each query of the log runs through ``search()`` (timed) while its
statements are recorded; then those statements run again straight on the driver's cursor
(timed, rows fetched). The ratio of the two is the framework's overhead: parsing, building SQL,
title similarity, scoring, facets into objects. ``scale`` > 1 adds, inside a transaction rolled
back afterwards, ``scale - 1`` copies of every anime, title and document, with a letter of each
title changed, to show how cost grows with the catalog. Also ``benchmarks/search_bench.py``.
"""

from __future__ import annotations

import itertools
import statistics
import time
from pathlib import Path

from django.db import connection, transaction

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_QUERIES = ROOT / "benchmarks" / "search_queries.txt"
TARGET_RATIO = 1.3
_REPLAYS = itertools.count()


def read_queries(path: Path = DEFAULT_QUERIES) -> list[str]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _percentiles(seconds: list[float]) -> dict:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {"p50_ms": round(statistics.median(ms), 3), "p95_ms": round(p95, 3)}


def _raw(statements: list[tuple[str, list]]) -> float:
    """Seconds to run ``statements`` on the driver's own cursor, fetching every row.

    Each is prepared afresh (a unique comment defeats the driver's statement cache), as
    ``search()`` prepares a statement it has not seen; otherwise the replay, coming just after,
    would reuse what ``search()`` prepared and the ratio would count parsing as overhead.
    """
    cursor = connection.connection.cursor()
    sqlite = connection.vendor == "sqlite"
    start = time.perf_counter()
    for sql, params in statements:
        if sqlite:
            sql = sql.replace("%s", "?").replace("%%", "%")
        cursor.execute(f"{sql} /* replay {next(_REPLAYS)} */", params)
        cursor.fetchall()
    return time.perf_counter() - start


def _perturbed(column: str, copy: int) -> str:
    """SQL: ``column`` with one character replaced by "x", a different one per copy."""
    at = f"(({copy * 7}) % MAX(length({column}), 1))"
    if connection.vendor == "postgresql":
        at = at.replace("MAX(", "GREATEST(")
    return f"substr({column}, 1, {at}) || 'x' || substr({column}, {at} + 2)"


def _columns(model, **replace: str) -> tuple[str, str]:
    names = [f.column for f in model._meta.concrete_fields]
    return ", ".join(names), ", ".join(replace.get(name, name) for name in names)


def _grow(scale: int) -> None:
    """Add ``scale - 1`` copies of every anime, shown title, document and document tag, ids
    shifted, each title with one letter changed (so the copies are near-duplicates)."""
    from kansou.catalog.models import Anime, AnimeTitle
    from kansou.discovery.search.models import SearchDocument

    strides = {}
    for model in (Anime, AnimeTitle, SearchDocument):
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        strides[model] = (last or 0) + 1
    a, t, d = strides[Anime], strides[AnimeTitle], strides[SearchDocument]
    with connection.cursor() as cursor:
        for copy in range(1, scale):
            into, select = _columns(Anime, id=f"id + {copy * a}", title=_perturbed("title", copy))
            cursor.execute(
                f"INSERT INTO catalog_anime ({into}) SELECT {select} FROM catalog_anime"
                f" WHERE id < {a}"
            )
            into, select = _columns(
                AnimeTitle,
                id=f"id + {copy * t}",
                anime_id=f"anime_id + {copy * a}",
                text=_perturbed("text", copy),
                normalized=_perturbed("normalized", copy),
            )
            cursor.execute(
                f"INSERT INTO catalog_animetitle ({into}) SELECT {select} FROM catalog_animetitle"
                f" WHERE id < {t} AND origin <> 'hidden'"
            )
            into, select = _columns(
                SearchDocument,
                id=f"id + {copy * d}",
                anime_id=f"anime_id + {copy * a}",
                review_id="NULL",
                title=_perturbed("title", copy),
                titles=_perturbed("titles", copy),
            )
            cursor.execute(
                f"INSERT INTO discovery_searchdocument ({into})"
                f" SELECT {select} FROM discovery_searchdocument WHERE id < {d}"
            )
            cursor.execute(
                "INSERT INTO discovery_searchtag (document_id, tag_id) SELECT document_id + %s,"
                " tag_id FROM discovery_searchtag WHERE document_id < %s",
                [copy * d, d],
            )
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
    from kansou.discovery.search.index import search_reindex
    from kansou.discovery.search.models import SearchDocument

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
