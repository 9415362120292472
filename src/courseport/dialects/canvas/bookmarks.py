"""Canvas bookmark routes (Bookmarks API): the caller's own bookmarks, listed, made, shown, changed, deleted."""

from __future__ import annotations

import json
from typing import Any

from litestar import Response

from courseport.core.identity import bookmarks
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.protocol import Call, delete, get, post, put, self_only
from courseport.schema import Bookmark


def render_bookmark(row: Bookmark) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "url": row.url, "position": row.position,
            "data": bookmarks.bookmark_data(row)}


def _changes(call: Call) -> bookmarks.BookmarkChanges:
    fields: dict[str, Any] = {name: call.str(name) for name in ("name", "url") if call.has(name)}
    if call.has("position"):
        fields["position"] = call.int("position")
    if call.has("data"):
        fields["data"] = _data(call.raw("data"))
    return bookmarks.BookmarkChanges(**fields)


def _data(value: Any) -> Any:
    """A hash as sent (data[key]=...), or JSON text."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value) if value else None
    except ValueError:
        raise InvalidInput("data", "data must be JSON or a hash of values") from None


@get("/users/self/bookmarks")
def list_bookmarks(call: Call) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = bookmarks.list_bookmarks(db, me, window)
        return call.paged([render_bookmark(b) for b in page.items], window, page)


@post("/users/self/bookmarks", status_code=200)
def create_bookmark(call: Call) -> dict:
    changes = _changes(call)
    with call.write() as (db, me):
        return render_bookmark(bookmarks.create_bookmark(db, me, changes))


@get("/users/{user_id:str}/bookmarks/{bookmark_id:int}")
def get_bookmark(call: Call, user_id: str, bookmark_id: int) -> dict:
    self_only(user_id)
    with call.read() as (db, me):
        return render_bookmark(bookmarks.get_bookmark(db, me, bookmark_id))


@put("/users/{user_id:str}/bookmarks/{bookmark_id:int}")
def update_bookmark(call: Call, user_id: str, bookmark_id: int) -> dict:
    self_only(user_id)
    changes = _changes(call)
    with call.write() as (db, me):
        return render_bookmark(bookmarks.update_bookmark(db, me, bookmark_id, changes))


@delete("/users/{user_id:str}/bookmarks/{bookmark_id:int}")
def delete_bookmark(call: Call, user_id: str, bookmark_id: int) -> dict:
    self_only(user_id)
    with call.write() as (db, me):
        return render_bookmark(bookmarks.delete_bookmark(db, me, bookmark_id))


ROUTES = [list_bookmarks, create_bookmark, get_bookmark, update_bookmark, delete_bookmark]
