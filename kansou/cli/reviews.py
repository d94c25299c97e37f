"""``kansou reviews``: reviews as Markdown files with YAML front matter (docs/review-format.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_FAILED = 1


@click.group()
def reviews() -> None:
    """Reviews as files: import them, export them."""


@reviews.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def import_(paths: tuple[Path, ...]) -> None:
    """Create or update reviews from Markdown files (folders are searched for *.md).

    Reviews are matched by slug, so importing the same files again changes nothing. Each file
    imports whole or not at all; a bad file is reported with its line and field and the others
    still import. Exit status: 0 all imported, 1 some files failed.

    Example: kansou reviews import reviews/
    """
    from kansou.cli import migrate, setup_django

    setup_django()
    migrate()
    from django.core.exceptions import ValidationError
    from django.db import DatabaseError

    from kansou.reviews.documents import review_files, review_import_path
    from kansou.reviews.frontmatter import FormatError

    failed = 0
    for path in review_files(list(paths)):
        try:
            result = review_import_path(path=path)
        except (FormatError, OSError, UnicodeDecodeError) as exc:
            failed += 1
            click.echo(f"error: {exc}", err=True)
            continue
        except (ValidationError, DatabaseError) as exc:
            # A check the file format does not know of yet: name the file, go on with the rest
            # (the file's transaction is rolled back).
            failed += 1
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else exc
            click.echo(f"error: {path}: refused: {message}", err=True)
            continue
        click.echo(f"{path}: {result.action} {result.review.get_absolute_url()}")
        for name in result.new_authors:
            click.echo(f"{path}: new inactive author {name!r} (activate it in the admin)")
    if failed:
        click.echo(f"{failed} file(s) failed.", err=True)
        sys.exit(EXIT_FAILED)


@reviews.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--published-only", is_flag=True, help="Leave drafts and scheduled reviews out.")
def export(directory: Path, published_only: bool) -> None:
    """Write every review to DIRECTORY/<slug>.md, in the format `reviews import` reads.

    Example: kansou reviews export backup/reviews
    """
    from kansou.cli import migrate, setup_django

    setup_django()
    migrate()
    from kansou.reviews.documents import review_export
    from kansou.reviews.models import Review

    directory.mkdir(parents=True, exist_ok=True)
    qs = Review.objects.published() if published_only else Review.objects.all()
    count = 0
    for review in qs.order_by("slug"):
        review_export(review=review, directory=directory)
        count += 1
    click.echo(f"Exported {count} review(s) to {directory}.")
