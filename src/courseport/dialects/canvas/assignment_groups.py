"""Canvas Assignment Groups API routes: list (optionally with assignments), show, create, edit, delete."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.coursework import assignment_groups
from courseport.core.coursework.assignment_groups import GroupChanges
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.paging import Slice
from courseport.core.views import assignment_views
from courseport.core.views.assignment_views import AssignmentQuery
from courseport.dialects.canvas.assignment_json import render_assignment, render_group
from courseport.dialects.canvas.protocol import Call, coerce, delete, get, post, put


def group_changes(call: Call) -> GroupChanges:
    rules = call.raw("rules")
    if isinstance(rules, str):
        rules = assignment_groups.parse_rules_text(rules)
    elif rules is not None and not isinstance(rules, dict):
        raise InvalidInput("rules", "rules must be a hash of grading rules")
    integration = call.raw("integration_data")
    return GroupChanges(
        name=call.str("name"), position=call.int("position"),
        group_weight=coerce(call.raw("group_weight"), float, "group_weight"), rules=rules,
        sis_source_id=call.str("sis_source_id"),
        integration_data=coerce(integration, dict, "integration_data") if integration is not None else None)


def _with_assignments(call: Call, db, me, course_id: str, groups) -> list[dict[str, Any]]:  # noqa: ANN001
    """Groups as JSON; with include[]=assignments, each lists the viewer's assignments in it."""
    includes = set(call.list("include[]"))
    if "assignments" not in includes:
        return [render_group(g) for g in groups]
    extra = frozenset(includes) & frozenset(assignment_views.INCLUDES)
    views = assignment_views.list_assignments(db, me, course_id, AssignmentQuery(includes=extra))
    return [render_group(g, [render_assignment(v, call.origin) for v in views if v.item.parent_id == g.id])
            for g in groups]


@get("/courses/{course_id:str}/assignment_groups")
def list_assignment_groups(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        _, _, groups = assignment_groups.list_groups(db, me, course_id)
        shown = groups[window.offset:window.offset + window.limit]
        page = Slice(_with_assignments(call, db, me, course_id, shown),
                     len(groups) > window.offset + window.limit, len(groups))
    return call.paged(page.items, window, page)


@get("/courses/{course_id:str}/assignment_groups/{group_id:str}")
def get_assignment_group(call: Call, course_id: str, group_id: str) -> dict:
    with call.read() as (db, me):
        _, _, group = assignment_groups.show_group(db, me, course_id, group_id)
        [body] = _with_assignments(call, db, me, course_id, [group])
    return body


@post("/courses/{course_id:str}/assignment_groups", status_code=200)
def create_assignment_group(call: Call, course_id: str) -> dict:
    changes = group_changes(call)
    with call.write() as (db, me):
        group = assignment_groups.create_group(db, me, course_id, changes)
    return render_group(group)


@put("/courses/{course_id:str}/assignment_groups/{group_id:str}")
def update_assignment_group(call: Call, course_id: str, group_id: str) -> dict:
    changes = group_changes(call)
    with call.write() as (db, me):
        group = assignment_groups.update_group(db, me, course_id, group_id, changes)
    return render_group(group)


@delete("/courses/{course_id:str}/assignment_groups/{group_id:str}")
def delete_assignment_group(call: Call, course_id: str, group_id: str) -> dict:
    with call.write() as (db, me):
        group = assignment_groups.delete_group(db, me, course_id, group_id, call.str("move_assignments_to"))
    return render_group(group)


ROUTES = [list_assignment_groups, get_assignment_group, create_assignment_group, update_assignment_group,
          delete_assignment_group]
