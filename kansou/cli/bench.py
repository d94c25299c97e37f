"""``kansou bench``: timings on the full shared data, section by section.

A section is a function ``(options) -> None`` printing its own tables, registered in
:data:`SECTIONS`; add one (e.g. search) by writing the function and one entry there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

SHARED = Path(__file__).resolve().parents[2].parent / "shared/data/catalog"


def recommend_section(options: dict) -> None:
    """Train time and memory per model; similar_items and recommend latency."""
    from kansou.cli.evaluate import load_data
    from kansou.recommend import benchmark

    console = Console()
    with console.status("reading ratings and catalog"):
        matrix, features = load_data(options["ratings"], options["catalog"])
    console.print(f"{matrix.shape[0]:,} users × {matrix.shape[1]:,} items, {matrix.nnz:,} ratings")
    with console.status("fitting every model"):
        fitted = benchmark.fit_all(matrix, features)
    table = Table(title="Training")
    for column in ("model", "fit s", "peak MiB (traced)"):
        table.add_column(column, justify="left" if column == "model" else "right")
    for model, seconds, peak in fitted:
        table.add_row(model.name, f"{seconds:.2f}", f"{peak:,.0f}")
    console.print(table)
    models = [model for model, _, _ in fitted]
    with console.status("timing similar_items and recommend"):
        timings = benchmark.bench_similar(models)
        ease = next(m for m in models if m.name == "ease")
        timings.append(benchmark.bench_recommend(ease, matrix))
    table = Table(title="Latency")
    for column in ("what", "p50 ms", "p99 ms", "reference", "ref p50 ms", "ratio"):
        table.add_column(column, justify="left" if column in {"what", "reference"} else "right")
    for t in timings:
        table.add_row(
            t.name,
            f"{t.p50_ms:.4f}",
            f"{t.p99_ms:.4f}",
            t.reference,
            f"{t.reference_p50_ms:.4f}",
            f"{t.ratio:.2f}×",
        )
    console.print(table)


def search_section(options: dict) -> None:
    """search() latency over the query log next to the raw SQL it issues, at 1× and 10×."""
    from kansou.cli import migrate, setup_django

    setup_django()
    migrate()
    from kansou.cli.bench_search import print_search_bench, run_search_bench

    print_search_bench(run_search_bench())


SECTIONS: dict[str, Callable[[dict], None]] = {
    "recommend": recommend_section,
    "search": search_section,
}


@click.command()
@click.option(
    "--section",
    "sections",
    multiple=True,
    type=click.Choice(sorted(SECTIONS)),
    help="Run only this section (repeatable; default: all).",
)
@click.option(
    "--ratings",
    type=click.Path(exists=True, dir_okay=False),
    default=str(SHARED / "ratings.csv"),
    show_default=True,
    help="CSV with user_id,mal_id,rating.",
)
@click.option(
    "--catalog",
    type=click.Path(exists=True, dir_okay=False),
    default=str(SHARED / "anime-catalog.jsonl.gz"),
    show_default=True,
    help="anime-offline-database file.",
)
def bench(sections: tuple[str, ...], ratings: str, catalog: str) -> None:
    """Time the engine on the full shared data and print the numbers (no database).

    Example: kansou bench --section recommend
    """
    options = {"ratings": ratings, "catalog": catalog}
    for name in sections or tuple(SECTIONS):
        Console().rule(name)
        SECTIONS[name](options)
