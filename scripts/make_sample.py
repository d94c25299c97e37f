"""Generate the demo's sample catalog from the shared data: facts only, no synopses.

    python scripts/make_sample.py [../shared/data/catalog] [kansou/catalog/sample]

Picks well-known titles: the most rated in ``ratings.csv`` (MAL users, 2016/17) and, so newer
titles are there too, those the world gave the most titles to (translations are a fair sign of
fame). Keeps only facts — titles, type, episodes, status, season and year, duration, tags,
studios, mean score, source URLs and picture URLs — and drops the synopsis (third-party prose).
Deterministic: the same input gives a byte-identical file.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

MOST_RATED = 1000
MOST_TITLED = 800
# Titles the demo reviews and examples name, kept whatever their counts (MyAnimeList ids):
# Look Back, Violet Evergarden, Shirobako, Shigatsu wa Kimi no Uso, Koe no Katachi, Kimi no Na wa.
ALWAYS = {58125, 33352, 25835, 23273, 28851, 32281}
KEEP = (
    "sources",
    "title",
    "type",
    "episodes",
    "status",
    "animeSeason",
    "picture",
    "thumbnail",
    "duration",
    "synonyms",
    "studios",
    "producers",
    "relatedAnime",
    "tags",
    "score",
)
METADATA = {
    "$schema": "https://raw.githubusercontent.com/manami-project/anime-offline-database/"
    "master/schemas/anime-offline-database.jsonl.schema.json",
    "license": {
        "name": "Open Database License (ODbL) v1.0; contents: DbCL v1.0",
        "url": "https://opendatacommons.org/licenses/odbl/1-0/",
    },
    "repository": "https://github.com/manami-project/anime-offline-database",
    "attribution": "Contains information from anime-offline-database "
    "(https://github.com/manami-project/anime-offline-database), made available under the "
    "ODbL v1.0. Facts only: synopses are left out.",
    "lastUpdate": None,
}


def mal_id(entry: dict) -> int | None:
    for url in entry["sources"]:
        if url.startswith("https://myanimelist.net/anime/"):
            return int(url.rsplit("/", 1)[1])
    return None


def main(shared: Path, out_dir: Path) -> None:
    rated = Counter()
    with open(shared / "ratings.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            rated[int(row["mal_id"])] += 1
    with gzip.open(shared / "anime-catalog.jsonl.gz", "rt", encoding="utf-8") as handle:
        metadata = json.loads(handle.readline())
        entries = [json.loads(line) for line in handle]
    by_ratings = sorted(entries, key=lambda e: (-rated.get(mal_id(e) or -1, 0), e["title"]))
    by_titles = sorted(
        (e for e in entries if e["type"] in {"TV", "MOVIE"} and e["animeSeason"].get("year")),
        key=lambda e: (-len(e["synonyms"]), e["title"]),
    )
    chosen = {id(e): e for e in by_ratings[:MOST_RATED]}
    chosen.update({id(e): e for e in by_titles[:MOST_TITLED]})
    chosen.update({id(e): e for e in entries if mal_id(e) in ALWAYS})
    ordered = sorted(chosen.values(), key=lambda e: e["sources"])
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({**METADATA, "lastUpdate": metadata.get("lastUpdate")})]
    lines += [json.dumps({k: e[k] for k in KEEP if k in e}, ensure_ascii=False) for e in ordered]
    target = out_dir / "anime-sample.jsonl.gz"
    with open(target, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(("\n".join(lines) + "\n").encode())
    print(f"{target}: {len(ordered)} entries, {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    here = Path(__file__).resolve().parent.parent
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parent / "shared/data/catalog"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else here / "kansou/catalog/sample"
    main(shared, out)
