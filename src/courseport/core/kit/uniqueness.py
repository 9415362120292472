"""Unique values callers choose (SIS ids, integration ids): checked before the write, so a clash is
refused naming the field instead of surfacing as the database's integrity error. SIS ids are unique
per tenant (root account): callers pass `within`, the conditions that keep the check to one tenant."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session


def held_by_another(db: Session, column: InstrumentedAttribute[Any], value: Any, row_id: int | None,
                    *within: Any) -> bool:
    """Whether a row other than `row_id` (None: a row not yet stored) holds `value` in `column`,
    among the rows matching `within` (SQL conditions; none: the whole store)."""
    id_column = column.class_.id
    stmt = select(id_column).where(column == value, *within)
    if row_id is not None:
        stmt = stmt.where(id_column != row_id)
    return db.scalar(stmt.limit(1)) is not None
