"""``kansou import``: move in from a hosted blog (Blogger backup, WordPress WXR export)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_FAILED = 1
EXIT_UNREADABLE = 2


@click.group("import")
def import_group() -> None:
    """Move in from a hosted blog: posts become reviews, old paths redirect to them."""


def _run(reader_name: str, file: Path, author_name: str, images: bool = True) -> None:
    from kansou.cli import migrate, setup_django

    setup_django()
    migrate()
    from django.contrib.auth import get_user_model

    from kansou.reviews.blog_import import blog_import
    from kansou.reviews.importers import ReadError, blogger, wordpress

    reader = {"blogger": blogger.read, "wordpress": wordpress.read}[reader_name]
    author = get_user_model().objects.filter(username=author_name).first()
    if author is None:
        raise click.ClickException(f"no user named {author_name!r} (the reviews' author)")
    try:
        export = reader(file.read_bytes(), source=str(file))
    except (ReadError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    from kansou.catalog.images.fetching import Fetcher

    report = blog_import(export=export, author=author, comment_writer=_comment_writer(),
                         image_fetcher=Fetcher() if images else None)  # fmt: skip
    _print(report)
    if report.having("failed"):
        sys.exit(EXIT_FAILED)


def _comment_writer():
    """The community app's ``comment_import``, when that app has it."""
    try:
        from kansou.community.comments.services import comment_import
    except ImportError:
        return None
    return comment_import


def _print(report) -> None:
    for outcome in report.outcomes:
        review = outcome.review
        if outcome.action in ("created", "unchanged"):
            linked = f" → {outcome.anime}" if outcome.anime else " (no anime linked)"
            click.echo(f"{outcome.action}: {review.get_absolute_url()} {outcome.title!r}"
                       f" [{review.status}]{linked}")  # fmt: skip
        else:
            click.echo(f"{outcome.action}: {outcome.title!r}: {outcome.reason}")
        for warning in outcome.warnings:
            click.echo(f"  warning: {warning}")
    for outcome in report.unmatched:
        reasons = "; ".join(outcome.unmatched) or "imported unlinked before"
        click.echo(f"unmatched: {outcome.title!r}: {reasons}")
    created, unchanged = report.having("created"), report.having("unchanged")
    click.echo(
        f"Summary: {len(created)} imported, {len(unchanged)} unchanged, "
        f"{len(report.having('skipped'))} skipped, {len(report.having('failed'))} failed; "
        f"{len(report.unmatched)} without an anime."
    )
    if report.comments_writer_missing:
        click.echo(f"Comments: {report.comments_found} found, not imported (comments app missing).")
    else:
        click.echo(f"Comments: {report.comments_found} found, {report.comments_imported} imported.")


_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_AUTHOR = click.option("--author", "author_name", required=True, metavar="USERNAME",
                       help="The existing user who becomes the reviews' author.")  # fmt: skip
_IMAGES = click.option(
    "--images/--no-images",
    default=True,
    show_default=True,
    help="Copy the posts' images into this site's storage (politely: 2 requests/s); an image "
    "that cannot be fetched keeps its old URL.",
)


@import_group.command("blogger")
@click.argument("file", type=_FILE)
@_AUTHOR
@_IMAGES
def blogger_command(file: Path, author_name: str, images: bool) -> None:
    """Import a Blogger backup (classic Atom or current "Back up content" XML).

    Posts become reviews (live ones published at their date, drafts as drafts; deleted posts
    and pages are skipped and listed), linked to the anime they name when that is certain;
    sections come from the post's headings, labels are kept, comments imported, and each old
    path (/2025/10/slug.html) redirects permanently to the review. Importing the same file
    again changes nothing. Exit status: 0 imported, 1 some posts failed, 2 unreadable file.

    Example: kansou import blogger blog-10-03-2025.xml --author ayaka
    """
    _run("blogger", file, author_name, images)


@import_group.command("wordpress")
@click.argument("file", type=_FILE)
@_AUTHOR
@_IMAGES
def wordpress_command(file: Path, author_name: str, images: bool) -> None:
    """Import a WordPress export (WXR 1.0–1.2), with the same rules as `import blogger`.

    Example: kansou import wordpress mysite.WordPress.2025-10-03.xml --author ayaka
    """
    _run("wordpress", file, author_name, images)
