"""``kansou lists import`` and ``kansou lists export`` as a user runs them."""

from __future__ import annotations

import gzip

import pytest
from click.testing import CliRunner

from kansou.cli import cli
from kansou.community.models import ListEntry
from tests.community.factories import UserFactory, mal_anime
from tests.community.mal_files import anime, gzipped, mal_xml

pytestmark = pytest.mark.django_db


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_import_reports_unmatched_and_rejected_entries_and_exits_1(tmp_path):
    UserFactory(username="mai")
    mal_anime(1, title="Cowboy Bebop", episodes=26)
    path = tmp_path / "animelist_1_-_2.xml.gz"
    path.write_bytes(
        gzipped(mal_xml(anime(1), anime(2, "Missing"), anime(3, "Odd", my_status="Binging")))
    )

    result = run("lists", "import", "mai", str(path))

    assert result.exit_code == 1
    assert "not in the catalog: MAL id 2 'Missing'" in result.output
    assert "entry 3 (MAL id 3, 'Odd'): my_status: unknown value 'Binging'" in result.output
    assert "mai: 1 added, 0 updated, 0 kept as they were, 1 not in the catalog, 1 rejected" in (
        result.output
    )
    assert ListEntry.objects.count() == 1


def test_import_of_an_unreadable_file_exits_2(tmp_path):
    UserFactory(username="mai")
    path = tmp_path / "broken.xml"
    path.write_bytes(b"<myanimelist><anime>")
    result = run("lists", "import", "mai", str(path))
    assert result.exit_code == 2
    assert "Malformed XML" in result.output


def test_unknown_reader_is_a_clear_error(tmp_path):
    path = tmp_path / "a.xml"
    path.write_bytes(mal_xml())
    result = run("lists", "import", "ghost", str(path))
    assert result.exit_code == 1
    assert "no reader named 'ghost'" in result.output


def test_export_xml_gz_imports_back_and_csv_goes_to_stdout(tmp_path):
    mai, ren = UserFactory(username="mai"), UserFactory(username="ren")
    mal_anime(1, episodes=26)
    source = tmp_path / "in.xml"
    source.write_bytes(mal_xml(anime(1, my_score=7, my_watched_episodes=20)))
    assert run("lists", "import", "mai", str(source)).exit_code == 0

    out = tmp_path / "out.xml.gz"
    assert run("lists", "export", "mai", str(out)).exit_code == 0
    assert b"<my_score>7</my_score>" in gzip.decompress(out.read_bytes())
    assert run("lists", "import", "ren", str(out)).exit_code == 0
    assert ListEntry.objects.of_user(ren).get().score == 7

    csv_result = run("lists", "export", "mai", "-", "--format", "csv")
    assert csv_result.output.splitlines()[0].startswith("anime_id,mal_id,title")
    assert ListEntry.objects.of_user(mai).count() == 1
