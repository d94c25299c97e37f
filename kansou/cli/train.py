"""``kansou train``: fit the recommenders on the catalog (and ratings) and serve the result."""

from __future__ import annotations

import click


@click.command()
@click.option(
    "--ratings",
    "ratings_csv",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV of user_id,mal_id,rating rows, matched to the catalog by MAL id.",
)
@click.option("--no-readers", is_flag=True, help="Leave readers' lists out of the training data.")
@click.option("--synopsis", is_flag=True, help="Use synopsis words as features (never shown).")
@click.option("--k", type=click.IntRange(1, 500), default=50, show_default=True,
              help="Neighbours stored per anime for “more like this”.")  # fmt: skip
def train(ratings_csv, no_readers, synopsis, k) -> None:
    """Train the content model (plus EASE and the hybrid when there are ratings or readers'
    lists), precompute neighbour tables and make the new version the one the site serves.

    The version is recorded in the database (manifest and SHA-256 checksums); with
    KANSOU_MODELS_STORE it is also copied to the shared store, and every node serves it from
    its next request on, so this can run on any node or on a machine of its own.

    Example: kansou train --ratings ratings.csv
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from kansou.cli import catalog_ready

    catalog_ready()
    from kansou.discovery.artefact_files import ArtefactCopyError
    from kansou.discovery.interactions import InteractionsError
    from kansou.discovery.training import models_train

    columns = (
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
    )
    tasks: dict[str, int] = {}
    with Progress(*columns, transient=False) as bar:

        def progress(step: str, done: int, total: int | None) -> None:
            if step not in tasks:
                for other in tasks.values():  # a new step ends the previous one
                    task = bar.tasks[other]
                    bar.update(other, total=task.total or task.completed or 1,
                               completed=task.total or task.completed or 1)  # fmt: skip
                tasks[step] = bar.add_task(step, total=total, rate="")
            task = bar.tasks[tasks[step]]
            elapsed = task.elapsed or 0
            rate = f"{done / elapsed:,.0f}/s" if elapsed > 0.05 and done else ""
            bar.update(tasks[step], completed=done, total=total, rate=rate)

        try:
            report = models_train(
                ratings_csv=ratings_csv, readers=not no_readers, text=synopsis, k=k,
                progress=progress,
            )  # fmt: skip
        except (InteractionsError, ValueError, ArtefactCopyError) as exc:
            raise click.ClickException(str(exc)) from None
        progress("Done", 1, 1)
    click.echo(
        f"Trained {report.model} on {report.items:,} anime, {report.users:,} users, "
        f"{report.interactions:,} interactions ({report.unmatched_ratings:,} ratings not in the "
        f"catalog); {report.features:,} features; {report.seconds:.1f} s; "
        f"{report.size_bytes / 1e6:.1f} MB at {report.path} (now current)."
    )
    if report.store is not None:
        click.echo(
            f"Published version {report.path.name} (sha256 {report.checksum[:12]}…) to "
            f"{report.store}: every node serves it from its next request."
        )
