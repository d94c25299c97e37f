"""``kansou backup`` and ``kansou restore``: online copies of the database."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click


def _database() -> dict:
    from kansou.cli import setup_django

    setup_django()
    from django.conf import settings

    return settings.DATABASES["default"]


@contextmanager
def _stoppable() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the job as Ctrl-C does, so it removes its partial file first
    (by default they end the process on the spot)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Write a consistent backup of the database to FILE, while the site keeps running.

    SQLite: a compact copy made in one read transaction (VACUUM INTO), checked with PRAGMA
    integrity_check; the file is a SQLite database. PostgreSQL: a pg_dump custom-format
    archive. FILE appears whole or not at all (mode 600); prints its size, the time taken and
    the rows of the main tables.

    Example: kansou backup backups/kansou-2026-11-25.db
    """
    from kansou.core.backup import BackupError, database_backup

    try:
        with _stoppable():
            report = database_backup(database=_database(), target=file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up to {file}: {report.summary()}.")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(file: Path, yes: bool) -> None:
    """Replace the database's contents with the backup in FILE.

    Cached pages and page fragments are made stale, so the site shows the restored contents
    at once. Prints the time taken and the rows of the main tables.

    Example: kansou restore backups/kansou-2026-11-25.db --yes
    """
    from kansou.core.backup import BackupError, database_restore

    if not yes:
        click.confirm("This replaces everything in the database. Continue?", abort=True)
    try:
        report = database_restore(database=_database(), source=file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    from kansou.core.pagecache import pages_changed

    pages_changed()  # cached pages and fragments show what the restore replaced
    click.echo(f"Restored from {file}: {report.summary()}.")
