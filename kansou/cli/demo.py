"""``kansou demo``: the site on SQLite with the shipped sample catalog."""

from __future__ import annotations

import os
from importlib import resources

import click

SAMPLE = "anime-sample.jsonl.gz"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Prepare the database, then exit.")
def demo(host: str, port: int, no_serve: bool) -> None:
    """Create (or reuse) a demo database, load the sample catalog and serve the site.

    Example: kansou demo --port 8001
    """
    os.environ.setdefault("DEBUG", "1")
    from kansou.cli import migrate, setup_django

    setup_django()
    migrate()
    from django.conf import settings

    from kansou.catalog.importers.offline_db import open_catalog
    from kansou.catalog.services.importing import catalog_import

    sample = resources.files("kansou.catalog") / "sample" / SAMPLE
    with resources.as_file(sample) as path:
        source = open_catalog(path)
        summary = catalog_import(records=source.records())
    click.echo(
        f"Sample catalog: {summary.created} new, {summary.updated} updated, "
        f"{summary.unchanged} unchanged ({settings.DATABASES['default']['NAME']})."
    )
    if no_serve:
        return
    from django.core.management import call_command

    click.echo(f"Kansou demo at http://{host}:{port}/  (Ctrl+C to stop)")
    call_command("runserver", f"{host}:{port}", use_reloader=False, verbosity=0)
