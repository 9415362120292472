"""Canvas Groups and Group Categories API routes for course groups (`core/courses/groups.py`,
`group_memberships.py`).

SIS ids (`core/courses/group_sis.py`): each GroupCategory and Group shows its SIS id and import to admins of
the root account, the right read once per request. `sis_group_id` on a group's create or edit is set by them
and refused to others (403 with Canvas's message); `sis_group_category_id` on a category's likewise set by
them, and ignored for others (Canvas documents the parameter but not who may set it). An SIS id another live
group (category) of the root account holds is 400 in Canvas's record-errors shape, naming `sis_source_id`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Response
from sqlalchemy.orm import Session

from courseport.core.courses import group_assignment, group_memberships, group_sets, groups
from courseport.core.courses.group_sis import SisIdTaken, manages_sis
from courseport.core.courses.groups import CategoryChanges, CourseGroupChanges
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.group_json import render_category, render_group, render_membership
from courseport.dialects.canvas.progress import render_progress
from courseport.dialects.canvas.protocol import Call, delete, get, post, put, self_only
from courseport.dialects.canvas.user_json import record_error, render_users_seen_by
from courseport.schema import User

_CATEGORY_FIELDS = ("name", "self_signup", "group_limit")


def category_changes(call: Call, sis: bool = False) -> CategoryChanges:
    """`sis`: the caller may set SIS ids, so `sis_group_category_id` is taken (ignored otherwise)."""
    values: dict[str, Any] = {"name": call.str("name"), "self_signup": call.str("self_signup") or None,
                              "group_limit": call.int("group_limit")}
    sent = {name: values[name] for name in _CATEGORY_FIELDS if call.has(name) or name in call.params}
    if sis and "sis_group_category_id" in call.params:
        sent["sis_source_id"] = call.str("sis_group_category_id") or None
    return CategoryChanges(**sent)


def group_changes(call: Call) -> CourseGroupChanges:
    """name, description and join_level, each only when sent with a value (Canvas keeps the rest); sis_group_id
    when sent at all (empty clears it)."""
    values: dict[str, Any] = {name: call.str(name) for name in ("name", "description", "join_level")}
    sent = {name: value for name, value in values.items() if value is not None}
    if "sis_group_id" in call.params:
        sent["sis_source_id"] = call.str("sis_group_id") or None
    return CourseGroupChanges(**sent)


def _sis_write(call: Call, write: Callable[[Session, User], dict[str, Any]]) -> Response:
    """A write answered with its body; an SIS id another row holds is Canvas's record-errors body (400)."""
    try:
        with call.write() as (db, me):
            return Response(write(db, me))
    except SisIdTaken as exc:
        return Response({"errors": record_error(exc)}, status_code=400)


@post("/courses/{course_id:str}/group_categories", status_code=200)
def create_category(call: Call, course_id: str) -> Response:
    count = call.int("create_group_count") or 0

    def write(db: Session, me: User) -> dict[str, Any]:
        sis = manages_sis(db, me)
        return render_category(group_sets.create_category(db, me, course_id, category_changes(call, sis), count), sis)
    return _sis_write(call, write)


