"""Whole-number parameters: range-checked, never an OverflowError or a 4,300-digit int()."""

from __future__ import annotations

import pytest

from kansou.core.params import DB_INT_MAX, id_params, int_param


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        ("0", 0),
        (str(DB_INT_MAX), DB_INT_MAX),
        (str(DB_INT_MAX + 1), None),
        ("99999999999999999999", None),
        ("9" * 5000, None),
        ("0" * 30 + "5", 5),
        ("-1", None),
        ("+1", None),
        ("1_000", None),
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits: isdigit() says yes, the database would not
        ("", None),
        (None, None),
    ],
)
def test_int_param(value, expected):
    assert int_param(value) == expected


def test_int_param_bounds_are_inclusive():
    assert int_param("1900", low=1900, high=2100) == 1900
    assert int_param("2101", low=1900, high=2100) is None


def test_id_params_keep_valid_ids_in_order_once_within_the_limit():
    values = ["3", "x", "0", "3", "99999999999999999999", "1", "2"]
    assert id_params(values, limit=6) == [3, 1]
