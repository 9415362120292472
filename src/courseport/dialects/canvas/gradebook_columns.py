"""Canvas Custom Gradebook Columns API routes: a course's columns listed, made, changed, deleted and reordered
(`column[...]`, `order[]`), and the students' entries in them, one at a time (`column_data[content]`) or in
bulk (`column_data[][column_id|user_id|content]`, a background job whose Progress is the answer)."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.coursework import gradebook_column_data, gradebook_columns
from courseport.core.coursework.gradebook_column_data import ColumnEntry
from courseport.core.coursework.gradebook_columns import ColumnChanges
from courseport.core.kit.changes import kinds
from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.dialects.canvas.gradebook_column_json import render_column, render_data, render_datum
from courseport.dialects.canvas.progress import render_progress
from courseport.dialects.canvas.protocol import Call, delete, get, post, prefixed_fields, put

_PATH = "/courses/{course_id:str}/custom_gradebook_columns"
_ONE = _PATH + "/{column_id:str}"
NAMES = {name: f"column[{name}]" for name in kinds(ColumnChanges)}
_DATUM = "column_data[content]"
_BULK = ("column_id", "user_id", "content")


@get(_PATH)
def list_custom_columns(call: Call, course_id: str) -> Response:
    window, hidden = call.window(), call.bool("include_hidden", False) or False
    with call.read() as (db, me):
        page = gradebook_columns.list_columns(db, me, course_id, window, include_hidden=hidden)
        return call.paged([render_column(c) for c in page.items], window, page)


@post(_PATH, status_code=200)
def create_custom_column(call: Call, course_id: str) -> dict:
    changes = ColumnChanges(**prefixed_fields(call, "column", kinds(ColumnChanges)))
    with call.write() as (db, me), spelled_as(NAMES):
        return render_column(gradebook_columns.create_column(db, me, course_id, changes))


@put(_ONE)
def update_custom_column(call: Call, course_id: str, column_id: str) -> dict:
    changes = ColumnChanges(**prefixed_fields(call, "column", kinds(ColumnChanges)))
    with call.write() as (db, me), spelled_as(NAMES):
        return render_column(gradebook_columns.edit_column(db, me, course_id, column_id, changes))


@delete(_ONE)
def delete_custom_column(call: Call, course_id: str, column_id: str) -> dict:
    with call.write() as (db, me):
        return render_column(gradebook_columns.delete_column(db, me, course_id, column_id))


@post(_PATH + "/reorder", status_code=200)
def reorder_custom_columns(call: Call, course_id: str) -> dict:
    order = [ref for item in call.list("order[]") for ref in item.split(",") if ref.strip()]
    with call.write() as (db, me):
        gradebook_columns.reorder_columns(db, me, course_id, order)
    return {"reorder": True}


@get(_ONE + "/data")
def list_column_data(call: Call, course_id: str, column_id: str) -> Response:
    window, hidden = call.window(), call.bool("include_hidden", False) or False
    with call.read() as (db, me):
        page = gradebook_column_data.list_data(db, me, course_id, column_id, window, include_hidden=hidden)
        return call.paged(render_data(page.items), window, page)


@put(_ONE + "/data/{user_id:str}")
def update_column_datum(call: Call, course_id: str, column_id: str, user_id: str) -> dict:
    if not isinstance(call.raw("column_data"), dict):
        raise InvalidInput(_DATUM, f"{_DATUM} is required")
    content = call.str(_DATUM)
    with call.write() as (db, me), spelled_as({"content": _DATUM}):
        student_id, now = gradebook_column_data.set_datum(db, me, course_id, column_id, user_id, content)
    return render_datum(student_id, now)


@put("/courses/{course_id:str}/custom_gradebook_column_data")
def bulk_update_column_data(call: Call, course_id: str) -> dict:
    entries = _entries(call.raw("column_data"))
    with call.write() as (db, me):
        job = gradebook_column_data.queue_bulk_update(db, me, course_id, entries)
    call.services.jobs.notify()
    return render_progress(job, call.origin)


def _entries(raw: Any) -> list[ColumnEntry]:
    """The `column_data[]` hashes (a list, or a hash by index), each with a column, a student and content."""
    if raw is None:
        return []
    items = list(raw.values()) if isinstance(raw, dict) else raw
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InvalidInput("column_data", "column_data must be a list of hashes")
    entries = []
    for item in items:
        for key in _BULK:
            value = item.get(key)
            if value is None or isinstance(value, (dict, list)) or key != "content" and str(value).strip() == "":
                raise InvalidInput(f"column_data[][{key}]", f"column_data[][{key}] is required for every entry")
        entries.append(ColumnEntry(column_id=str(item["column_id"]).strip(), user_ref=str(item["user_id"]).strip(),
                                   content=str(item["content"])))
    return entries


ROUTES = [list_custom_columns, create_custom_column, update_custom_column, delete_custom_column,
          reorder_custom_columns, list_column_data, update_column_datum, bulk_update_column_data]
