"""``kansou catalog``: import the anime catalog and look titles up."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from kansou import conf

EXIT_REJECTED = 1
EXIT_UNREADABLE = 2


@click.group()
def catalog() -> None:
    """The anime catalog: import it, look titles up."""


@catalog.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--batch-size",
    type=click.IntRange(1, 10000),
    default=None,
    help="Records per transaction (default: KANSOU_IMPORT_BATCH).",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def import_(path: str, batch_size: int | None, quiet: bool) -> None:
    """Import or update the catalog from an anime-offline-database file.

    PATH is the upstream JSON ({"data": [...]}), its JSON Lines form, or either gzipped.
    Re-importing is safe: entries are matched by source URL, unchanged ones are not written,
    local corrections are kept. Exit status: 0 all imported, 1 some records rejected,
    2 the file could not be read.

    Example: kansou catalog import anime-offline-database.jsonl.gz
    """
    from kansou.cli import migrate, setup_django

    setup_django()
    migrate()
    from kansou.catalog.importers.offline_db import UnreadableFile, open_catalog
    from kansou.catalog.services.importing import ImportSummary, catalog_import

    err = Console(stderr=True, soft_wrap=True)
    try:
        source = open_catalog(path)
    except UnreadableFile as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        sys.exit(EXIT_UNREADABLE)

    progress = Progress(
        TextColumn("importing"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[count]:>7,} records"),
        TextColumn("{task.fields[rate]:>6,.0f} records/s"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=False,
    )
    task = progress.add_task("import", total=source.size, rate=0.0, count=0)

    imported = {"count": 0}

    def on_batch(summary: ImportSummary) -> None:
        imported["count"] = summary.total
        elapsed = progress.tasks[task].elapsed or 1e-9
        progress.update(
            task, completed=source.bytes_read(), count=summary.total, rate=summary.total / elapsed
        )

    def on_reject(rejection) -> None:
        progress.console.print(f"[yellow]rejected[/] {rejection}", highlight=False)

    batch = batch_size or int(conf.get("KANSOU_IMPORT_BATCH"))
    unreadable = None
    with progress:
        try:
            summary = catalog_import(
                records=source.records(), batch_size=batch, on_batch=on_batch, on_reject=on_reject
            )
        except UnreadableFile as exc:
            unreadable = exc
            summary = None
    if unreadable:
        err.print(f"[red]error:[/] {unreadable}", highlight=False)
        if imported["count"]:
            err.print(
                f"The {imported['count']:,} records before that point were imported; "
                "fix the file and import it again to finish.",
                highlight=False,
            )
        sys.exit(EXIT_UNREADABLE)
    if summary.created or summary.updated:
        from kansou.core.pagecache import pages_changed

        pages_changed()
    click.echo(
        f"{summary.total} records: {summary.created} created, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {summary.rejected} rejected"
    )
    click.echo(
        f"imported in {summary.write_seconds:.2f} s"
        + (
            f"; search index refreshed in {summary.refresh_seconds:.2f} s"
            if summary.refresh_seconds >= 0.01
            else ""
        )
    )
    sys.exit(EXIT_REJECTED if summary.rejected else 0)


@catalog.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects.")
def find(query: str, limit: int, as_json: bool) -> None:
    """Find anime by any title, in any language, typos forgiven.

    Example: kansou catalog find "a silent voice" --json
    """
    from kansou.cli import catalog_ready

    catalog_ready()
    from kansou.catalog.selectors import anime_find

    matches = anime_find(query=query, limit=limit)
    if as_json:
        click.echo(json.dumps([_as_json(m) for m in matches], ensure_ascii=False, indent=2))
        return
    if not matches:
        click.echo(f"No anime matches {query!r}.")
        return
    for match in matches:
        anime = match.anime
        also = f"  (as “{match.matched_title}”)" if match.matched_title != anime.title else ""
        year = anime.year or "?"
        click.echo(f"{anime.pk:>6}  {anime.title} — {anime.get_kind_display()}, {year}{also}")


def _as_json(match) -> dict:
    anime = match.anime
    return {
        "id": anime.pk,
        "title": anime.title,
        "type": anime.kind,
        "year": anime.year,
        "episodes": anime.episodes,
        "score": anime.score,
        "matched_title": match.matched_title,
        "similarity": round(match.similarity, 1),
        "sources": [ext.url for ext in anime.external_ids.all()],
    }


@catalog.command("images")
@click.option(
    "--rate",
    type=click.FloatRange(0.1, 20),
    default=2.0,
    show_default=True,
    help="Requests per second at most (be kind to the image hosts).",
)
@click.option("--timeout", type=click.FloatRange(1, 120), default=20.0, show_default=True,
              help="Seconds to wait for one image.")  # fmt: skip
@click.option("--max-mb", type=click.FloatRange(0.1, 50), default=10.0, show_default=True,
              help="Largest image accepted, in MB.")  # fmt: skip
@click.option("--limit", type=click.IntRange(1), default=None, help="Fetch at most N posters.")
@click.option("--id", "anime_ids", type=int, multiple=True, help="Only this anime (repeatable).")
@click.option("--retry-failed", is_flag=True, help="Try again URLs that failed 3 times.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def images(rate, timeout, max_mb, limit, anime_ids, retry_failed, quiet) -> None:
    """Fetch each anime's poster once into the site's storage, with resized copies.

    Posters are then served from this site at the right size instead of from AniList or Kitsu;
    an anime without one shows a generated cover. Resumable: stored posters are skipped, and a
    URL that failed 3 times is left alone until --retry-failed. Polite: at most --rate requests
    a second, a User-Agent naming Kansou, a timeout and a size cap. Exit status 0: every poster
    tried was stored; 1: some failed (each printed with its reason).

    Example: kansou catalog images --rate 1 --limit 500
    """
    from kansou.cli import catalog_ready

    catalog_ready()
    from kansou.catalog.images.fetching import Fetcher
    from kansou.catalog.images.services import poster_tasks, posters_fetch

    tasks = poster_tasks(retry_failed=retry_failed, anime_ids=list(anime_ids) or None)
    tasks = tasks[:limit] if limit else tasks
    fetcher = Fetcher(rate=rate, timeout=timeout, max_bytes=int(max_mb * 1024 * 1024))
    err = Console(stderr=True, soft_wrap=True)
    progress = Progress(
        TextColumn("posters"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.completed:>6,}/{task.total:,}"),
        TextColumn("{task.fields[failed]:,} failed"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
    )
    job = progress.add_task("posters", total=len(tasks), failed=0)
    stored = failed = 0
    with progress:
        for outcome in posters_fetch(tasks=tasks, fetcher=fetcher):
            if outcome.stored:
                stored += 1
            else:
                failed += 1
                progress.console.print(
                    f"[yellow]failed[/] #{outcome.task.anime_id} {outcome.task.title}: "
                    f"{outcome.error}",
                    highlight=False,
                )
            progress.update(job, advance=1, failed=failed)
    if stored:
        from kansou.core.pagecache import pages_changed

        pages_changed()
    click.echo(
        f"{len(tasks)} posters to fetch: {stored} stored, {failed} failed "
        f"({fetcher.requests} requests, {fetcher.waited:.1f} s waited for the rate limit)"
    )
    sys.exit(EXIT_REJECTED if failed else 0)
