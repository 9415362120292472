"""Canvas Planner Notes routes: the caller's own notes, listed by todo date, shown, created, updated, deleted."""

from __future__ import annotations

from litestar import Response

from courseport.core.content import planner_notes
from courseport.dialects.canvas.planner_json import render_note
from courseport.dialects.canvas.protocol import Call, bare_fields, delete, get, post, put


def _changes(call: Call) -> planner_notes.NoteChanges:
    return planner_notes.NoteChanges(**bare_fields(call, planner_notes.NOTE_FIELDS))


@get("/planner_notes")
def list_planner_notes(call: Call) -> Response:
    window = call.window()
    filters = planner_notes.NoteFilters(call.str("start_date"), call.str("end_date"),
                                        tuple(call.list("context_codes[]")))
    with call.read() as (db, me):
        page = planner_notes.list_notes(db, me, filters, window)
    return call.paged([render_note(n) for n in page.items], window, page)


@post("/planner_notes", status_code=201)
def create_planner_note(call: Call) -> dict:
    changes = _changes(call)
    with call.write() as (db, me):
        return render_note(planner_notes.create_note(db, me, changes))


@get("/planner_notes/{note_id:str}")
def get_planner_note(call: Call, note_id: str) -> dict:
    with call.read() as (db, me):
        return render_note(planner_notes.get_note(db, me, note_id))


@put("/planner_notes/{note_id:str}")
def update_planner_note(call: Call, note_id: str) -> dict:
    changes = _changes(call)
    with call.write() as (db, me):
        return render_note(planner_notes.update_note(db, me, note_id, changes))


@delete("/planner_notes/{note_id:str}")
def delete_planner_note(call: Call, note_id: str) -> dict:
    with call.write() as (db, me):
        return render_note(planner_notes.delete_note(db, me, note_id))


ROUTES = [list_planner_notes, create_planner_note, get_planner_note, update_planner_note, delete_planner_note]
