"""Section routes of a course offering (lp): list, create (SectionData), read, replace (SectionPropertyData),
delete, and enroll a user of the offering in one (SectionEnrollment). Offerings and sections are named by
org unit ids; a section is the core (Canvas) section."""

from __future__ import annotations

from litestar import Response

from courseport.core.courses import offering_sections
from courseport.core.kit.errors import spelled_as
from courseport.dialects.d2l.protocol import D2LID, STRING, Call, block_fields, delete, empty, get, post, put, route_id
from courseport.dialects.d2l.section_json import description_html, render_section

BASE = "/api/lp/{version:str}/{org_unit_id:str}/sections"
SPEC = {"Name": (STRING, True), "Code": (STRING, True)}
ENROLLMENT_SPEC = {"UserId": (D2LID, True)}
VALENCE_NAMES = {"name": "Name", "sis_section_id": "Code", "description": "Description", "user_id": "UserId"}


def _fields(call: Call) -> dict:
    block = call.block()
    return {**block_fields(block, SPEC), "Description": description_html(block)}


@get(BASE + "/")
def list_sections(call: Call, version: str, org_unit_id: str) -> list:
    ou = route_id(org_unit_id)
    with call.read() as (db, me):
        return [render_section(v) for v in offering_sections.list_offering_sections(db, me, ou)]


@post(BASE + "/")
def create_section(call: Call, version: str, org_unit_id: str) -> dict:
    ou, f = route_id(org_unit_id), _fields(call)
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        return render_section(offering_sections.create_offering_section(db, me, ou, f["Name"], f["Code"],
                                                                        f["Description"]))


@get(BASE + "/{section_id:str}")
def get_section(call: Call, version: str, org_unit_id: str, section_id: str) -> dict:
    ou, sid = route_id(org_unit_id), route_id(section_id, "section")
    with call.read() as (db, me):
        return render_section(offering_sections.offering_section(db, me, ou, sid))


@put(BASE + "/{section_id:str}")
def update_section(call: Call, version: str, org_unit_id: str, section_id: str) -> dict:
    ou, sid, f = route_id(org_unit_id), route_id(section_id, "section"), _fields(call)
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        return render_section(offering_sections.update_offering_section(db, me, ou, sid, f["Name"], f["Code"],
                                                                        f["Description"]))


@delete(BASE + "/{section_id:str}")
def delete_section(call: Call, version: str, org_unit_id: str, section_id: str) -> Response:
    ou, sid = route_id(org_unit_id), route_id(section_id, "section")
    with call.write() as (db, me):
        offering_sections.delete_offering_section(db, me, ou, sid)
    return empty()


@post(BASE + "/{section_id:str}/enrollments/")
def enroll_in_section(call: Call, version: str, org_unit_id: str, section_id: str) -> Response:
    """SectionEnrollment `{UserId}`: a user of the offering joins the section; 200 with no body."""
    ou, sid = route_id(org_unit_id), route_id(section_id, "section")
    f = block_fields(call.block(), ENROLLMENT_SPEC)
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        offering_sections.enroll_in_offering_section(db, me, ou, sid, f["UserId"])
    return empty()


ROUTES = [list_sections, create_section, get_section, update_section, delete_section, enroll_in_section]
