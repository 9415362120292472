"""Learn JSON for course groups: the Group object (GroupV2 of the swagger) for group sets and groups,
and the GroupMembership object. Null fields are left out, as Learn does."""

from __future__ import annotations

from typing import Any

from courseport.core.courses.groups import IMPORTED, SELF_JOIN, GroupView
from courseport.dialects.blackboard.group_fields import AVAILABILITY, INSTRUCTOR_ONLY, SELF_ENROLLMENT, SHEET_PARTS
from courseport.dialects.blackboard.protocol import iso, learn_id
from courseport.dialects.blackboard.user_json import render_user
from courseport.schema import CourseGroup, GroupCategory, GroupMembership, User

_AVAILABLE = {core: wire for wire, core in AVAILABILITY.items()}


def _sheet(row: GroupCategory | CourseGroup) -> dict[str, Any] | None:
    return {wire: row.signup_sheet[core] for wire, core in SHEET_PARTS.items()
            if core in row.signup_sheet} if row.signup_sheet else None


def _body(row: GroupCategory | CourseGroup, set_id: int | None, description: str | None, self_enrolled: bool,
          limit: int | None) -> dict[str, Any]:
    enrollment: dict[str, Any] = {"type": SELF_ENROLLMENT if self_enrolled else INSTRUCTOR_ONLY, "limit": limit,
                                  "signupSheet": _sheet(row)}
    body = {"id": learn_id(row.id), "externalId": row.external_id, "groupSetId": learn_id(set_id),
            "name": row.name, "description": description,
            "availability": {"available": _AVAILABLE.get(row.availability, "Yes")},
            "enrollment": {k: v for k, v in enrollment.items() if v is not None}, "uuid": row.uuid,
            "created": iso(row.created_at), "modified": iso(row.updated_at)}
    return {k: v for k, v in body.items() if v is not None}


def render_group_set(c: GroupCategory) -> dict[str, Any]:
    return _body(c, None, c.description, c.self_signup is not None, c.group_limit)


def render_group(v: GroupView) -> dict[str, Any]:
    """A group in a set shows its set's enrollment; a group in no set its own."""
    g, c = v.group, v.category
    if c.role == IMPORTED:
        return _body(g, None, g.description, g.join_level == SELF_JOIN, g.max_membership)
    return _body(g, c.id, g.description, c.self_signup is not None, c.group_limit)


def render_group_membership(m: GroupMembership, user: User | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"userId": learn_id(m.user_id)}
    if user is not None:
        body["user"] = render_user(user)
    return body
