"""``kansou lists``: import and export readers' anime lists (MyAnimeList XML, CSV)."""

from __future__ import annotations

import gzip
import sys

import click

EXIT_REJECTED = 1
EXIT_UNREADABLE = 2


@click.group()
def lists() -> None:
    """Readers' anime lists: import a MyAnimeList export, export as MAL XML or CSV."""


def _reader(username: str):
    from django.contrib.auth import get_user_model

    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise click.ClickException(f"no reader named {username!r}") from None


@lists.command("import")
@click.argument("username")
@click.argument("file", type=click.File("rb"))
@click.option("--overwrite", is_flag=True, help="Overwrite entries already on the list.")
def import_(username: str, file, overwrite: bool) -> None:
    """Import a MyAnimeList export (animelist_*.xml or .xml.gz) into USERNAME's list.

    Entries are matched by MAL id; entries the catalog lacks are listed and skipped, bad
    entries are listed with their position and field, and the rest is imported in one
    transaction. An entry already on the list is replaced when the file says
    update_on_import 1 or with --overwrite. Exit status: 0 all imported, 1 some entries
    rejected, 2 the file could not be read.

    Example: kansou lists import ayaka animelist_1700000000_-_123456.xml.gz
    """
    from kansou.cli import migrate, setup_django

    setup_django()
    migrate()
    from kansou.catalog.importers.mal_xml import MalXmlError, read_mal_file
    from kansou.community.services import anime_list_import_mal

    user = _reader(username)
    try:
        export = read_mal_file(file)
    except MalXmlError as exc:
        click.echo(f"error: {file.name}: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    report = anime_list_import_mal(user=user, export=export, overwrite=overwrite)
    for mal_id, title in report.unmatched:
        click.echo(f"not in the catalog: MAL id {mal_id} {title!r}", err=True)
    for problem in report.rejected:
        click.echo(f"rejected {file.name}: {problem}", err=True)
    click.echo(f"{username}: {report}.")
    if report.rejected:
        sys.exit(EXIT_REJECTED)


@lists.command("export")
@click.argument("username")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xml", "csv"]),
    default="xml",
    show_default=True,
    help="MyAnimeList XML or CSV.",
)
def export(username: str, file: str, fmt: str) -> None:
    """Write USERNAME's list to FILE as a MyAnimeList export or as CSV ("-": stdout).

    The XML imports back into Kansou (or MyAnimeList) as the same list; entries whose anime
    has no MyAnimeList id are left out of it (CSV keeps them). A FILE ending in .gz is gzipped.

    Example: kansou lists export ayaka animelist.xml.gz
    """
    from kansou.cli import migrate, setup_django

    setup_django()
    migrate()
    from kansou.community.selectors import anime_list_export_csv, anime_list_export_mal

    user = _reader(username)
    left_out = 0
    if fmt == "xml":
        body, left_out = anime_list_export_mal(owner=user)
    else:
        body = anime_list_export_csv(owner=user).encode("utf-8")
    if file.endswith(".gz"):
        body = gzip.compress(body)
    with click.open_file(file, "wb") as out:
        out.write(body)
    if left_out:
        click.echo(f"{left_out} entries have no MyAnimeList id and were left out.", err=True)
