"""Course offering routes (lp 1.1+): create, read, replace (CourseOfferingInfo), delete. Offerings, their
template and semester are named by org unit ids (core/courses/org_units.py)."""

from __future__ import annotations

from litestar import Response

from courseport.core.courses import course_offerings
from courseport.core.courses.course_offerings import NewOffering, OfferingInfo
from courseport.core.kit.errors import spelled_as
from courseport.dialects.d2l.course_json import render_offering
from courseport.dialects.d2l.protocol import (
    BOOLEAN,
    D2LID,
    DATE,
    OPTIONAL_D2LID,
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

BASE = "/api/lp/{version:str}/courses"
SINCE = {"since": "1.1"}
CREATE_SPEC = {
    "Name": (STRING, True), "Code": (STRING, True), "Path": (STRING, False), "CourseTemplateId": (D2LID, True),
    "SemesterId": (OPTIONAL_D2LID, False), "StartDate": (DATE, False), "EndDate": (DATE, False),
    "LocaleId": (OPTIONAL_D2LID, False), "ForceLocale": (BOOLEAN, False), "ShowAddressBook": (BOOLEAN, False),
}
INFO_SPEC = {"Name": (STRING, True), "Code": (STRING, True), "StartDate": (DATE, False),
             "EndDate": (DATE, False), "IsActive": (BOOLEAN, True)}
# Core course field -> its name in Valence's course offering and template blocks.
VALENCE_NAMES = {"name": "Name", "course_code": "Code", "start_at": "StartDate", "end_at": "EndDate"}


def content_root(org_unit_id: int, code: str) -> str:
    """The content root path D2L gives an offering or template created without one."""
    return f"/content/enforced/{org_unit_id}-{code}/"


@post(BASE, opt=SINCE)
def create_offering(call: Call, version: str) -> dict:
    f = block_fields(call.block(), CREATE_SPEC)
    new = NewOffering(f["Name"], f["Code"], f["Path"] or "", f["CourseTemplateId"], f["SemesterId"],
                      f["StartDate"], f["EndDate"])
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        return render_offering(course_offerings.create_offering(db, me, new, default_path=content_root))


@get(BASE + "/{org_unit_id:str}", opt=SINCE)
def get_offering(call: Call, version: str, org_unit_id: str) -> dict:
    ou = route_id(org_unit_id, "course offering")
    with call.read() as (db, me):
        return render_offering(course_offerings.readable_offering(db, me, ou))


@put(BASE + "/{org_unit_id:str}", opt=SINCE)
def update_offering(call: Call, version: str, org_unit_id: str) -> Response:
    ou = route_id(org_unit_id, "course offering")
    f = block_fields(call.block(), INFO_SPEC)
    info = OfferingInfo(f["Name"], f["Code"], f["StartDate"], f["EndDate"], f["IsActive"])
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        course_offerings.replace_offering(db, me, ou, info)
    return empty()


@delete(BASE + "/{org_unit_id:str}", opt=SINCE)
def delete_offering(call: Call, version: str, org_unit_id: str) -> Response:
    ou = route_id(org_unit_id, "course offering")
    with call.write() as (db, me):
        course_offerings.delete_offering(db, me, ou)
    return empty()


ROUTES = [create_offering, get_offering, update_offering, delete_offering]
