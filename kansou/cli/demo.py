"""``kansou demo``: the site on SQLite with the shipped sample catalog."""

from __future__ import annotations

import os
from importlib import resources

import click

SAMPLE = "anime-sample.jsonl.gz"
# Demo only: a superuser anyone running the demo can log in as, and the byline of the demo reviews.
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"


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
    _demo_reviews()
    _demo_models()
    click.echo(f"Log in at http://{host}:{port}/admin/ as {DEMO_USERNAME} / {DEMO_PASSWORD}.")
    if no_serve:
        return
    from django.core.management import call_command

    click.echo(f"Kansou demo at http://{host}:{port}/  (Ctrl+C to stop)")
    call_command("runserver", f"{host}:{port}", use_reloader=False, verbosity=0)


def _demo_reviews() -> None:
    """The demo author (a superuser, so it can write and edit) and the shipped demo reviews."""
    from django.contrib.auth import get_user_model

    from kansou.reviews.documents import review_files, review_import_path

    user, _ = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
    user.first_name, user.last_name = "Demo", "Reviewer"
    user.is_active = user.is_staff = user.is_superuser = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    with resources.as_file(resources.files("kansou.reviews") / "demo") as folder:
        for path in review_files([folder]):
            result = review_import_path(path=path)
            click.echo(f"Demo review {result.action}: {result.review.get_absolute_url()}")


def _demo_models() -> None:
    """The content model on the sample catalog (a second or two), so pages show recommendations."""
    from kansou.discovery.training import models_train

    report = models_train(readers=False)
    click.echo(
        f"Recommendations: {report.model} model on {report.items} anime ({report.seconds:.1f} s)."
    )
