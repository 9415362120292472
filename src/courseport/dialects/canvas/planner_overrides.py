"""Canvas Planner Overrides routes: the caller's marks on planner items, listed, shown, made, changed, deleted."""

from __future__ import annotations

from litestar import Response

from courseport.core.content import planner_overrides
from courseport.dialects.canvas.planner_json import core_type, render_override
from courseport.dialects.canvas.protocol import Call, bare_fields, delete, get, post, put


def _changes(call: Call) -> planner_overrides.OverrideChanges:
    return planner_overrides.OverrideChanges(**bare_fields(call, planner_overrides.OVERRIDE_FIELDS))


@get("/planner/overrides")
def list_planner_overrides(call: Call) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = planner_overrides.list_overrides(db, me, window)
    return call.paged([render_override(o) for o in page.items], window, page)


@post("/planner/overrides", status_code=201)
def create_planner_override(call: Call) -> dict:
    kind, plannable_id, changes = core_type(call.str("plannable_type")), call.int("plannable_id"), _changes(call)
    with call.write() as (db, me):
        return render_override(planner_overrides.create_override(db, me, kind, plannable_id, changes))


@get("/planner/overrides/{override_id:str}")
def get_planner_override(call: Call, override_id: str) -> dict:
    with call.read() as (db, me):
        return render_override(planner_overrides.get_override(db, me, override_id))


@put("/planner/overrides/{override_id:str}")
def update_planner_override(call: Call, override_id: str) -> dict:
    changes = _changes(call)
    with call.write() as (db, me):
        return render_override(planner_overrides.update_override(db, me, override_id, changes))


@delete("/planner/overrides/{override_id:str}")
def delete_planner_override(call: Call, override_id: str) -> dict:
    with call.write() as (db, me):
        return render_override(planner_overrides.delete_override(db, me, override_id))


ROUTES = [list_planner_overrides, create_planner_override, get_planner_override, update_planner_override,
          delete_planner_override]