@get("/courses/{course_id:str}/group_categories")
def list_categories(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page, sis = groups.list_categories(db, me, course_id, window), manages_sis(db, me)
    return call.paged([render_category(c, sis) for c in page.items], window, page)


@get("/group_categories/{category_id:str}")
def get_category(call: Call, category_id: str) -> dict:
    with call.read() as (db, me):
        return render_category(groups.get_category(db, me, category_id), manages_sis(db, me))


@put("/group_categories/{category_id:str}")
def update_category(call: Call, category_id: str) -> Response:
    def write(db: Session, me: User) -> dict[str, Any]:
        sis = manages_sis(db, me)
        return render_category(group_sets.update_category(db, me, category_id, category_changes(call, sis)), sis)
    return _sis_write(call, write)


@delete("/group_categories/{category_id:str}")
def delete_category(call: Call, category_id: str) -> dict:
    with call.write() as (db, me):
        return render_category(group_sets.delete_category(db, me, category_id), manages_sis(db, me))


@get("/group_categories/{category_id:str}/groups")
def list_category_groups(call: Call, category_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page, sis = groups.list_groups(db, me, category_id=category_id, window=window), manages_sis(db, me)
    return call.paged([render_group(v, sis) for v in page.items], window, page)


@post("/group_categories/{category_id:str}/groups", status_code=200)
def create_group(call: Call, category_id: str) -> Response:
    changes = group_changes(call)
    return _sis_write(call, lambda db, me: render_group(groups.create_group(db, me, category_id, changes),
                                                        manages_sis(db, me)))


@get("/courses/{course_id:str}/groups")
def list_course_groups(call: Call, course_id: str) -> Response:
    window, own = call.window(), bool(call.bool("only_own_groups", False))
    with call.read() as (db, me):
        page = groups.list_groups(db, me, course_ref=course_id, only_own=own, window=window)
        sis = manages_sis(db, me)
    return call.paged([render_group(v, sis) for v in page.items], window, page)


@get("/users/{user_id:str}/groups")
def list_my_groups(call: Call, user_id: str) -> Response:
    self_only(user_id)
    window = call.window()
    with call.read() as (db, me):
        page, sis = groups.my_groups(db, me, window), manages_sis(db, me)
    return call.paged([render_group(v, sis) for v in page.items], window, page)


@get("/groups/{group_id:str}")
def get_group(call: Call, group_id: str) -> dict:
    with call.read() as (db, me):
        return render_group(groups.get_group(db, me, group_id), manages_sis(db, me))


@put("/groups/{group_id:str}")
def update_group(call: Call, group_id: str) -> Response:
    changes = group_changes(call)
    return _sis_write(call, lambda db, me: render_group(groups.update_group(db, me, group_id, changes),
                                                        manages_sis(db, me)))


@delete("/groups/{group_id:str}")
def delete_group(call: Call, group_id: str) -> dict:
    with call.write() as (db, me):
        return render_group(groups.delete_group(db, me, group_id), manages_sis(db, me))


@get("/groups/{group_id:str}/users")
def list_group_users(call: Call, group_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = group_memberships.list_members(db, me, group_id, window)
        return call.paged(render_users_seen_by(db, me, page.items, set(), call.origin), window, page)


@get("/groups/{group_id:str}/memberships")
def list_memberships(call: Call, group_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = group_memberships.list_memberships(db, me, group_id, window)
    return call.paged([render_membership(m) for m in page.items], window, page)


@post("/groups/{group_id:str}/memberships", status_code=200)
def add_membership(call: Call, group_id: str) -> dict:
    with call.write() as (db, me):
        return render_membership(group_memberships.add_member(db, me, group_id, call.str("user_id")))


@delete("/groups/{group_id:str}/users/{user_id:str}")
def remove_user(call: Call, group_id: str, user_id: str) -> dict:
    with call.write() as (db, me):
        group_memberships.remove_member(db, me, group_id, user_id)
    return {}


@delete("/groups/{group_id:str}/memberships/{membership_id:str}")
def remove_membership(call: Call, group_id: str, membership_id: str) -> dict:
    """`self` leaves the group; a membership id removes that member."""
    with call.write() as (db, me):
        group_memberships.remove_membership(db, me, group_id, membership_id)
    return {}


@put(["/groups/{group_id:str}/memberships/{membership_id:str}", "/groups/{group_id:str}/users/{user_id:str}"])
def update_membership(call: Call, group_id: str, membership_id: str | None = None, user_id: str | None = None
                      ) -> dict:
    state = call.str("workflow_state")
    if state not in (None, "accepted"):
        raise InvalidInput("workflow_state", "workflow_state must be accepted")
    with call.write() as (db, me):
        row = group_memberships.update_member(
            db, me, group_id, membership_id or user_id or "", by_membership=membership_id is not None,
            moderator=call.bool("moderator"), accepted=state == "accepted")
        return render_membership(row)


@post("/group_categories/{category_id:str}/assign_unassigned_members", status_code=200)
def assign_unassigned_members(call: Call, category_id: str) -> Any:
    """`sync=true`: the memberships made, at once; otherwise the Progress of a job that makes them."""
    if call.bool("sync"):
        with call.write() as (db, me):
            made = group_assignment.assign_unassigned(db, group_assignment.category_to_fill(db, me, category_id))
            return [render_membership(m) for m in made]
    with call.write() as (db, me):
        job = group_assignment.queue_assignment(db, me, category_id)
    call.services.jobs.notify()
    return render_progress(job, call.origin)


ROUTES = [create_category, list_categories, get_category, update_category, delete_category, list_category_groups,
          create_group, list_course_groups, list_my_groups, get_group, update_group, delete_group, list_group_users,
          list_memberships, add_membership, update_membership, remove_user, remove_membership,
          assign_unassigned_members]
