"""Learn's group vocabulary, once: the fields a group or group set body may say and the core change
objects they become (`core/courses/groups.py`), the enums, the group id forms and the tables errors
are spelled through.

A Learn group set is a core group category; its `enrollment` (SelfEnrollment, limit) is the category's
self sign-up and group limit, which its groups show as theirs. A group in no set keeps its own: its
`join_level` (open to join or not) and `max_membership`. `enrollment.type` is set only on creation, as
Learn's reference says, and a group in a set takes its set's. `enrollment.signupSheet` (name, description,
showMembers) is kept on the set or group as given; a PATCH changes the parts it names (null clears one).
"""

from __future__ import annotations

from typing import Any

from courseport.core.courses.group_queries import GroupQuery
from courseport.core.courses.groups import SELF_JOIN, CategoryChanges, CourseGroupChanges
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.dialects.blackboard.protocol import Call, id_ref

_SHEET = "enrollment.signupSheet."
# Learn's sign-up sheet part -> core's (core/courses/groups.py SIGNUP_SHEET).
SHEET_PARTS = {"name": "name", "description": "description", "showMembers": "show_members"}
WRITE_TYPES: dict[str, type] = {"externalId": str, "name": str, "description": str, "availability.available": str,
                                "enrollment.type": str, "enrollment.limit": int, _SHEET + "name": str,
                                _SHEET + "description": str, _SHEET + "showMembers": bool}
# Learn availability.available -> core group availability.
AVAILABILITY = {"Yes": "available", "No": "hidden", "SignupOnly": "signup_only"}
INSTRUCTOR_ONLY, SELF_ENROLLMENT = "InstructorOnly", "SelfEnrollment"
_ENROLLMENT = "enrollment.type"
_REF_KINDS = {"id": "id", "externalId": "external_id", "uuid": "uuid"}  # protocol.id_ref kinds -> core
_COMMON = {"name": "name", "description": "description", "external_id": "externalId",
           "availability": "availability.available"}
# Learn's search and sort words -> core's (core/courses/group_queries.py).
NAME_COMPARES = {"equals": "equals", "notEquals": "not_equals", "contains": "contains",
                 "notContains": "not_contains", "startsWith": "starts_with"}
SORTS = {"name": "name", "externalId": "external_id"}
# Core word -> Learn's, for errors the core raises on group set, group and group membership routes.
SET_NAMES = _COMMON | {"self_signup": _ENROLLMENT, "group_limit": "enrollment.limit",
                       "signup_sheet": "enrollment.signupSheet"}
GROUP_NAMES = _COMMON | {"join_level": _ENROLLMENT, "max_membership": "enrollment.limit", "user_id": "userId",
                         "group_id": "groupId", "signup_sheet": "enrollment.signupSheet"}


def group_ref(text: str, what: str = "group") -> tuple[str, str | int]:
    """A group (or group set, `what`) path id (`_N_1`, `externalId:x`, `uuid:x`) as a core (kind, value)."""
    kind, value = id_ref(text, what)
    if kind not in _REF_KINDS:  # courseId: names no group
        raise NotFound(what, f"{what.capitalize()} not found")
    return _REF_KINDS[kind], value


def group_query(call: Call) -> GroupQuery:
    """Every search parameter of a group or group set list; bad values are 400 naming the parameter."""
    compare = call.str("nameCompare")
    if compare is not None and compare not in NAME_COMPARES:
        raise InvalidInput("nameCompare", f"nameCompare must be one of {', '.join(NAME_COMPARES)}, got {compare!r}")
    return GroupQuery(name=call.str("name"), name_match=NAME_COMPARES[compare or "startsWith"],
                      stamps=call.stamp("created", "created_at") + call.stamp("modified", "updated_at"),
                      only_available=bool(call.bool("onlyAvailableGroupSets")),
                      non_empty=bool(call.bool("nonEmptyGroupSets")), in_set=call.bool("inGroupSet"),
                      sort=call.order(SORTS))


def body_fields(call: Call, *, create: bool) -> dict[str, Any]:
    """The flattened body, each field known, of its type and enum, in body order."""
    fields = call.body_fields(WRITE_TYPES)
    for name, value in fields.items():
        if name not in WRITE_TYPES:
            raise InvalidInput(name, f"{name} is not a field that may be set")
        if name == _ENROLLMENT and not create:
            raise InvalidInput(name, f"{name} may be set only when the group is created")
        if name == _ENROLLMENT and value not in (INSTRUCTOR_ONLY, SELF_ENROLLMENT):
            raise InvalidInput(name, f"{name} must be one of {INSTRUCTOR_ONLY}, {SELF_ENROLLMENT}, got {value!r}")
        if name == "availability.available" and value not in AVAILABILITY:
            raise InvalidInput(name, f"{name} must be one of {', '.join(AVAILABILITY)}, got {value!r}")
    return fields


def _common(fields: dict[str, Any], sheet: dict[str, Any] | None) -> dict[str, Any]:
    """The fields every group and set has, in core words; sign-up sheet parts given change `sheet` (the
    stored one), the others stay."""
    values = {core: fields[wire] for core, wire in _COMMON.items() if wire in fields}
    if "availability" in values:
        values["availability"] = AVAILABILITY[values["availability"]]
    parts = {core: fields[_SHEET + wire] for wire, core in SHEET_PARTS.items() if _SHEET + wire in fields}
    if parts:
        values["signup_sheet"] = {k: v for k, v in ((sheet or {}) | parts).items() if v is not None} or None
    return values


def set_changes(fields: dict[str, Any], sheet: dict[str, Any] | None = None) -> CategoryChanges:
    values = _common(fields, sheet)
    if _ENROLLMENT in fields:
        values["self_signup"] = "enabled" if fields[_ENROLLMENT] == SELF_ENROLLMENT else None
    if "enrollment.limit" in fields:
        values["group_limit"] = fields["enrollment.limit"]
    return CategoryChanges(**values)


def group_changes(fields: dict[str, Any], *, in_set: bool, sheet: dict[str, Any] | None = None
                  ) -> CourseGroupChanges:
    values = _common(fields, sheet)
    for name in (_ENROLLMENT, "enrollment.limit"):
        if name in fields and in_set:
            raise InvalidInput(name, f"{name} of a group in a set is its set's")
    if _ENROLLMENT in fields:
        values["join_level"] = SELF_JOIN if fields[_ENROLLMENT] == SELF_ENROLLMENT else "invitation_only"
    if "enrollment.limit" in fields:
        values["max_membership"] = fields["enrollment.limit"]
    return CourseGroupChanges(**values)
