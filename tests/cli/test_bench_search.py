"""``kansou bench --section search``: search() next to its raw SQL, on the catalog and on a
synthetic one several times its size. Numbers are printed, never asserted."""

from __future__ import annotations

import pytest

from kansou.catalog.models import Anime, AnimeTitle
from kansou.cli.bench_search import print_search_bench, run_search_bench
from kansou.discovery.search.models import SearchDocument
from tests.catalog.factories import AnimeFactory, AnimeTitleFactory

pytestmark = pytest.mark.django_db


def test_the_bench_times_search_and_its_sql_at_each_scale_and_leaves_the_catalog_as_it_was(
    tmp_path, capsys
):
    for title in ("Koe no Katachi", "Cowboy Bebop", "Look Back"):
        AnimeTitleFactory(anime=AnimeFactory(title=title), text=f"{title} (TV)")
    queries = tmp_path / "queries.txt"
    queries.write_text("# a comment\nkoe no katachi\ncowboy bebob\nlook\n", encoding="utf-8")

    result = run_search_bench(queries_path=queries, repeat=1, scales=(1, 3))
    print_search_bench(result)

    assert result["queries"] == 3
    assert [row["scale"] for row in result["scales"]] == [1, 3]
    assert [row["documents"] for row in result["scales"]] == [3, 9]
    for row in result["scales"]:
        assert row["search"]["p50_ms"] > 0 and row["sql"]["p95_ms"] > 0
    assert "overhead p50" in capsys.readouterr().out
    assert (Anime.objects.count(), AnimeTitle.objects.count()) == (3, 6)
    assert SearchDocument.objects.count() == 3
