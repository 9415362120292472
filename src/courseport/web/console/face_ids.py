"""A course's ids in each face, as the pages show them. Each face's id form comes from that face's own
helper; `d2l_org_unit_id` is the one place the D2L id is read, so it can follow the org-unit mapping."""

from __future__ import annotations

from courseport.dialects.blackboard.protocol import learn_id
from courseport.dialects.d2l.protocol import d2l_id
from courseport.schema import Course


def d2l_org_unit_id(course: Course) -> str | None:
    """The course's OrgUnitId in the Valence face."""
    return d2l_id(course.id)


def face_ids(course: Course) -> list[tuple[str, str]]:
    """(label, id) for every face that reaches the course; SCORM Cloud only for a packaged course."""
    found = [("Canvas id", str(course.id)), ("Learn courseId", course.course_code or ""),
             ("Learn id", learn_id(course.id) or ""), ("D2L OrgUnitId", d2l_org_unit_id(course) or "")]
    if course.scorm_course_id:
        found.append(("SCORM Cloud course id", course.scorm_course_id))
    return found
