"""``kansou search``: query the search index from the shell, and rebuild it."""

from __future__ import annotations

import json
import time

import click


@click.group()
def search() -> None:
    """Search anime and reviews; rebuild the search index."""


@search.command()
@click.argument("query")
@click.option("--type", "types", multiple=True, help="Anime type (repeatable): TV, MOVIE, OVA…")
@click.option("--year-from", type=int, help="First year.")
@click.option("--year-to", type=int, help="Last year.")
@click.option("--tag", default="", help="Tag slug.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print results and facets as JSON.")
def find(query, types, year_from, year_to, tag, limit, as_json) -> None:
    """Find anime and reviews by title (any language, typos tolerated), words or themes.

    Example: kansou search find "bounty hunters in space" --type TV
    """
    from pydantic import ValidationError

    from kansou.cli import catalog_ready

    catalog_ready()
    from kansou.discovery.search import SearchFilters
    from kansou.discovery.search import search as run_search

    try:
        filters = SearchFilters(
            q=query, type=list(types), year_from=year_from, year_to=year_to, tag=tag
        )
    except ValidationError as error:
        raise click.ClickException(str(error)) from None
    results = run_search(filters=filters, page_size=limit)
    if as_json:
        payload = {
            "count": results.total,
            "results": [_hit_json(hit) for hit in results.hits],
            "facets": {
                name: [{"value": f.value, "label": f.label, "count": f.count} for f in group]
                for name, group in results.facets.items()
            },
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not results.hits:
        click.echo(f"Nothing matches {query!r}.")
        return
    click.echo(f"{results.total} matches")
    for hit in results.hits:
        also = (
            f" (matched “{hit.matched_title}”)" if hit.matched_title not in ("", hit.title) else ""
        )
        year = hit.year or "year unknown"
        click.echo(f"{hit.kind:>6}  {hit.title} — {hit.anime_type}, {year}{also}  {hit.url}")


def _hit_json(hit) -> dict:
    return {
        "kind": hit.kind,
        "title": hit.title,
        "url": hit.url,
        "anime_id": hit.anime_id,
        "review_id": hit.review_id,
        "type": hit.anime_type,
        "year": hit.year,
        "matched_title": hit.matched_title,
        "score": round(hit.score, 4),
    }


@search.command()
def reindex() -> None:
    """Rebuild the whole search index from the catalog and published reviews.

    Example: kansou search reindex
    """
    from kansou.cli import migrate, setup_django

    setup_django()
    migrate()
    from kansou.discovery.search.index import search_reindex

    start = time.perf_counter()
    written = search_reindex()
    click.echo(f"{written} documents indexed in {time.perf_counter() - start:.1f} s.")
