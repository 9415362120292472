"""Canvas routes reading assignments as one user sees them: a user's missing submissions and a user's
view of a course's assignments (observers, the user, admins; graders for a course)."""

from __future__ import annotations

from litestar import Response

from courseport.core.kit.paging import Slice
from courseport.core.views import user_assignments
from courseport.core.views.assignment_views import AssignmentView
from courseport.dialects.canvas.assignment_json import render_assignment
from courseport.dialects.canvas.assignments import assignment_query
from courseport.dialects.canvas.protocol import Call, get


def _paged(call: Call, views: list[AssignmentView], extra: dict | None = None) -> Response:
    window = call.window()
    page = Slice(views[window.offset:window.offset + window.limit], len(views) > window.offset + window.limit,
                 len(views))
    return call.paged([render_assignment(v, call.origin) | (extra or {}) for v in page.items], window, page)


@get("/users/{user_id:str}/missing_submissions")
def list_missing_submissions(call: Call, user_id: str) -> Response:
    filters = set(call.list("filter[]"))
    with call.read() as (db, me):
        views = user_assignments.missing_submissions(db, me, user_id, course_ids=tuple(call.list("course_ids[]")),
                                                     submittable="submittable" in filters)
    planner = {"planner_override": None} if "planner_overrides" in call.list("include[]") else None
    return _paged(call, views, planner)


@get("/users/{user_id:str}/courses/{course_id:str}/assignments")
def list_user_course_assignments(call: Call, user_id: str, course_id: str) -> Response:
    with call.read() as (db, me):
        views = user_assignments.user_course_assignments(db, me, user_id, course_id, assignment_query(call))
    return _paged(call, views)


ROUTES = [list_missing_submissions, list_user_course_assignments]
