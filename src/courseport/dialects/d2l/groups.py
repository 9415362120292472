"""Group routes of a course offering (lp): group categories (GroupCategoryData: list, create, read, update,
delete), their groups (GroupData: list, create, read, update, delete) and who is in a group (GroupEnrollment
`{UserId}` in, a user id out). Offerings and groups are named by org unit ids (a group is an org unit of
type Group, as in Brightspace), categories by their core ids; they are the rows the Canvas and Learn faces
serve (`core/courses/offering_groups.py`), where a group keeps its own id. Those who manage the offering's
students (instructors, TAs, admins) write; everyone in the offering reads, as core has it.
"""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.courses import offering_groups
from courseport.core.courses.offering_groups import CategoryUpdate, NewCategory, Placement
from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.dialects.d2l.group_json import STYLES, render_category, render_group
from courseport.dialects.d2l.protocol import (
    BOOLEAN,
    D2LID,
    DATE,
    OPTIONAL_D2LID,
    OPTIONAL_STRING,
    STRING,
    Call,
    block_fields,
    delete,
    empty,
    get,
    post,
    put,
    route_id,
)
from courseport.dialects.d2l.section_json import description_html
from courseport.dialects.params import check_int

BASE = "/api/lp/{version:str}/{org_unit_id:str}/groupcategories"
CATEGORY = BASE + "/{category_id:str}"
GROUP = CATEGORY + "/groups/{group_id:str}"
CATEGORY_SPEC = {"Name": (STRING, True), "AutoEnroll": (BOOLEAN, False), "RandomizeEnrollments": (BOOLEAN, False),
                 "AllocateAfterExpiry": (BOOLEAN, False), "SelfEnrollmentExpiryDate": (DATE, False),
                 "GroupPrefix": (OPTIONAL_STRING, False), "RestrictedByOrgUnitId": (OPTIONAL_D2LID, False),
                 "DescriptionsVisibleToEnrolees": (BOOLEAN, False)}
NUMBERS = ("EnrollmentQuantity", "NumberOfGroups", "MaxUsersPerGroup")
GROUP_SPEC = {"Name": (STRING, True), "Code": (OPTIONAL_STRING, False)}
CODE_REFUSES = "\\:*?\"<>|'#,%&"
ENROLLMENT_SPEC = {"UserId": (D2LID, True)}
VALENCE_NAMES = {"name": "Name", "description": "Description", "group_limit": "MaxUsersPerGroup",
                 "max_members": "MaxUsersPerGroup", "group_count": "NumberOfGroups", "style": "EnrollmentStyle",
                 "auto_enroll": "AutoEnroll", "external_id": "Code", "user_id": "UserId", "group_id": "GroupId",
                 "group_category_id": "GroupCategoryId", "group_prefix": "GroupPrefix"}
# wire field -> CategoryUpdate field, for the fields an update replaces when sent
UPDATED = {"AutoEnroll": "auto_enroll", "RandomizeEnrollments": "randomize", "AllocateAfterExpiry":
           "allocate_after_expiry", "SelfEnrollmentExpiryDate": "self_signup_ends_at", "GroupPrefix": "group_prefix",
           "DescriptionsVisibleToEnrolees": "descriptions_visible", "MaxUsersPerGroup": "max_members"}
_NAMES = {name: code for code, (name, _) in STYLES.items()}


def _style(block: dict[str, Any]) -> str:
    """EnrollmentStyle: a GRPENROLL_T number, or its name."""
    value = block.get("EnrollmentStyle")
    code = _NAMES.get(value) if isinstance(value, str) else value
    if isinstance(code, bool) or code not in STYLES:
        raise InvalidInput("EnrollmentStyle", "EnrollmentStyle must be a GRPENROLL_T: a number from 0 to 6.")
    return STYLES[code][1]


def _number(block: dict[str, Any], name: str) -> int | None:
    value = block.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(name, f"{name} must be a number (0 or more) or null.")
    return check_int(value, name)


def _category_fields(call: Call) -> tuple[dict[str, Any], dict[str, Any]]:
    """The block and its checked fields (numbers, Description as HTML); a section restriction is refused."""
    block = call.block()
    f = {**block_fields(block, CATEGORY_SPEC), **{n: _number(block, n) for n in NUMBERS},
         "Description": description_html(block)}
    if f["RestrictedByOrgUnitId"] is not None:
        raise InvalidInput("RestrictedByOrgUnitId", "RestrictedByOrgUnitId must be null: a category restricted "
                                                    "to a section is not offered here.")
    return block, f


def _new_category(call: Call) -> NewCategory:
    block, f = _category_fields(call)
    style = _style(block)
    placement = Placement(style=style, auto_enroll=bool(f["AutoEnroll"]), randomize=bool(f["RandomizeEnrollments"]),
                          quantity=f["EnrollmentQuantity"], self_signup_ends_at=f["SelfEnrollmentExpiryDate"],
                          allocate_after_expiry=bool(f["AllocateAfterExpiry"]), group_prefix=f["GroupPrefix"],
                          descriptions_visible=bool(f["DescriptionsVisibleToEnrolees"]))
    return NewCategory(f["Name"], f["Description"], placement, f["NumberOfGroups"], f["MaxUsersPerGroup"])


