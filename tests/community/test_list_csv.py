"""The CSV writer: header, empty cells, booleans and formula-looking text."""

from kansou.community.list_csv import COLUMNS, write_list_csv


def test_header_only_for_an_empty_list():
    assert write_list_csv([]) == ",".join(COLUMNS) + "\r\n"


def test_none_is_empty_booleans_are_0_or_1_and_formulas_are_defused():
    text = write_list_csv(
        [{"title": "+cmd", "score": -1, "rewatching": True, "notes": "@SUM(A1)", "tags": None}]
    )
    row = text.splitlines()[1].split(",")
    values = dict(zip(COLUMNS, row, strict=True))
    assert values["title"] == "'+cmd"
    assert values["score"] == "-1"  # numbers are never prefixed
    assert values["rewatching"] == "1"
    assert values["notes"] == "'@SUM(A1)"
    assert values["tags"] == ""
