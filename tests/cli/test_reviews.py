"""``kansou reviews import`` and ``kansou reviews export`` as a user runs them."""

from __future__ import annotations

from importlib import resources

import pytest
from click.testing import CliRunner

from kansou.cli import cli
from kansou.reviews.models import Review
from tests.reviews.test_documents import FILE, catalog  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_import_a_folder_then_again_reports_unchanged(tmp_path, catalog):  # noqa: F811
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "koe.md").write_text(FILE)
    first = run("reviews", "import", str(tmp_path))
    assert first.exit_code == 0, first.stderr
    assert "koe.md: created /reviews/a-silent-voice/" in first.output
    assert "new inactive author 'ana'" in first.output
    again = run("reviews", "import", str(tmp_path))
    assert "koe.md: unchanged" in again.output


def test_a_bad_file_is_reported_with_line_and_field_and_others_still_import(tmp_path, catalog):  # noqa: F811
    (tmp_path / "a-good.md").write_text(FILE)
    (tmp_path / "b-bad.md").write_text(FILE.replace("score: 9.5", "score: ten").replace(
        "slug: a-silent-voice", "slug: other"))  # fmt: skip
    result = run("reviews", "import", str(tmp_path))
    assert result.exit_code == 1
    assert "b-bad.md, line 8: field 'score': expected a number from 0 to 10" in result.stderr
    assert "1 file(s) failed." in result.stderr
    assert list(Review.objects.values_list("slug", flat=True)) == ["a-silent-voice"]


def test_export_writes_one_file_per_review_that_imports_unchanged(tmp_path, catalog):  # noqa: F811
    source = tmp_path / "in.md"
    source.write_text(FILE)
    run("reviews", "import", str(source))
    result = run("reviews", "export", str(tmp_path / "out"))
    assert "Exported 1 review(s)" in result.output
    exported = tmp_path / "out" / "a-silent-voice.md"
    assert "title: A Silent Voice" in exported.read_text()
    assert "unchanged" in run("reviews", "import", str(exported)).output


def test_demo_reviews_are_valid_files():
    from kansou.reviews.frontmatter import parse

    folder = resources.files("kansou.reviews") / "demo"
    files = [f for f in folder.iterdir() if f.name.endswith(".md")]
    assert len(files) >= 2
    for file in files:
        doc = parse(file.read_text(encoding="utf-8"), source=file.name)
        assert doc.audience and doc.characters and doc.themes and doc.final_thoughts
        assert doc.labels and any(":::" in s.body for s in doc.sections)
        assert all(a.comparable for a in doc.audience[:2])


def test_an_invalid_author_name_is_reported_and_the_other_files_still_import(tmp_path, catalog):  # noqa: F811
    (tmp_path / "a-bad.md").write_text(FILE.replace("authors: [ana, ben]",
                                                    'authors: ["no spaces allowed"]'))  # fmt: skip
    (tmp_path / "b-good.md").write_text(FILE)
    result = run("reviews", "import", str(tmp_path))
    assert result.exit_code == 1
    assert "a-bad.md, line 5: field 'authors.0': 'no spaces allowed' is not" in result.stderr
    assert "b-good.md: created /reviews/a-silent-voice/" in result.output
    assert list(Review.objects.values_list("slug", flat=True)) == ["a-silent-voice"]
