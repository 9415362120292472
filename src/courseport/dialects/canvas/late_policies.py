"""Canvas Late Policy API routes: a course's late policy shown, made (once) and patched, with the
`late_policy[...]` parameters; saving it re-grades the course's late and missing work (core late_policies)."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.coursework import late_policies
from courseport.core.coursework.late_policies import LatePolicyChanges
from courseport.core.kit.changes import kinds
from courseport.core.kit.errors import Conflict, spelled_as
from courseport.dialects.canvas.late_policy_json import render_late_policy
from courseport.dialects.canvas.protocol import Call, coerce, get, patch, post

_PATH = "/courses/{course_id:str}/late_policy"
NAMES = {name: f"late_policy[{name}]" for name in kinds(LatePolicyChanges)}


def _changes(call: Call) -> LatePolicyChanges:
    fields: dict[str, Any] = {}
    for name, kind in kinds(LatePolicyChanges).items():
        value = call.raw(NAMES[name])
        if value is not None:
            fields[name] = coerce(value, kind, NAMES[name])
    return LatePolicyChanges(**fields)


@get(_PATH)
def get_late_policy(call: Call, course_id: str) -> dict:
    with call.read() as (db, me):
        return render_late_policy(late_policies.get_policy(db, me, course_id))


@post(_PATH, status_code=201)
def create_late_policy(call: Call, course_id: str) -> Any:
    changes = _changes(call)
    try:
        with call.write() as (db, me), spelled_as(NAMES):
            return render_late_policy(late_policies.create_policy(db, me, course_id, changes))
    except Conflict as exc:  # Canvas's own body for a second policy
        return Response({"status": "bad_request", "errors": [{"message": exc.message}]}, status_code=400)


@patch(_PATH, status_code=204)
def edit_late_policy(call: Call, course_id: str) -> None:
    changes = _changes(call)
    with call.write() as (db, me), spelled_as(NAMES):
        late_policies.edit_policy(db, me, course_id, changes)


ROUTES = [get_late_policy, create_late_policy, edit_late_policy]
