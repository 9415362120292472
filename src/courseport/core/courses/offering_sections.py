"""Sections of a course offering, named by org unit ids: list, read, create, rename, delete, enroll a user of
the offering in one, each with the user ids enrolled in it. A section is the core section (`sections`,
Canvas's course sections); its code is its SIS section id. The course's default section is the offering
itself, never listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses import enrollments, org_units, sections
from courseport.core.courses.sections import SectionChanges
from courseport.core.kit.paging import Window
from courseport.schema import Enrollment, Section, User

ALL = Window(0, 10_000)


@dataclass(frozen=True)
class SectionView:
    org_unit_id: int
    section: Section
    user_ids: list[int]


def _view(db: Session, section: Section) -> SectionView:
    users = db.scalars(select(Enrollment.user_id).where(
        Enrollment.course_section_id == section.id, Enrollment.workflow_state.not_in(("deleted", "rejected")))
        .distinct().order_by(Enrollment.user_id))
    return SectionView(org_units.org_unit_id_of(db, org_units.SECTION, section.id), section, list(users))


def _course_id(db: Session, offering_id: int) -> str:
    return str(org_units.ref_of(db, offering_id, org_units.COURSE_OFFERING))


def _section_ref(db: Session, offering_id: int, section_id: int) -> str:
    """The section's own id, checked to be a section of the offering."""
    section = db.get_one(Section, org_units.ref_of(db, section_id, org_units.SECTION))
    if str(section.course_id) != _course_id(db, offering_id):
        raise org_units.org_unit_not_found("section")
    return str(section.id)


def list_offering_sections(db: Session, actor: User, offering_id: int) -> list[SectionView]:
    _, _, listed = sections.list_sections(db, actor, _course_id(db, offering_id), None, ALL)
    return [_view(db, s) for s in sorted(listed.items, key=lambda s: s.id) if not s.default_section]


def offering_section(db: Session, actor: User, offering_id: int, section_id: int) -> SectionView:
    ref = _section_ref(db, offering_id, section_id)
    section, _, _ = sections.readable_section(db, actor, ref)
    return _view(db, section)


def _changes(name: str, code: str, description: str | None) -> SectionChanges:
    given = {"name", "sis_section_id"} | ({"description"} if description is not None else set())
    return SectionChanges(given, name=name, sis_section_id=code.strip() or None, description=description)


def create_offering_section(db: Session, actor: User, offering_id: int, name: str, code: str,
                            description: str | None = None) -> SectionView:
    """`description`: HTML (sanitised when kept); None: none."""
    changes = _changes(name, code, description)
    return _view(db, sections.create_section(db, actor, _course_id(db, offering_id), changes))


def update_offering_section(db: Session, actor: User, offering_id: int, section_id: int, name: str,
                            code: str, description: str | None = None) -> SectionView:
    """`description`: HTML that replaces the section's; None leaves it as it is."""
    ref = _section_ref(db, offering_id, section_id)
    return _view(db, sections.update_section(db, actor, ref, _changes(name, code, description)))


def delete_offering_section(db: Session, actor: User, offering_id: int, section_id: int) -> None:
    sections.delete_section(db, actor, _section_ref(db, offering_id, section_id))


def enroll_in_offering_section(db: Session, actor: User, offering_id: int, section_id: int, user_id: int) -> None:
    """A user enrolled in the offering joins one of its sections, in their role (organization admins)."""
    enrollments.add_to_section(db, actor, _section_ref(db, offering_id, section_id), str(user_id), admins_only=True)
