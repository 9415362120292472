"""A course's ids in each face, as the pages show them: Learn's from its own helper, D2L's OrgUnitId from
the one org unit id namespace (`core/courses/org_units.py`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from courseport.core.courses import org_units
from courseport.core.kit.errors import NotFound
from courseport.dialects.blackboard.protocol import learn_id
from courseport.schema import Course


def d2l_org_unit_id(db: Session, course: Course) -> str | None:
    """The course's OrgUnitId in the Valence face (its org unit mapping)."""
    try:
        return str(org_units.org_unit_id_of(db, org_units.COURSE_OFFERING, course.id))
    except NotFound:
        return None


def face_ids(db: Session, course: Course) -> list[tuple[str, str]]:
    """(label, id) for every face that reaches the course; SCORM Cloud only for a packaged course."""
    found = [("Canvas id", str(course.id)), ("Learn courseId", course.course_code or ""),
             ("Learn id", learn_id(course.id) or ""), ("D2L OrgUnitId", d2l_org_unit_id(db, course) or "")]
    if course.scorm_course_id:
        found.append(("SCORM Cloud course id", course.scorm_course_id))
    return found
