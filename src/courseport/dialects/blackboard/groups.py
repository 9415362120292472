"""Learn course groups (v2): group sets, the groups in a set, groups in no set, and group memberships,
over core course groups (core/courses/groups.py, group_memberships.py), so the Canvas face sees every
group made here and this face every group made there. Writes need the course rights core asks
(managing the course's students; a member joins or leaves a self sign-up group themself) and the
application's group entitlements. Instructors read every group; a student (Learn's rule) only the groups they
are in and the self-enrollment groups open to them (not hidden), and those groups' members.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from courseport.core.courses import course_records, group_memberships, group_sets, groups
from courseport.core.courses.groups import GroupView
from courseport.core.identity import users
from courseport.core.kit.errors import Conflict, NotFound, spelled_as
from courseport.dialects.blackboard import entitlements as entitled
from courseport.dialects.blackboard.course_fields import record_ref
from courseport.dialects.blackboard.group_fields import (
    GROUP_NAMES,
    SET_NAMES,
    body_fields,
    group_changes,
    group_query,
    group_ref,
    set_changes,
)
from courseport.dialects.blackboard.group_json import render_group, render_group_membership, render_group_set
from courseport.dialects.blackboard.protocol import Call, delete, get, on_versions, patch, post, put
from courseport.dialects.blackboard.user_json import user_ref
from courseport.schema import GroupCategory, User

_V2 = ("v2",)


def _course_id(db: Session, me: User, course_id: str) -> str:
    return str(course_records.resolve_record(db, *record_ref(course_id), me).id)


def _set(db: Session, me: User, course_id: str, group_id: str) -> GroupCategory:
    return groups.find_category(db, me, _course_id(db, me, course_id), *group_ref(group_id, "group set"))


def _group(db: Session, me: User, course_id: str, group_id: str, *, seen: bool = False) -> GroupView:
    """`seen`: a read, which finds only the groups a student sees (Learn's rule: theirs and the open
    self-enrollment ones; `groups.list_groups`); writes find any and refuse by right."""
    return groups.find_group(db, me, _course_id(db, me, course_id), *group_ref(group_id), only_seen=seen)


def list_group_sets(call: Call, course_id: str) -> dict:
    window, query = call.window(), group_query(call)
    with call.read() as (db, me):
        page = groups.list_categories(db, me, _course_id(db, me, course_id), window, sets_only=True, query=query)
    return call.paged([render_group_set(c) for c in page.items], window, page)


def create_group_set(call: Call, course_id: str) -> dict:
    fields = body_fields(call, create=True)
    with call.write(*entitled.GROUP_CREATE) as (db, me), spelled_as(SET_NAMES):
        category = group_sets.create_category(db, me, _course_id(db, me, course_id), set_changes(fields))
        return call.pick(render_group_set(category))


def get_group_set(call: Call, course_id: str, group_id: str) -> dict:
    with call.read() as (db, me):
        return call.pick(render_group_set(_set(db, me, course_id, group_id)))


def update_group_set(call: Call, course_id: str, group_id: str) -> dict:
    fields = body_fields(call, create=False)
    with call.write(*entitled.GROUP_MODIFY) as (db, me), spelled_as(SET_NAMES):
        category = _set(db, me, course_id, group_id)
        return call.pick(render_group_set(group_sets.update_category(db, me, str(category.id),
                                                                      set_changes(fields, category.signup_sheet))))


def delete_group_set(call: Call, course_id: str, group_id: str) -> None:
    with call.write(*entitled.GROUP_DELETE) as (db, me):
        group_sets.delete_category(db, me, str(_set(db, me, course_id, group_id).id))


def list_set_groups(call: Call, course_id: str, group_id: str) -> dict:
    window, query = call.window(), group_query(call)
    with call.read() as (db, me):
        category = _set(db, me, course_id, group_id)
        page = groups.list_groups(db, me, category_id=str(category.id), only_seen=True, query=query,
                                  window=window)
    return call.paged([render_group(v) for v in page.items], window, page)


def create_set_group(call: Call, course_id: str, group_id: str) -> dict:
    fields = body_fields(call, create=True)
    with call.write(*entitled.GROUP_CREATE) as (db, me), spelled_as(GROUP_NAMES):
        category = _set(db, me, course_id, group_id)
        view = groups.create_group(db, me, str(category.id), group_changes(fields, in_set=True))
        return call.pick(render_group(view))


def list_course_groups(call: Call, course_id: str) -> dict:
    window, query = call.window(), group_query(call)
    with call.read() as (db, me):
        page = groups.list_groups(db, me, course_ref=_course_id(db, me, course_id), only_seen=True, query=query,
                                  window=window)
    return call.paged([render_group(v) for v in page.items], window, page)


def create_group(call: Call, course_id: str) -> dict:
    fields = body_fields(call, create=True)
    with call.write(*entitled.GROUP_CREATE) as (db, me), spelled_as(GROUP_NAMES):
        view = groups.create_standalone_group(db, me, _course_id(db, me, course_id),
                                              group_changes(fields, in_set=False))
        return call.pick(render_group(view))


def get_group(call: Call, course_id: str, group_id: str) -> dict:
    with call.read() as (db, me):
        return call.pick(render_group(_group(db, me, course_id, group_id, seen=True)))


def update_group(call: Call, course_id: str, group_id: str) -> dict:
    fields = body_fields(call, create=False)
    with call.write(*entitled.GROUP_MODIFY) as (db, me), spelled_as(GROUP_NAMES):
        view = _group(db, me, course_id, group_id)
        changes = group_changes(fields, in_set=view.category.role is None, sheet=view.group.signup_sheet)
        return call.pick(render_group(groups.update_group(db, me, str(view.group.id), changes)))


def delete_group(call: Call, course_id: str, group_id: str) -> None:
    with call.write(*entitled.GROUP_DELETE) as (db, me):
        groups.delete_group(db, me, str(_group(db, me, course_id, group_id).group.id))


def list_group_users(call: Call, course_id: str, group_id: str) -> dict:
    window, expand = call.window(), "user" in (call.str("expand") or "").split(",")
    with call.read() as (db, me):
        group = _group(db, me, course_id, group_id, seen=True).group
        page = group_memberships.list_memberships(db, me, str(group.id), window)
        results = [render_group_membership(m, db.get(User, m.user_id) if expand else None) for m in page.items]
    return call.paged(results, window, page)


def get_group_user(call: Call, course_id: str, group_id: str, user_id: str) -> dict:
    with call.read() as (db, me):
        group, user = _group(db, me, course_id, group_id, seen=True).group, users.find_user(db, *user_ref(user_id), me)
        membership = group_memberships.get_member(db, me, str(group.id), str(user.id))
        return call.pick(render_group_membership(membership, user if call.str("expand") else None))


def put_group_user(call: Call, course_id: str, group_id: str, user_id: str) -> dict:
    with call.write(*entitled.GROUP_USER_MANAGE) as (db, me), spelled_as(GROUP_NAMES):
        group, user = _group(db, me, course_id, group_id).group, users.find_user(db, *user_ref(user_id), me)
        try:
            group_memberships.get_member(db, me, str(group.id), str(user.id))
        except NotFound:
            return call.pick(render_group_membership(group_memberships.add_member(db, me, str(group.id),
                                                                                  str(user.id))))
        raise Conflict("The user is already enrolled in the group")  # the swagger's 409


def delete_group_user(call: Call, course_id: str, group_id: str, user_id: str) -> None:
    with call.write(*entitled.GROUP_USER_MANAGE) as (db, me):
        group, user = _group(db, me, course_id, group_id).group, users.find_user(db, *user_ref(user_id), me)
        group_memberships.remove_member(db, me, str(group.id), str(user.id))


_COURSE = "/courses/{course_id:str}/groups"
_SET = _COURSE + "/sets/{group_id:str}"
_GROUP = _COURSE + "/{group_id:str}"
_USER = _GROUP + "/users/{user_id:str}"
ROUTES = [
    *on_versions(get, _COURSE + "/sets", list_group_sets, _V2),
    *on_versions(post, _COURSE + "/sets", create_group_set, _V2, status_code=201),
    *on_versions(get, _SET, get_group_set, _V2),
    *on_versions(patch, _SET, update_group_set, _V2),
    *on_versions(delete, _SET, delete_group_set, _V2, status_code=204),
    *on_versions(get, _SET + "/groups", list_set_groups, _V2),
    *on_versions(post, _SET + "/groups", create_set_group, _V2, status_code=201),
    *on_versions(get, _COURSE, list_course_groups, _V2),
    *on_versions(post, _COURSE, create_group, _V2, status_code=201),
    *on_versions(get, _GROUP, get_group, _V2),
    *on_versions(patch, _GROUP, update_group, _V2),
    *on_versions(delete, _GROUP, delete_group, _V2, status_code=204),
    *on_versions(get, _GROUP + "/users", list_group_users, _V2),
    *on_versions(get, _USER, get_group_user, _V2),
    *on_versions(put, _USER, put_group_user, _V2, status_code=201),
    *on_versions(delete, _USER, delete_group_user, _V2, status_code=204),
]
