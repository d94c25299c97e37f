"""``kansou similar`` and ``kansou recommend``: what the trained models say, from the shell."""

from __future__ import annotations

import json

import click


def _print(suggestions, as_json: bool, empty: str) -> None:
    if as_json:
        payload = [
            {
                "id": s.anime.pk,
                "title": s.anime.title,
                "type": s.anime.kind,
                "year": s.anime.year,
                "score": round(s.score, 4),
                "reasons": s.reasons,
            }
            for s in suggestions
        ]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not suggestions:
        click.echo(empty)
    for rank, s in enumerate(suggestions, start=1):
        year = s.anime.year or "year unknown"
        click.echo(f"{rank:>2}. {s.anime.title} ({s.anime.kind}, {year})  #{s.anime.pk}")
        for reason in s.reasons:
            click.echo(f"      · {reason}")


@click.command()
@click.argument("query")
@click.option("--k", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects.")
def similar(query, k, as_json) -> None:
    """Anime like QUERY (a title in any language, or #id), from the precomputed neighbour table;
    without a trained model, by shared tags.

    Example: kansou similar "a silent voice" --k 5 --json
    """
    from kansou.cli import catalog_ready

    catalog_ready()
    from kansou.catalog.models import Anime
    from kansou.catalog.selectors import anime_find
    from kansou.discovery.selectors import anime_more_like_this

    if query.startswith("#") and query[1:].isdigit():
        anime = Anime.objects.filter(pk=int(query[1:])).first()
    else:
        matches = anime_find(query=query, limit=1)
        anime = matches[0].anime if matches else None
    if anime is None:
        raise click.ClickException(f"no anime matches {query!r}")
    if not as_json:
        click.echo(f"Like {anime.title} (#{anime.pk}):")
    _print(anime_more_like_this(anime=anime, n=k), as_json, "Nothing similar found.")


@click.command()
@click.option("--mal-export", "mal_export", required=True,
              type=click.Path(exists=True, dir_okay=False),
              help="A MyAnimeList export (animelist_*.xml or .xml.gz).")  # fmt: skip
@click.option("--k", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--type", "types", multiple=True, help="Only this type (repeatable): TV, MOVIE…")
@click.option("--year-from", type=int, help="Aired in or after this year.")
@click.option("--year-to", type=int, help="Aired in or before this year.")
@click.option("--max-episodes", type=click.IntRange(1), help="At most this many episodes.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects.")
def recommend(mal_export, k, types, year_from, year_to, max_episodes, as_json) -> None:
    """Recommendations for the list in a MyAnimeList export, leaving out everything on it.

    Example: kansou recommend --mal-export animelist.xml.gz --type TV --max-episodes 26
    """
    from kansou.cli import catalog_ready

    catalog_ready()
    from kansou.catalog.importers.mal_xml import MalXmlError, read_mal_file
    from kansou.discovery.selectors import (
        RecommendationFilters,
        recommendations_for_mal_export,
    )

    try:
        with open(mal_export, "rb") as handle:
            export = read_mal_file(handle)
    except MalXmlError as exc:
        raise click.ClickException(f"{mal_export}: {exc}") from None
    filters = RecommendationFilters(tuple(types), year_from, year_to, max_episodes)
    result = recommendations_for_mal_export(export=export, filters=filters, n=k)
    if not result.available:
        raise click.ClickException("no trained model: run kansou train first")
    if not as_json:
        click.echo(
            f"{len(export.entries)} entries, {result.used} used as taste, {result.unknown} not in "
            "the model."
        )
    _print(result.suggestions, as_json, "No recommendations match these filters.")