def _category_update(call: Call) -> CategoryUpdate:
    """Name replaced; every other field replaced when sent, kept otherwise."""
    block, f = _category_fields(call)
    values: dict[str, Any] = {"name": f["Name"], "description": f["Description"]}
    for wire, core in UPDATED.items():
        if wire in block:
            values[core] = bool(f[wire]) if CATEGORY_SPEC.get(wire, ("",))[0] == BOOLEAN else f[wire]
    if "EnrollmentStyle" in block:
        values["style"] = _style(block)
    return CategoryUpdate(**values)


def _group_fields(call: Call) -> dict[str, Any]:
    """GroupData's input: Name, Code (none of the characters D2L refuses in a group code), Description."""
    block = call.block()
    f = {**block_fields(block, GROUP_SPEC), "Description": description_html(block)}
    if set(f["Code"] or "") & set(CODE_REFUSES):
        raise InvalidInput("Code", f"Code may not hold any of {' '.join(CODE_REFUSES)}")
    return f


def _ids(org_unit_id: str, category_id: str, group_id: str | None = None) -> tuple[int, ...]:
    ids = (route_id(org_unit_id), route_id(category_id, "group category"))
    return ids if group_id is None else (*ids, route_id(group_id, "group"))


@get(BASE + "/")
def list_categories(call: Call, version: str, org_unit_id: str) -> list:
    ou = route_id(org_unit_id)
    with call.read() as (db, me):
        return [render_category(v) for v in offering_groups.list_offering_categories(db, me, ou)]


@post(BASE + "/")
def create_category(call: Call, version: str, org_unit_id: str) -> dict:
    """GroupCategoryData of the new category, its groups made (and filled, as its style says)."""
    ou, new = route_id(org_unit_id), _new_category(call)
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        return render_category(offering_groups.create_offering_category(db, me, ou, new))


@get(CATEGORY)
def get_category(call: Call, version: str, org_unit_id: str, category_id: str) -> dict:
    ou, cid = _ids(org_unit_id, category_id)
    with call.read() as (db, me):
        return render_category(offering_groups.offering_category(db, me, ou, cid))


@put(CATEGORY)
def update_category(call: Call, version: str, org_unit_id: str, category_id: str) -> dict:
    (ou, cid), update = _ids(org_unit_id, category_id), _category_update(call)
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        return render_category(offering_groups.update_offering_category(db, me, ou, cid, update))


@delete(CATEGORY)
def delete_category(call: Call, version: str, org_unit_id: str, category_id: str) -> Response:
    ou, cid = _ids(org_unit_id, category_id)
    with call.write() as (db, me):
        offering_groups.delete_offering_category(db, me, ou, cid)
    return empty()


@get(CATEGORY + "/groups/")
def list_groups(call: Call, version: str, org_unit_id: str, category_id: str) -> list:
    ou, cid = _ids(org_unit_id, category_id)
    with call.read() as (db, me):
        return [render_group(v) for v in offering_groups.list_offering_groups(db, me, ou, cid)]


@post(CATEGORY + "/groups/")
def create_group(call: Call, version: str, org_unit_id: str, category_id: str) -> dict:
    (ou, cid), f = _ids(org_unit_id, category_id), _group_fields(call)
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        return render_group(offering_groups.create_offering_group(db, me, ou, cid, f["Name"], f["Code"],
                                                                  f["Description"]))


@get(GROUP)
def get_group(call: Call, version: str, org_unit_id: str, category_id: str, group_id: str) -> dict:
    ou, cid, gid = _ids(org_unit_id, category_id, group_id)
    with call.read() as (db, me):
        return render_group(offering_groups.offering_group(db, me, ou, cid, gid))


@put(GROUP)
def update_group(call: Call, version: str, org_unit_id: str, category_id: str, group_id: str) -> dict:
    (ou, cid, gid), f = _ids(org_unit_id, category_id, group_id), _group_fields(call)
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        return render_group(offering_groups.update_offering_group(db, me, ou, cid, gid, f["Name"], f["Code"],
                                                                  f["Description"]))


@delete(GROUP)
def delete_group(call: Call, version: str, org_unit_id: str, category_id: str, group_id: str) -> Response:
    ou, cid, gid = _ids(org_unit_id, category_id, group_id)
    with call.write() as (db, me):
        offering_groups.delete_offering_group(db, me, ou, cid, gid)
    return empty()


@post(GROUP + "/enrollments/")
def enroll_in_group(call: Call, version: str, org_unit_id: str, category_id: str, group_id: str) -> Response:
    """GroupEnrollment `{UserId}`: a user of the offering joins the group; 200 with no body."""
    ou, cid, gid = _ids(org_unit_id, category_id, group_id)
    f = block_fields(call.block(), ENROLLMENT_SPEC)
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        offering_groups.enroll_in_offering_group(db, me, ou, cid, gid, f["UserId"])
    return empty()


@delete(GROUP + "/enrollments/{user_id:str}")
def unenroll_from_group(call: Call, version: str, org_unit_id: str, category_id: str, group_id: str,
                        user_id: str) -> Response:
    ou, cid, gid = _ids(org_unit_id, category_id, group_id)
    uid = route_id(user_id, "user")
    with call.write() as (db, me):
        offering_groups.unenroll_from_offering_group(db, me, ou, cid, gid, uid)
    return empty()


ROUTES = [list_categories, create_category, get_category, update_category, delete_category, list_groups,
          create_group, get_group, update_group, delete_group, enroll_in_group, unenroll_from_group]
