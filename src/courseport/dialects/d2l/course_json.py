"""Course.* JSON blocks: CourseOffering with its BasicOrgUnits, CourseTemplate, SchemaElement."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import object_session

from courseport.core.courses import org_units
from courseport.core.courses.course_offerings import OfferingView
from courseport.core.courses.org_units import OrgUnit, ParentRule
from courseport.dialects.d2l.protocol import d2l_id, utc


def offering_org_unit_id(row: object, course_id: int) -> int:
    """The org unit id of course `course_id`, read in the session that loaded `row` (for renderers given no session)."""
    db = object_session(row)
    if db is None:
        raise RuntimeError("offering_org_unit_id needs a row loaded in a session")
    return org_units.org_unit_id_of(db, org_units.COURSE_OFFERING, course_id)


def render_basic_org_unit(unit: OrgUnit | None) -> dict[str, Any] | None:
    if unit is None:
        return None
    return {"Identifier": d2l_id(unit.id), "Name": unit.name, "Code": unit.code}


def render_offering(view: OfferingView) -> dict[str, Any]:
    course = view.course
    return {
        "Identifier": d2l_id(view.org_unit_id), "Name": course.name, "Code": course.course_code,
        "IsActive": course.workflow_state == "available", "Path": course.content_path or "",
        "StartDate": utc(course.start_at), "EndDate": utc(course.end_at),
        "CourseTemplate": render_basic_org_unit(view.template),
        "Semester": render_basic_org_unit(view.semester),
        "Department": render_basic_org_unit(view.department),
    }


def render_template(template: OrgUnit) -> dict[str, Any]:
    return {"Identifier": d2l_id(template.id), "Code": template.code, "Name": template.name, "Path": template.path}


# Core org unit kind -> D2L's built-in org unit type (Id, Code, Name).
ORG_UNIT_TYPES = {
    org_units.ORGANIZATION: (1, "Organization", "Organization"),
    org_units.COURSE_TEMPLATE: (2, "Course Template", "Course Template"),
    org_units.COURSE_OFFERING: (3, "Course Offering", "Course Offering"),
    org_units.SEMESTER: (5, "Semester", "Semester"),
    org_units.DEPARTMENT: (101, "Department", "Department"),
    org_units.SECTION: (102, "Section", "Section"),
    org_units.GROUP: (4, "Group", "Group"),
}


def render_org_unit_type(kind: str) -> dict[str, Any]:
    type_id, code, name = ORG_UNIT_TYPES[kind]
    return {"Id": type_id, "Code": code, "Name": name}


def render_schema(rules: tuple[ParentRule, ...]) -> list[dict[str, Any]]:
    return [{"Type": render_org_unit_type(r.kind), "IsNotAllowed": r.not_allowed, "IsRequired": r.required}
            for r in rules]
