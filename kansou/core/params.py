"""Whole numbers from query strings, forms and paths, range-checked before anything uses them.

A number a visitor typed must never reach the database unchecked: SQLite refuses integers past
64 bits with ``OverflowError`` and PostgreSQL with an error, both answered 500; and ``int()`` on
thousands of digits raises ``ValueError`` (Python's digit limit) after quadratic work. Every
integer parameter goes through :func:`int_param` (or, in the API, a pydantic field with ``ge``
and ``le``, using :data:`DB_INT_MAX`); out of range reads as absent.
"""

from __future__ import annotations

from collections.abc import Iterable

DB_INT_MAX = 2**63 - 1  # the largest BigAutoField id, and PostgreSQL's bigint
_MAX_DIGITS = len(str(DB_INT_MAX))


def int_param(value: object, *, low: int = 0, high: int = DB_INT_MAX) -> int | None:
    """``value`` as a whole number from ``low`` to ``high``, else None (absent, not digits,
    or out of range).

    >>> int_param(" 42 "), int_param("99999999999999999999"), int_param("-1"), int_param("²")
    (42, None, None, None)
    """
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > _MAX_DIGITS:
        return None
    number = int(text)
    return number if low <= number <= high else None


def id_params(values: Iterable[object], *, limit: int) -> list[int]:
    """The valid database ids among the first ``limit`` values, in order, without repeats."""
    ids: dict[int, None] = {}
    for value in list(values)[:limit]:
        number = int_param(value, low=1)
        if number is not None:
            ids.setdefault(number, None)
    return list(ids)
