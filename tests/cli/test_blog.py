"""``kansou import blogger`` and ``kansou import wordpress`` as a user runs them."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kansou.cli import cli
from kansou.reviews.models import LegacyPath, Review
from tests.reviews.factories import UserFactory
from tests.reviews.importers.conftest import FILES, catalog  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_blogger_import_prints_what_was_imported_skipped_and_unmatched(catalog):  # noqa: F811
    pytest.importorskip("kansou.community.comments.services")
    UserFactory(username="ayaka")
    result = run("import", "blogger", str(FILES / "blogger-classic.xml"), "--author", "ayaka")
    assert result.exit_code == 0, result.output
    assert ("created: /reviews/why-koe-no-katachi-broke-me/ 'Why Koe no Katachi broke me: a "
            "review' [published] → Koe no Katachi") in result.output  # fmt: skip
    assert "skipped: 'About me': a page, not a post" in result.output
    assert "unmatched: 'My top 10 of 2024': the title reads like a list post" in result.output
    assert "Summary: 3 imported, 0 unchanged, 1 skipped, 0 failed; 1 without an anime." in (
        result.output
    )
    assert "Comments: 3 found, 3 imported." in result.output


def test_wordpress_import_twice_changes_nothing(catalog):  # noqa: F811
    UserFactory(username="ayaka")
    args = ("import", "wordpress", str(FILES / "wordpress.xml"), "--author", "ayaka")
    run(*args)
    reviews, paths = Review.objects.count(), LegacyPath.objects.count()
    again = run(*args)
    assert "Summary: 0 imported, 3 unchanged, 2 skipped, 0 failed" in again.output
    assert (Review.objects.count(), LegacyPath.objects.count()) == (reviews, paths)


def test_unknown_author_is_an_error(catalog):  # noqa: F811
    result = run("import", "wordpress", str(FILES / "wordpress.xml"), "--author", "nobody")
    assert result.exit_code == 1
    assert "no user named 'nobody'" in result.output
    assert not Review.objects.exists()


def test_unsafe_or_wrong_file_exits_2_naming_it(tmp_path, catalog):  # noqa: F811
    UserFactory(username="ayaka")
    bad = tmp_path / "laughs.xml"
    bad.write_bytes(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aa">]><feed>&a;</feed>')
    result = run("import", "blogger", str(bad), "--author", "ayaka")
    assert result.exit_code == 2
    assert f"error: {bad}: unsafe XML refused" in result.stderr
