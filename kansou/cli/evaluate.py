"""``kansou evaluate``: offline evaluation of the recommenders on a ratings file (no Django)."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from pathlib import Path

import click
import numpy as np
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

MAL_URL = re.compile(r"^https://myanimelist\.net/anime/(\d+)$")
FIELDS = ("user_id", "mal_id", "rating")


def read_ratings(path: str) -> tuple[list[int], list[int], list[float]]:
    """``user_id,mal_id,rating`` rows; a bad value raises ClickException naming line and field."""
    users, items, ratings = [], [], []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [f for f in FIELDS if f not in (reader.fieldnames or [])]
        if missing:
            raise click.ClickException(f"{path}: line 1: missing column(s) {', '.join(missing)}")
        for line, row in enumerate(reader, start=2):
            for name, target, parse in (
                ("user_id", users, int),
                ("mal_id", items, int),
                ("rating", ratings, float),
            ):
                try:
                    target.append(parse(row[name]))
                except (TypeError, ValueError):
                    raise click.ClickException(
                        f"{path}: line {line}: field '{name}': not a number: {row[name]!r}"
                    ) from None
    if not users:
        raise click.ClickException(f"{path}: no ratings")
    return users, items, ratings


def read_catalog(path: str) -> tuple[list[int], list]:
    """MAL ids and records of the catalog entries that have a MyAnimeList source."""
    from kansou.catalog.importers.offline_db import AnimeRecord, UnreadableFile, open_catalog

    mal_ids, records = [], []
    try:
        for _, record in open_catalog(path).records():
            if not isinstance(record, AnimeRecord):
                continue
            for url in record.sources:
                match = MAL_URL.match(url)
                if match:
                    mal_ids.append(int(match.group(1)))
                    records.append(record)
                    break
    except UnreadableFile as exc:
        raise click.ClickException(str(exc)) from exc
    return mal_ids, records


def load_data(ratings_path: str, catalog_path: str | None):
    """``(user_items ratings matrix, item features or None, public scores or None)``; items =
    catalog ∪ rated. Synopsis words are features when the catalog has them (never shown)."""
    from kansou.recommend.features import build_item_features
    from kansou.recommend.ids import IdMap
    from kansou.recommend.matrix import user_items_from_triples

    users, items, ratings = read_ratings(ratings_path)
    if catalog_path is None:
        matrix, _, _ = user_items_from_triples(users, items, ratings)
        return matrix, None, None
    mal_ids, records = read_catalog(catalog_path)
    first = IdMap.from_values(mal_ids)  # a MAL id on two lines keeps its first record
    records = [records[i] for i in first.to_index(first.ids)]
    rated_only = sorted(set(items) - set(first.ids.tolist()))
    item_map = IdMap(list(first.ids) + rated_only)
    matrix, _, _ = user_items_from_triples(users, items, ratings, items=item_map)
    features = build_item_features(records + [{}] * len(rated_only), text=True)
    scores = np.array([r.score or np.nan for r in records] + [np.nan] * len(rated_only))
    return matrix, features, scores.astype(np.float32)


@click.command()
@click.option(
    "--ratings",
    "ratings_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="CSV with columns user_id,mal_id,rating.",
)
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(exists=True, dir_okay=False),
    help="anime-offline-database file for item features (enables content, hybrid).",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of the split.")
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False),
    help="Write an HTML report with a plot into this folder.",
)
def evaluate(ratings_path, catalog_path, seed, as_json, report_dir) -> None:
    """Compare the recommenders offline: Recall@20, NDCG@20, coverage and novelty.

    Warm protocol: positives are ratings >= 7. 20% of users are test users with 20% of their
    positives held out; ALS, EASE and the hybrid are tuned on validation users, never on test
    users. With --catalog, also the item-cold-start protocol: 10% of the titles with at least
    5 positives lose all their ratings, and every user who loved one of them is scored on
    finding them among those cold titles from the rest of their history (baselines: random,
    public score, tag TF-IDF). Runs without the database.

    Example: kansou evaluate --ratings ratings.csv --catalog anime-catalog.jsonl.gz
    """
    missing = [
        name for name in ("implicit", "matplotlib") if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise click.ClickException(
            f"kansou evaluate needs {' and '.join(missing)} (the ALS baseline and the report's "
            "chart): pip install 'kansou[evaluate]'"
        )
    from kansou.recommend import coldstart
    from kansou.recommend.evaluate import Protocol, planned_steps, run

    err = Console(stderr=True)
    protocol = Protocol(seed=seed)
    with err.status("reading ratings and catalog"):
        matrix, features, scores = load_data(ratings_path, catalog_path)
    err.print(f"{matrix.shape[0]:,} users × {matrix.shape[1]:,} items, {matrix.nnz:,} ratings")
    progress = Progress(
        TextColumn("{task.description:<60}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=as_json,
    )
    with progress:
        total = planned_steps(features is not None)
        total += coldstart.planned_steps() if features is not None else 0
        task = progress.add_task("evaluating", total=total)

        def step(description: str) -> None:
            progress.update(task, description=description[:60], advance=1)

        rows = run(matrix, features, protocol, step)
        cold = []
        if features is not None:
            cold_protocol = coldstart.ColdProtocol(seed=seed)
            cold = coldstart.run_cold(matrix, features, scores, cold_protocol, step)
        progress.update(task, description="done", completed=progress.tasks[task].total)
    if as_json:
        warm_rows = [row.as_dict() for row in rows]
        click.echo(json.dumps({"warm": warm_rows, "cold": [r.as_dict() for r in cold]}, indent=2))
    else:
        Console().print(_table(rows, protocol.k))
        if cold:
            Console().print(_cold_table(cold, protocol.k))
    if report_dir:
        from kansou.recommend.report import write_report

        path = write_report(Path(report_dir), rows, protocol, cold)
        err.print(f"report: {path}")


def _table(rows, k: int) -> Table:
    table = Table(title=f"Offline evaluation ({rows[0].users} test users)")
    for name in ("model", f"Recall@{k}", f"NDCG@{k}", "coverage", "novelty", "fit s", "params"):
        table.add_column(name, justify="left" if name in {"model", "params"} else "right")
    for row in rows:
        table.add_row(
            row.model,
            f"{row.recall:.4f}",
            f"{row.ndcg:.4f}",
            f"{row.coverage:.4f}",
            f"{row.novelty:.2f}",
            f"{row.fit_seconds:.1f}",
            json.dumps(row.params),
        )
    return table


def _cold_table(rows, k: int) -> Table:
    title = f"Item cold start ({rows[0].cold_items} cold titles, {rows[0].users} users)"
    table = Table(title=title)
    for name in ("model", f"Recall@{k}", f"NDCG@{k}", "fit s", "params"):
        table.add_column(name, justify="left" if name in {"model", "params"} else "right")
    for row in rows:
        table.add_row(
            row.model,
            f"{row.recall:.4f}",
            f"{row.ndcg:.4f}",
            f"{row.fit_seconds:.1f}",
            json.dumps(row.params),
        )
    return table
