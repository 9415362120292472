"""Course offerings (D2L): ordinary courses created from a course template, with the org units
they relate to. An active offering is the course being offered (available) rather than unpublished.

Offerings, templates and semesters are named by their org unit ids (`org_units`). An offering keeps its
content root path; one the caller leaves empty is made by the face's convention (`default_path`, from
the new offering's org unit id and code), which is that API's vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from courseport.core.courses import courses, org_units
from courseport.core.courses.course_templates import managed_template
from courseport.core.courses.courses import CourseChanges
from courseport.core.courses.org_units import OrgUnit
from courseport.core.kit.changes import UNSET
from courseport.core.kit.errors import InvalidInput
from courseport.schema import Course, User


@dataclass(frozen=True)
class NewOffering:
    name: str
    code: str
    path: str
    template_id: int
    semester_id: int | None
    start_at: datetime | None
    end_at: datetime | None


@dataclass(frozen=True)
class OfferingInfo:
    name: str
    code: str
    start_at: datetime | None
    end_at: datetime | None
    is_active: bool


@dataclass(frozen=True)
class OfferingView:
    org_unit_id: int
    course: Course
    template: OrgUnit | None
    semester: OrgUnit | None
    department: OrgUnit | None


def view_of(db: Session, course: Course) -> OfferingView:
    return OfferingView(org_units.org_unit_id_of(db, org_units.COURSE_OFFERING, course.id), course,
                        org_units.template_of(db, course), org_units.semester_of(db, course),
                        org_units.department_of(db, course.account_id))


def offering_course_id(db: Session, org_unit_id: int) -> int:
    """The course id of a course offering's org unit id."""
    return org_units.ref_of(db, org_unit_id, org_units.COURSE_OFFERING)


def readable_offering(db: Session, actor: User, org_unit_id: int) -> OfferingView:
    course, _ = courses.readable_course(db, actor, offering_course_id(db, org_unit_id))
    return view_of(db, course)


def _checked_name(name: str) -> str:
    if not name.strip():
        raise InvalidInput("name", "name must not be empty")
    return name.strip()


def create_offering(db: Session, actor: User, new: NewOffering, *,
                    default_path: Callable[[int, str], str]) -> OfferingView:
    """A course in the template's department and the semester's term, offered at once."""
    template = managed_template(db, actor, new.template_id)
    term_id = org_units.semester(db, new.semester_id).id if new.semester_id is not None else None
    changes = CourseChanges(name=_checked_name(new.name), course_code=new.code.strip(), start_at=new.start_at,
                            end_at=new.end_at, term_id=UNSET if term_id is None else term_id)
    course = courses.create_course(db, actor, template.account_id, changes, offer=True)
    course.course_template_id = template.id
    view = view_of(db, course)
    course.content_path = new.path or default_path(view.org_unit_id, course.course_code)
    db.flush()
    return view


def replace_offering(db: Session, actor: User, org_unit_id: int, info: OfferingInfo) -> OfferingView:
    """Every field of the offering replaced by `info`'s (dates left out become none)."""
    course = courses.resolve_course(db, offering_course_id(db, org_unit_id))
    event = None
    if info.is_active and course.workflow_state != "available":
        event = "offer"
    elif not info.is_active and course.workflow_state == "available":
        event = "claim"
    changes = CourseChanges(name=_checked_name(info.name), course_code=info.code.strip(), start_at=info.start_at,
                            end_at=info.end_at)
    return view_of(db, courses.update_course(db, actor, course.id, changes, event=event))


def delete_offering(db: Session, actor: User, org_unit_id: int) -> None:
    courses.delete_or_conclude(db, actor, offering_course_id(db, org_unit_id), "delete")
