"""Canvas Assignments API routes: list (per course and per group), show, create, edit, delete."""

from __future__ import annotations

from litestar import Response

from courseport.core.coursework import assignments
from courseport.core.coursework.assignments import AssignmentChanges
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.paging import Slice
from courseport.core.views import assignment_views
from courseport.core.views.assignment_views import AssignmentQuery
from courseport.dialects.canvas.assignment_json import render_assignment
from courseport.dialects.canvas.overrides import override_changes
from courseport.dialects.canvas.protocol import Call, delete, get, post, prefixed_fields, prefixed_params, put

# The attributes core names bare, sent as assignment[...].
ASSIGNMENT_PARAMS = (*assignments.ASSIGNMENT_FIELDS, "assignment_overrides")


def assignment_changes(call: Call) -> AssignmentChanges:
    fields = prefixed_fields(call, "assignment", assignments.ASSIGNMENT_FIELDS)
    for key, kind in assignments.ASSIGNMENT_FIELDS.items():
        if kind is list and key in fields:  # `x[]=a&x[]=b`, `x[0]=a`, or a lone `x=a`
            value = fields[key]
            value = list(value.values()) if isinstance(value, dict) else value if isinstance(value, list) else [value]
            fields[key] = [str(v) for v in value if v is not None]
    changes = AssignmentChanges(fields)
    sent = call.raw("assignment")
    if isinstance(sent, dict) and "assignment_overrides" in sent:
        entries = sent["assignment_overrides"] or []
        entries = list(entries.values()) if isinstance(entries, dict) else entries
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise InvalidInput("assignment[assignment_overrides]", "assignment[assignment_overrides] must be a "
                                                                  "list of overrides")
        changes.overrides = [(str(e["id"]) if e.get("id") not in (None, "") else None,
                              override_changes(e, f"assignment[assignment_overrides][{i}]"))
                             for i, e in enumerate(entries)]
    return changes


def assignment_query(call: Call, group_id: str | None = None) -> AssignmentQuery:
    includes = frozenset(call.list("include[]")) & frozenset(assignment_views.INCLUDES)
    return AssignmentQuery(search_term=call.str("search_term") or None, bucket=call.str("bucket") or None,
                           order_by=call.str("order_by") or "position",
                           assignment_ids=tuple(call.list("assignment_ids[]")), group_id=group_id,
                           includes=includes)


def _list(call: Call, course_id: str, group_id: str | None) -> Response:
    window = call.window()
    with call.read() as (db, me):
        views = assignment_views.list_assignments(db, me, course_id, assignment_query(call, group_id))
    page = Slice(views[window.offset:window.offset + window.limit], len(views) > window.offset + window.limit,
                 len(views))
    return call.paged([render_assignment(v, call.origin) for v in page.items], window, page)


@get("/courses/{course_id:str}/assignments")
def list_assignments(call: Call, course_id: str) -> Response:
    return _list(call, course_id, None)


@get("/courses/{course_id:str}/assignment_groups/{group_id:str}/assignments")
def list_group_assignments(call: Call, course_id: str, group_id: str) -> Response:
    return _list(call, course_id, group_id)


@get("/courses/{course_id:str}/assignments/{assignment_id:str}")
def get_assignment(call: Call, course_id: str, assignment_id: str) -> dict:
    includes = frozenset(call.list("include[]")) & frozenset(assignment_views.INCLUDES)
    with call.read() as (db, me):
        view = assignment_views.show_assignment(db, me, course_id, assignment_id, includes)
    return render_assignment(view, call.origin)


@post("/courses/{course_id:str}/assignments", status_code=201)
def create_assignment(call: Call, course_id: str) -> dict:
    with prefixed_params("assignment", ASSIGNMENT_PARAMS):
        changes = assignment_changes(call)
        with call.write() as (db, me):
            access, item = assignments.create_assignment(db, me, course_id, changes)
            [view] = assignment_views.load_views(db, access, [item])
    return render_assignment(view, call.origin)


@put("/courses/{course_id:str}/assignments/{assignment_id:str}")
def update_assignment(call: Call, course_id: str, assignment_id: str) -> dict:
    with prefixed_params("assignment", ASSIGNMENT_PARAMS):
        changes = assignment_changes(call)
        with call.write() as (db, me):
            access, item = assignments.update_assignment(db, me, course_id, assignment_id, changes)
            [view] = assignment_views.load_views(db, access, [item])
    return render_assignment(view, call.origin)


@delete("/courses/{course_id:str}/assignments/{assignment_id:str}")
def delete_assignment(call: Call, course_id: str, assignment_id: str) -> dict:
    with call.write() as (db, me):
        access, item = assignments.delete_assignment(db, me, course_id, assignment_id)
        [view] = assignment_views.load_views(db, access, [item])
    return render_assignment(view, call.origin)


ROUTES = [list_assignments, list_group_assignments, get_assignment, create_assignment, update_assignment,
          delete_assignment]
