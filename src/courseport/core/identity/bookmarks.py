"""A user's own bookmarks: named links kept in the order the user gives them (positions 1..n).

Each bookmark is its owner's alone: another user's bookmark is not found. A position places the
bookmark there and moves the ones after it down; without one a new bookmark goes last.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Bookmark, User

MAX_NAME = 255
MAX_URL = 2048


@dataclass(frozen=True)
class BookmarkChanges:
    name: str | Unset = UNSET
    url: str | Unset = UNSET
    position: int | Unset = UNSET
    data: Any | Unset = UNSET  # any JSON value; None clears it


def list_bookmarks(db: Session, actor: User, window: Window) -> Slice[Bookmark]:
    stmt = select(Bookmark).where(Bookmark.user_id == actor.id).order_by(Bookmark.position, Bookmark.id)
    return fetch_window(db, stmt, window)


def get_bookmark(db: Session, actor: User, bookmark_id: int) -> Bookmark:
    row = db.get(Bookmark, bookmark_id)
    if row is None or row.user_id != actor.id:
        raise NotFound("bookmark")
    return row


def create_bookmark(db: Session, actor: User, changes: BookmarkChanges) -> Bookmark:
    fields = given(changes)
    for name in ("name", "url"):
        if not fields.get(name):
            raise InvalidInput(name, f"{name} is required")
    row = Bookmark(user_id=actor.id, name="", url="", position=_count(db, actor) + 1)
    db.add(row)
    _apply(db, actor, row, fields)
    db.flush()
    return row


def update_bookmark(db: Session, actor: User, bookmark_id: int, changes: BookmarkChanges) -> Bookmark:
    row = get_bookmark(db, actor, bookmark_id)
    fields = given(changes)
    for name in ("name", "url"):
        if name in fields and not fields[name]:
            raise InvalidInput(name, f"{name} can't be blank")
    _apply(db, actor, row, fields)
    db.flush()
    return row


def delete_bookmark(db: Session, actor: User, bookmark_id: int) -> Bookmark:
    row = get_bookmark(db, actor, bookmark_id)
    db.delete(row)
    db.flush()
    _renumber(db, actor, [])
    return row


def bookmark_data(row: Bookmark) -> Any:
    return json.loads(row.data) if row.data else None


def _apply(db: Session, actor: User, row: Bookmark, fields: dict[str, Any]) -> None:
    for name, limit in (("name", MAX_NAME), ("url", MAX_URL)):
        if name in fields:
            if len(fields[name]) > limit:
                raise InvalidInput(name, f"{name} is longer than {limit} characters")
            setattr(row, name, fields[name])
    if "data" in fields:
        row.data = None if fields["data"] is None else json.dumps(fields["data"])
    if fields.get("position") is not None:
        if fields["position"] < 1:
            raise InvalidInput("position", "position must be 1 or more")
        db.flush()
        _renumber(db, actor, [row], fields["position"])


def _renumber(db: Session, actor: User, moved: list[Bookmark], at: int = 0) -> None:
    """Positions 1..n again, `moved` (at most one) placed at position `at`."""
    rows = [r for r in db.scalars(select(Bookmark).where(Bookmark.user_id == actor.id)
                                  .order_by(Bookmark.position, Bookmark.id)) if r not in moved]
    for r in moved:
        rows.insert(min(at, len(rows) + 1) - 1, r)
    for n, r in enumerate(rows, start=1):
        r.position = n


def _count(db: Session, actor: User) -> int:
    return db.scalar(select(func.count()).select_from(Bookmark).where(Bookmark.user_id == actor.id)) or 0
