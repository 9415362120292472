"""Windows over ordered queries: core list functions take a Window and return a Slice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass(frozen=True)
class Window:
    offset: int = 0
    limit: int = 10


@dataclass(frozen=True)
class Slice(Generic[T]):
    items: list[T]
    has_more: bool
    total: int | None = None


def fetch_window(db: Session, stmt: Select[Any], window: Window, *, count: bool = False) -> Slice[Any]:
    """Fetch one window of an ordered select; one extra row tells whether more follow."""
    rows = list(db.scalars(stmt.offset(window.offset).limit(window.limit + 1)))
    total = db.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) if count else None
    return Slice(rows[: window.limit], len(rows) > window.limit, total)


def window_of(items: list[T], window: Window) -> Slice[T]:
    """One window of a list already in memory (for lists merged or filtered in Python)."""
    end = window.offset + window.limit
    return Slice(items[window.offset:end], len(items) > end, len(items))
