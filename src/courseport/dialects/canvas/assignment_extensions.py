"""Canvas Assignment Extensions API route: a grader's extra attempts for students on one assignment
(`assignment_extensions[][user_id]`, `assignment_extensions[][extra_attempts]`)."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.coursework import assignment_extensions
from courseport.core.coursework.assignment_extensions import AttemptExtension, InvalidExtensions
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.assignment_extension_json import render_extensions, render_invalid
from courseport.dialects.canvas.protocol import Call, RequestError, post, to_int

_FORMAT = ":assignment_extensions must be in this format: { user_id: 1, extra_attempts: 2 }"


@post("/courses/{course_id:str}/assignments/{assignment_id:str}/extensions", status_code=200)
def extend_assignment(call: Call, course_id: str, assignment_id: str) -> Response:
    try:
        with call.write() as (db, me):
            target = assignment_extensions.extendable(db, me, course_id, assignment_id)  # rights before the body
            views = assignment_extensions.extend(db, target, _extensions(call))
    except InvalidExtensions as exc:
        return Response(render_invalid(exc), status_code=400)
    return Response(render_extensions(views))


def _extensions(call: Call) -> list[AttemptExtension]:
    """The entries (a list, or a hash by index), each with both keys, as Canvas asks; an empty count clears."""
    raw = call.raw("assignment_extensions")
    entries: Any = list(raw.values()) if isinstance(raw, dict) else raw
    if not isinstance(entries, list):
        raise RequestError(InvalidInput("assignment_extensions", "missing required key :assignment_extensions"))
    if not all(isinstance(e, dict) and "user_id" in e and "extra_attempts" in e for e in entries):
        raise RequestError(InvalidInput("assignment_extensions", _FORMAT))
    return [AttemptExtension(str(e["user_id"]), to_int(e["extra_attempts"], "assignment_extensions[][extra_attempts]"))
            for e in entries]


ROUTES = [extend_assignment]
