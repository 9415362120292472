"""Store ids from text: the one test of whether a reference is a row id.

Ids and every other integer column are `Integer`: 32-bit signed on PostgreSQL, which refuses a larger
number outright (`integer out of range`) even in a comparison. `str.isdigit` alone is not the test
either: it accepts digits `int()` refuses ("³").
"""

from __future__ import annotations

from typing import Any

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # what an integer column holds on every store


def store_id(ref: Any) -> int | None:
    """The id `ref` spells (ASCII digits, optionally surrounded by spaces), or None when it spells none."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        return ref if 0 <= ref <= INT_MAX else None
    text = str(ref).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if number <= INT_MAX else None


def is_id(ref: Any) -> bool:
    return store_id(ref) is not None
