"""Benchmark: `kansou catalog import` against a raw sqlite3.executemany load of the same rows.

    python benchmarks/catalog_import.py [CATALOG_FILE]

Runs, each in its own process on a fresh, migrated SQLite database (same schema and indexes):
1. `kansou catalog import` (first import: every entry created);
2. the same command again (every entry unchanged);
3. a raw load: the file is read and parsed the same way (gzip + json per line), the same rows
   (anime, titles, tags, anime-tags, companies, anime-companies, external ids) are built with no
   validation or upsert logic, and written with `executemany` in one transaction.
Prints wall time, entries per second and peak memory (max RSS) of each, and for Kansou also the
import's own time before the search index refresh that follows it (the raw load builds no
index, so that is the like-for-like figure).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared/data/catalog/anime-catalog.jsonl.gz"


def run(command: list[str], env: dict) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB and stdout of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{command} failed: {output}")
    return elapsed, usage.ru_maxrss / 1024, output.strip()


def raw_load(database: str, path: str) -> None:
    from kansou.catalog.text import normalize_title  # the same key the importer computes

    anime, titles, tags, anime_tags, companies, anime_companies, external = ([] for _ in range(7))
    tag_ids: dict[str, int] = {}
    company_ids: dict[str, int] = {}
    now = "2026-01-01 00:00:00"
    with gzip.open(path, "rb") as handle:
        handle.readline()
        for pk, line in enumerate(handle, start=1):
            e = json.loads(line)
            season = e["animeSeason"]
            anime.append(
                (
                    pk,
                    e["title"],
                    e["type"],
                    e["episodes"],
                    e["status"],
                    season["season"],
                    season.get("year"),
                    (e.get("duration") or {}).get("value"),
                    (e.get("score") or {}).get("arithmeticMean"),
                    e.get("synopsis", ""),
                    e["picture"],
                    e["thumbnail"],
                    "{}",
                    "{}",
                    "",
                    now,
                    now,
                )
            )
            for kind, text in [("main", e["title"]), *(("synonym", s) for s in e["synonyms"])]:
                titles.append((pk, text, normalize_title(text), kind, "", "imported"))
            for name in e["tags"]:
                tag_id = tag_ids.setdefault(name, len(tag_ids) + 1)
                anime_tags.append((pk, tag_id, "imported"))
            for name in e["studios"]:
                company_id = company_ids.setdefault(name, len(company_ids) + 1)
                anime_companies.append((pk, company_id, "studio", "imported"))
            for url in e["sources"]:
                site = url.split("/")[2]
                external.append((pk, site, url.rsplit("/", 1)[1], url))
    tags = [(i, n, n) for n, i in tag_ids.items()]
    companies = [(i, n, n) for n, i in company_ids.items()]
    db = sqlite3.connect(database)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    with db:
        db.executemany(
            "INSERT INTO catalog_anime (id, title, kind, episodes, status, season, year, "
            "duration_seconds, score, synopsis, picture, thumbnail, imported, local_overrides, "
            "import_hash, created_at, updated_at) VALUES "
            "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            anime,
        )
        db.executemany(
            "INSERT INTO catalog_animetitle (anime_id, text, normalized, kind, "
            "language, origin) VALUES (?,?,?,?,?,?)",
            titles,
        )
        db.executemany("INSERT INTO catalog_tag (id, name, slug) VALUES (?,?,?)", tags)
        db.executemany(
            "INSERT INTO catalog_animetag (anime_id, tag_id, origin) VALUES (?,?,?)", anime_tags
        )
        db.executemany("INSERT INTO catalog_company (id, name, slug) VALUES (?,?,?)", companies)
        db.executemany(
            "INSERT INTO catalog_animecompany (anime_id, company_id, role, origin) "
            "VALUES (?,?,?,?)",
            anime_companies,
        )
        db.executemany(
            "INSERT INTO catalog_externalid (anime_id, site, external_id, url) VALUES (?,?,?,?)",
            external,
        )
    print(len(anime))


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--raw":
        raw_load(sys.argv[2], sys.argv[3])
        return
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.exists():
        raise SystemExit(f"{path}: not found (pass the catalog file)")
    with gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb") as handle:
        entries = sum(1 for _ in handle) - 1
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KANSOU_DATA_DIR": f"{tmp}/kansou", "DATABASE_URL": ""}
        kansou = [sys.executable, "-m", "kansou"]
        subprocess.run([*kansou, "manage", "migrate", "-v0"], env=env, check=True)
        for label in ("kansou import (first)", "kansou import (again)"):
            results.append((label, *run([*kansou, "catalog", "import", str(path), "--quiet"], env)))
        raw_env = {**env, "KANSOU_DATA_DIR": f"{tmp}/raw"}
        subprocess.run([*kansou, "manage", "migrate", "-v0"], env=raw_env, check=True)
        raw_db = f"{tmp}/raw/kansou.sqlite3"
        results.append(
            (
                "raw executemany",
                *run([sys.executable, __file__, "--raw", raw_db, str(path)], raw_env),
            )
        )
    print(f"\n{entries:,} entries from {path.name}\n")
    print(f"{'run':<24} {'seconds':>8} {'entries/s':>10} {'peak MiB':>9}  (of which: import)")
    for label, seconds, peak, output in results:
        imported = import_seconds(output)
        part = f"  {imported:.2f} s, {entries / imported:,.0f}/s" if imported else ""
        print(f"{label:<24} {seconds:>8.2f} {entries / seconds:>10,.0f} {peak:>9.0f}{part}")
    first, raw = results[0][1], results[2][1]
    imported = import_seconds(results[0][3]) or first
    print(f"\nfirst import, whole command = {raw / first:.2f} x the raw executemany rate")
    print(
        f"first import, records written (before the search index refresh) = {raw / imported:.2f} x"
    )


def import_seconds(output: str) -> float | None:
    """The command's own "imported in N s" (reading, checking, writing; not the index)."""
    match = re.search(r"imported in ([\d.]+) s", output)
    return float(match.group(1)) if match else None


if __name__ == "__main__":
    main()
