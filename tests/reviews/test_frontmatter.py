"""Review files: the front-matter format read and written without a database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from textwrap import dedent

import pytest

from kansou.reviews.frontmatter import (
    Audience,
    Character,
    FormatError,
    ReviewDocument,
    Section,
    Theme,
    dump,
    parse,
    slugify,
)

FULL = dedent(
    """\
    ---
    title: "A Silent Voice: looking up"
    slug: a-silent-voice
    anime: Koe no Katachi
    authors: [ana, ben]
    status: published
    publish_at: 2024-03-02 09:00
    score: 9.5
    labels: [Tearjerker]
    summary: A short summary.
    audience:
      - name: Quiet drama fans
        why: |
          Because it is *quiet*.

          Second paragraph.
        comparable: [Clannad, "https://anidb.net/anime/8181", "#12"]
    characters:
      - name: Shouya
        text: A former bully.
    themes:
      - name: Atonement
        text: No receipts.
    final_thoughts: Bring tissues.
    sections:
      - heading: The bridge
        body: "::: spoiler\\nHidden.\\n:::"
    ---

    The *introduction*.
    """
)


def test_a_full_file_is_read_field_by_field():
    doc = parse(FULL, source="koe.md")
    assert doc == ReviewDocument(
        title="A Silent Voice: looking up",
        slug="a-silent-voice",
        anime="Koe no Katachi",
        authors=["ana", "ben"],
        status="published",
        publish_at=dt.datetime(2024, 3, 2, 9, 0, tzinfo=dt.UTC),
        score=Decimal("9.5"),
        labels=["Tearjerker"],
        summary="A short summary.",
        audience=[
            Audience(
                "Quiet drama fans",
                "Because it is *quiet*.\n\nSecond paragraph.",
                ["Clannad", "https://anidb.net/anime/8181", "#12"],
            )
        ],
        characters=[Character("Shouya", "A former bully.")],
        themes=[Theme("Atonement", "No receipts.")],
        final_thoughts="Bring tissues.",
        sections=[Section("The bridge", "::: spoiler\nHidden.\n:::")],
        intro="The *introduction*.",
    )


def test_dump_then_parse_gives_the_same_document():
    doc = parse(FULL)
    assert parse(dump(doc)) == doc
    assert dump(parse(dump(doc))) == dump(doc)


def test_dump_writes_multi_line_text_as_literal_blocks():
    text = dump(parse(FULL))
    assert "why: |-\n    Because it is *quiet*.\n\n    Second paragraph." in text
    assert text.endswith("---\n\nThe *introduction*.\n")


def test_minimal_file_gets_defaults():
    doc = parse("---\ntitle: Shirobako!\nauthors: ana\n---\nBody")
    assert (doc.slug, doc.status, doc.authors, doc.score, doc.anime) == (
        "shirobako", "draft", ["ana"], None, None,
    )  # fmt: skip


def test_slugify_keeps_ascii_letters_and_digits():
    assert slugify("Koe no Katachi — 2016 (Movie)!") == "koe-no-katachi-2016-movie"
    assert slugify("Ōkami Kodomo") == "okami-kodomo"


def _error(text: str) -> FormatError:
    with pytest.raises(FormatError) as info:
        parse(dedent(text), source="bad.md")
    return info.value


def test_bad_yaml_names_file_and_line():
    error = _error(
        """\
        ---
        title: Fine
        authors: [ana
        score: 3
        ---
        """
    )
    assert error.source == "bad.md" and error.line in (3, 4, 5)
    assert str(error).startswith(f"bad.md, line {error.line}: invalid YAML")


def test_unknown_field_names_its_line():
    error = _error("---\ntitle: x\nauthors: [a]\nrating: 5\n---\n")
    assert (error.line, error.field) == (4, "rating")
    assert "unknown field" in str(error)


def test_unknown_field_inside_a_list_item_names_its_path():
    error = _error("---\ntitle: x\nauthors: [a]\nthemes:\n  - name: t\n    txt: oops\n---\n")
    assert (error.line, error.field) == (6, "themes.0.txt")


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ("score: ten", "score", "expected a number from 0 to 10"),
        ("score: 11", "score", "expected a number from 0 to 10"),
        ("score: 7.25", "score", "one decimal"),
        ("status: live", "status", "expected one of draft, scheduled, published"),
        ("publish_at: someday", "publish_at", "expected a date and time"),
        ("labels: {a: 1}", "labels", "expected a list of text"),
        ("summary: [a, b]", "summary", "expected text, got a list"),
        ("themes: nope", "themes", "expected a list"),
        ("slug: Not A Slug", "slug", "lowercase letters"),
    ],
)
def test_wrong_type_names_the_field_and_its_line(line, field, message):
    error = _error(f"---\ntitle: x\nauthors: [a]\n{line}\n---\n")
    assert (error.line, error.field) == (4, field)
    assert message in error.message


def test_required_fields_are_required():
    assert _error("---\nauthors: [a]\n---\n").field == "title"
    assert _error("---\ntitle: x\n---\n").field == "authors"
    error = _error("---\ntitle: x\nauthors: [a]\ncharacters:\n  - text: no name\n---\n")
    assert (error.field, error.line) == ("characters.0.name", 5)


def test_scheduled_needs_a_time():
    error = _error("---\ntitle: x\nauthors: [a]\nstatus: scheduled\n---\n")
    assert error.field == "publish_at"


def test_file_must_start_with_front_matter():
    assert _error("# Just Markdown\n").line == 1
    assert "no closing" in _error("---\ntitle: x\n").message


def test_naive_times_are_utc_and_zoned_times_are_converted():
    doc = parse("---\ntitle: x\nauthors: [a]\npublish_at: 2024-03-02T18:00:00+09:00\n---\n")
    assert doc.publish_at == dt.datetime(2024, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_control_characters_and_lone_surrogates_are_stripped_from_text_and_body():
    """The database refuses NUL (PostgreSQL) and lone surrogates; none is meant in a review."""
    text = (
        '---\ntitle: "Bad\\0 \\x1b[31mtitle\\ud800"\nauthors: ["ana\\0"]\n'
        'summary: "tab\\tand\\nnewline stay"\n---\n\nBody\x00 with\x07 bell.\r\n'
    )
    doc = parse(text)
    assert doc.title == "Bad [31mtitle"
    assert doc.authors == ["ana"]
    assert doc.summary == "tab\tand\nnewline stay"
    assert doc.intro == "Body with bell."
