"""``kansou backup`` and ``kansou restore``: online copies of the database."""

from __future__ import annotations

from pathlib import Path

import click


def _database() -> dict:
    from kansou.cli import setup_django

    setup_django()
    from django.conf import settings

    return settings.DATABASES["default"]


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Write a consistent backup of the database to FILE, while the site keeps running.

    SQLite: an online copy (a SQLite file). PostgreSQL: a pg_dump custom-format archive.

    Example: kansou backup backups/kansou-2026-11-25.db
    """
    from kansou.core.backup import BackupError, database_backup

    try:
        database_backup(database=_database(), target=file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up to {file} ({file.stat().st_size:,} bytes).")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(file: Path, yes: bool) -> None:
    """Replace the database's contents with the backup in FILE.

    Example: kansou restore backups/kansou-2026-11-25.db --yes
    """
    from kansou.core.backup import BackupError, database_restore

    if not yes:
        click.confirm("This replaces everything in the database. Continue?", abort=True)
    try:
        database_restore(database=_database(), source=file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored from {file}.")
