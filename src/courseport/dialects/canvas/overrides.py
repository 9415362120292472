"""Canvas Assignment Overrides API routes: one assignment's overrides, and batches across a course."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.coursework import assignment_overrides, overrides
from courseport.core.coursework.overrides import OverrideChanges
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.assignment_json import render_override
from courseport.dialects.canvas.protocol import Call, delete, get, post, prefixed_params, put, to_datetime


def override_changes(sent: Any, prefix: str) -> OverrideChanges:
    """An `assignment_override` hash as sent; a date present but empty removes that date."""
    if not isinstance(sent, dict):
        raise InvalidInput(prefix, f"{prefix} must be a hash of values")
    students = sent.get("student_ids")
    if students is not None:
        students = list(students.values()) if isinstance(students, dict) else students
        students = [str(s).strip() for s in (students if isinstance(students, list) else [students])]
        students = [s for s in students if s]
    section = sent.get("course_section_id")
    return OverrideChanges(
        student_ids=students, course_section_id=str(section).strip() if section not in (None, "") else None,
        title=str(sent["title"]) if sent.get("title") not in (None, "") else None,
        dates={name: to_datetime(sent[name], f"{prefix}[{name}]") for name in overrides.DATE_FIELDS if name in sent})


def _batch(call: Call) -> list[dict[str, Any]]:
    entries = call.raw("assignment_overrides")
    entries = list(entries.values()) if isinstance(entries, dict) else entries
    if not entries or not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InvalidInput("assignment_overrides", "assignment_overrides must be a list of overrides")
    for i, e in enumerate(entries):
        if e.get("assignment_id") in (None, ""):
            raise InvalidInput(f"assignment_overrides[{i}][assignment_id]", "must specify an assignment id")
    return entries


# The attributes core names bare, sent as assignment_override[...].
OVERRIDE_PARAMS = ("student_ids", "course_section_id", "title", *overrides.DATE_FIELDS)
_BASE = "/courses/{course_id:str}/assignments"


@get(f"{_BASE}/{{assignment_id:str}}/overrides")
def list_overrides(call: Call, course_id: str, assignment_id: str) -> list:
    with call.read() as (db, me):
        views = assignment_overrides.list_overrides(db, me, course_id, assignment_id)
    return [render_override(v) for v in views]


@get(f"{_BASE}/{{assignment_id:str}}/overrides/{{override_id:str}}")
def get_override(call: Call, course_id: str, assignment_id: str, override_id: str) -> dict:
    with call.read() as (db, me):
        view = assignment_overrides.show_override(db, me, course_id, assignment_id, override_id)
    return render_override(view)


@get("/sections/{section_id:str}/assignments/{assignment_id:str}/override")
def get_section_override(call: Call, section_id: str, assignment_id: str) -> Response:
    """Canvas answers with a redirect to the override (by its course), which clients follow."""
    with call.read() as (db, me):
        course_id, view = assignment_overrides.section_override(db, me, section_id, assignment_id)
    url = f"{call.origin}/api/v1/courses/{course_id}/assignments/{assignment_id}/overrides/{view.override.id}"
    return Response(None, status_code=302, headers={"Location": url})


@post(f"{_BASE}/{{assignment_id:str}}/overrides", status_code=201)
def create_override(call: Call, course_id: str, assignment_id: str) -> dict:
    with prefixed_params("assignment_override", OVERRIDE_PARAMS):
        changes = override_changes(call.raw("assignment_override") or {}, "assignment_override")
        with call.write() as (db, me):
            view = assignment_overrides.create_override(db, me, course_id, assignment_id, changes)
    return render_override(view)


@put(f"{_BASE}/{{assignment_id:str}}/overrides/{{override_id:str}}")
def update_override(call: Call, course_id: str, assignment_id: str, override_id: str) -> dict:
    with prefixed_params("assignment_override", OVERRIDE_PARAMS):
        changes = override_changes(call.raw("assignment_override") or {}, "assignment_override")
        with call.write() as (db, me):
            view = assignment_overrides.update_override(db, me, course_id, assignment_id, override_id, changes)
    return render_override(view)


@delete(f"{_BASE}/{{assignment_id:str}}/overrides/{{override_id:str}}")
def delete_override(call: Call, course_id: str, assignment_id: str, override_id: str) -> dict:
    with call.write() as (db, me):
        view = assignment_overrides.delete_override(db, me, course_id, assignment_id, override_id)
    return render_override(view)


@get(f"{_BASE}/overrides")
def batch_get_overrides(call: Call, course_id: str) -> list:
    wanted = [(str(e["assignment_id"]), str(e.get("id") or "")) for e in _batch(call)]
    with call.read() as (db, me):
        views = assignment_overrides.batch_show(db, me, course_id, wanted)
    return [render_override(v) if v else None for v in views]


def _batch_write(call: Call, course_id: str, *, update: bool) -> list:
    requests = []
    for i, e in enumerate(_batch(call)):
        if update and e.get("id") in (None, ""):
            raise InvalidInput(f"assignment_overrides[{i}][id]", "must specify an override id")
        if not update and e.get("id") not in (None, ""):
            raise InvalidInput(f"assignment_overrides[{i}][id]", "may not specify an override id")
        requests.append((str(e["assignment_id"]), str(e["id"]) if update else None,
                         override_changes(e, f"assignment_overrides[{i}]")))
    with call.write() as (db, me):
        views = assignment_overrides.batch_write(db, me, course_id, requests)
    return [render_override(v) for v in views]


@post(f"{_BASE}/overrides", status_code=201)
def batch_create_overrides(call: Call, course_id: str) -> list:
    return _batch_write(call, course_id, update=False)


@put(f"{_BASE}/overrides")
def batch_update_overrides(call: Call, course_id: str) -> list:
    return _batch_write(call, course_id, update=True)


ROUTES = [list_overrides, get_override, get_section_override, create_override, update_override, delete_override,
          batch_get_overrides, batch_create_overrides, batch_update_overrides]
