"""Store ids from text: the one test of whether a reference is a row id.

Ids are 64-bit signed integers. `str.isdigit` alone is not that test: it accepts digits `int()`
refuses ("³") and numbers no row can have (past 2**63 - 1, which the database driver refuses).
"""

from __future__ import annotations

from typing import Any

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def store_id(ref: Any) -> int | None:
    """The id `ref` spells (ASCII digits, optionally surrounded by spaces), or None when it spells none."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        return ref if 0 <= ref <= INT64_MAX else None
    text = str(ref).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if number <= INT64_MAX else None


def is_id(ref: Any) -> bool:
    return store_id(ref) is not None
