"""``kansou worker``: run the background jobs queued in the database (django-tasks-db's worker)."""

from __future__ import annotations

import click

NOT_MIGRATED = (
    "the database is not migrated yet: run `kansou manage migrate` (or start `kansou serve`, "
    "which migrates) first"
)


@click.command()
@click.option(
    "--batch", is_flag=True, help="Run the jobs waiting now, then exit (for cron and tests)."
)
@click.option(
    "--max-jobs", type=click.IntRange(1), default=None, help="Exit after running this many jobs."
)
@click.option(
    "--interval", type=click.FloatRange(0), default=1.0, show_default=True,
    help="Seconds between looks at an empty queue.",
)  # fmt: skip
@click.option(
    "--queue",
    default="default",
    show_default=True,
    help="Queues to run, comma-separated; * for all.",
)
@click.option("--quiet", is_flag=True, help="Log failures only.")
def worker(batch, max_jobs, interval, queue, quiet) -> None:
    """Run the background jobs as they are queued: training, search rebuilds and catalog
    imports started in the admin, readers' long MyAnimeList imports. Run one per deployment,
    beside `kansou serve`; with several machines, one or more anywhere that reaches the
    database: each job runs exactly once.

    SIGTERM or Ctrl+C lets the job in hand finish first (a second one stops it at once).

    Example: kansou worker
    """
    from kansou.cli import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise click.ClickException(NOT_MIGRATED)
    options = {
        "queue_name": queue,
        "interval": interval,
        "batch": batch,
        "reload": False,
        "verbosity": 0 if quiet else 1,
    }
    if max_jobs is not None:
        options["max_tasks"] = max_jobs
    if batch:
        options["startup_delay"] = False
    call_command("db_worker", **options)
