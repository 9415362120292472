"""Course template routes (lp 1.1+): create (CreateCourseTemplate), read, replace (CourseTemplateInfo), delete.
Templates and their parents are named by org unit ids (core/courses/org_units.py)."""

from __future__ import annotations

from litestar import Response

from courseport.core.courses import course_templates
from courseport.core.kit.errors import spelled_as
from courseport.dialects.d2l.course_json import render_template
from courseport.dialects.d2l.courses import VALENCE_NAMES, content_root
from courseport.dialects.d2l.protocol import D2LIDS, STRING, Call, block_fields, delete, empty, get, post, put, route_id

BASE = "/api/lp/{version:str}/coursetemplates"
SINCE = {"since": "1.1"}
CREATE_SPEC = {"Name": (STRING, True), "Code": (STRING, True), "Path": (STRING, False),
               "ParentOrgUnitIds": (D2LIDS, False)}
INFO_SPEC = {"Name": (STRING, True), "Code": (STRING, True)}


@post(BASE, opt=SINCE)
def create_template(call: Call, version: str) -> dict:
    f = block_fields(call.block(), CREATE_SPEC)
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        return render_template(course_templates.create_template(db, me, f["Name"], f["Code"], f["Path"] or "",
                                                                f["ParentOrgUnitIds"], default_path=content_root))


@get(BASE + "/{org_unit_id:str}", opt=SINCE)
def get_template(call: Call, version: str, org_unit_id: str) -> dict:
    ou = route_id(org_unit_id, "course template")
    with call.read() as (db, me):
        return render_template(course_templates.readable_template(db, me, ou))


@put(BASE + "/{org_unit_id:str}", opt=SINCE)
def update_template(call: Call, version: str, org_unit_id: str) -> Response:
    ou = route_id(org_unit_id, "course template")
    f = block_fields(call.block(), INFO_SPEC)
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        course_templates.replace_template(db, me, ou, f["Name"], f["Code"])
    return empty()


@delete(BASE + "/{org_unit_id:str}", opt=SINCE)
def delete_template(call: Call, version: str, org_unit_id: str) -> Response:
    ou = route_id(org_unit_id, "course template")
    with call.write() as (db, me):
        course_templates.delete_template(db, me, ou)
    return empty()


ROUTES = [create_template, get_template, update_template, delete_template]
