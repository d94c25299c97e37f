"""The ``kansou`` command: one click group, one module per job.

Django is set up lazily, only by the commands that touch the database.
"""

from __future__ import annotations

import os

import click

from kansou import __version__


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansou.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


EMPTY_CATALOG = (
    "the catalog is empty: import one first with `kansou catalog import FILE` "
    "(or `kansou demo --no-serve` for the sample)"
)


def catalog_ready() -> None:
    """Set Django up on a migrated database (a new data folder is migrated on the spot) and
    refuse, with what to run, when the catalog is still empty."""
    setup_django()
    migrate()
    from kansou.catalog.models import Anime

    if not Anime.objects.exists():
        raise click.ClickException(EMPTY_CATALOG)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kansou")
def cli() -> None:
    """Kansou (感想): anime reviews that tell readers what to watch next and why."""


def _register() -> None:
    from kansou.cli import backup, blog, catalog, demo, lists, manage, reviews, serve
    from kansou.cli import search as search_command
    from kansou.cli.bench import bench
    from kansou.cli.evaluate import evaluate
    from kansou.cli.recommend import recommend, similar
    from kansou.cli.train import train
    from kansou.cli.worker import worker

    cli.add_command(catalog.catalog)
    cli.add_command(search_command.search)
    cli.add_command(demo.demo)
    cli.add_command(lists.lists)
    cli.add_command(manage.manage)
    cli.add_command(reviews.reviews)
    cli.add_command(blog.import_group)
    cli.add_command(serve.serve)
    cli.add_command(backup.backup)
    cli.add_command(backup.restore)
    cli.add_command(train)
    cli.add_command(similar)
    cli.add_command(recommend)
    cli.add_command(evaluate)
    cli.add_command(bench)
    cli.add_command(worker)


_register()


def private_files() -> None:
    """Files and folders this process creates are for its user only (600/700): the database
    and its -wal/-shm, backups, the cache, models, the secret key. Keeps a stricter umask."""
    os.umask(os.umask(0o077) | 0o077)


def main() -> None:
    private_files()
    cli(prog_name="kansou")
