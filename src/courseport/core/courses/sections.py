"""Course sections: find by any id form, list, create, edit, delete, cross-list to another course and back.

Rights are the course's (permissions.PERMISSION_ALIASES names Canvas's section permissions after ours):
reading a section needs the roster or grades of its course, or an enrollment in it; adding, editing and
deleting need the course's section rights; cross-listing needs them in the section's course and the
course-management right in the other. SIS ids are set only by those who manage SIS data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from courseport.core.courses.courses import resolve_course
from courseport.core.identity import sis_stickiness, tenancy
from courseport.core.identity.permissions import PERMISSION_ALIASES, CourseRights, course_rights, require
from courseport.core.kit.errors import DomainError, InvalidInput, NotAllowed, NotFound
from courseport.core.kit.html import sanitize_html
from courseport.core.kit.ids import store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.core.kit.uniqueness import held_by_another
from courseport.schema import Course, Enrollment, Section, User
from courseport.schema.base import utcnow

READ_RIGHTS = ("read_roster", "view_all_grades", "manage_grades")
ADD, EDIT, DELETE = (PERMISSION_ALIASES[f"manage_sections_{verb}"] for verb in ("add", "edit", "delete"))
MIN_SEARCH_LENGTH = 2
_NAME_LIMIT = 255  # the column's length
_ID_PREFIXES = {"sis_section_id:": Section.sis_section_id, "sis_integration_id:": Section.integration_id}


@dataclass
class SectionChanges:
    """What a create or update sets; a field absent from `given` is left alone."""

    given: set[str] = field(default_factory=set)
    name: str | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None
    restrict_enrollments_to_section_dates: bool | None = None
    sis_section_id: str | None = None
    integration_id: str | None = None
    description: str | None = None  # HTML, sanitised when kept ("" clears it)


def resolve_section(db: Session, ref: str) -> Section:
    """A live section of a live course by id, `sis_section_id:` or `sis_integration_id:`."""
    stmt: Select | None = None
    for prefix, column in _ID_PREFIXES.items():
        if ref.startswith(prefix):
            stmt = select(Section).where(column == ref[len(prefix):]).order_by(
                tenancy.caller_first(db, Course.root_account_id), Section.id)
    if stmt is None:
        section_id = store_id(ref)
        stmt = None if section_id is None else select(Section).where(Section.id == section_id)
    live = (Section.workflow_state != "deleted") & (Course.workflow_state != "deleted")
    section = None if stmt is None else db.scalar(
        stmt.join(Course, Course.id == Section.course_id).where(live).limit(1))
    if section is None:
        raise NotFound("section")
    return section


def readable_section(db: Session, actor: User, ref: str, course_ref: str | None = None
                     ) -> tuple[Section, Course, CourseRights]:
    """A section the actor may read; with `course_ref`, it must be a section of that course."""
    course = resolve_course(db, course_ref) if course_ref is not None else None
    section = resolve_section(db, ref)
    if course is not None and section.course_id != course.id:
        raise NotFound("section")
    course = course or resolve_course(db, section.course_id)
    rights = course_rights(db, actor, course)
    if not (any(rights.can(r) for r in READ_RIGHTS) or _enrolled_in(db, actor, section)):
        raise NotAllowed()
    return section, course, rights


def _enrolled_in(db: Session, actor: User, section: Section) -> bool:
    return db.scalar(select(Enrollment.id).where(
        Enrollment.user_id == actor.id, Enrollment.course_section_id == section.id,
        Enrollment.workflow_state.in_(("active", "invited", "completed"))).limit(1)) is not None


def list_sections(db: Session, actor: User, course_ref: str, search_term: str | None, window: Window
                  ) -> tuple[Course, CourseRights, Slice[Section]]:
    """The course's live sections by name (case-insensitive), then id; anyone who reads the course."""
    course = resolve_course(db, course_ref)
    rights = course_rights(db, actor, course)
    if not (rights.can("read") or any(rights.can(r) for r in READ_RIGHTS)):
        raise NotAllowed()
    stmt = select(Section).where(Section.course_id == course.id, Section.workflow_state != "deleted")
    if search_term:
        if len(search_term) < MIN_SEARCH_LENGTH:
            raise InvalidInput("search_term", f"{MIN_SEARCH_LENGTH} or more characters is required")
        stmt = stmt.where(func.lower(Section.name).contains(search_term.lower(), autoescape=True))
    return course, rights, fetch_window(db, stmt.order_by(func.lower(Section.name), Section.id), window)


def create_section(db: Session, actor: User, course_ref: str, changes: SectionChanges, *,
                   reactivate: bool = False) -> Section:
    """A new section (or, with `reactivate`, the course's deleted section holding the SIS id, made live)."""
    course = resolve_course(db, course_ref)
    rights = course_rights(db, actor, course)
    require(rights, ADD)
    manages_sis = rights.can("manage_sis")
    section = None
    if manages_sis and changes.sis_section_id and reactivate:
        section = db.scalar(select(Section).where(Section.course_id == course.id, Section.workflow_state == "deleted",
                                                  Section.sis_section_id == changes.sis_section_id))
    if section is None:
        name = f"{course.name} {utcnow().date().isoformat()}"  # Canvas's name for a section given none
        section = Section(course_id=course.id, name=name, default_section=False)
        db.add(section)
    section.workflow_state = "active"
    if not (changes.name or "").strip():
        changes.given.discard("name")  # a blank name keeps the one Canvas gives
    _apply(db, section, changes, sis=manages_sis)
    return section


def update_section(db: Session, actor: User, ref: str, changes: SectionChanges) -> Section:
    section, course = _section_with_right(db, actor, ref, EDIT)
    sis_given = {"sis_section_id", "integration_id"} & changes.given
    if sis_given and not course_rights(db, actor, course).can("manage_sis"):
        raise NotAllowed("You must have manage_sis permission to update sis attributes")
    before = sis_stickiness.watch("section", section)
    _apply(db, section, changes, sis=True)
    db.flush()
    sis_stickiness.note(db, "section", section, before)
    return section


def delete_section(db: Session, actor: User, ref: str) -> Section:
    """Mark a section without enrollments deleted; a deleted default section stops being the default."""
    section, _ = _section_with_right(db, actor, ref, DELETE)
    enrolled = select(Enrollment.id).where(Enrollment.course_section_id == section.id,
                                           Enrollment.workflow_state.not_in(("deleted", "rejected")))
    if db.scalar(enrolled.limit(1)) is not None:
        raise DomainError("You can't delete a section that has enrollments")
    section.workflow_state, section.default_section = "deleted", False
    db.flush()
    return section


def crosslist_section(db: Session, actor: User, ref: str, course_ref: str) -> Section:
    """Move the section, with its enrollments, into another live course of the same root account."""
    section, course = _section_with_right(db, actor, ref, EDIT)
    target = resolve_course(db, course_ref)
    if target.root_account_id != course.root_account_id:
        raise NotFound("course")
    require(course_rights(db, actor, target), PERMISSION_ALIASES["manage"])
    if target.id != section.course_id:
        _move(db, section, target, home=section.nonxlist_course_id or section.course_id)
    return section


def uncrosslist_section(db: Session, actor: User, ref: str, course_ref: str | None = None) -> Section:
    """Return a cross-listed section to its own course; with `course_ref`, it must sit in that course."""
    section, course = _section_with_right(db, actor, ref, EDIT)
    if course_ref is not None and resolve_course(db, course_ref).id != course.id:
        raise NotFound("course")
    if section.nonxlist_course_id is None:
        raise DomainError("section is not cross-listed")
    home = resolve_course(db, section.nonxlist_course_id, include_deleted=True)
    require(course_rights(db, actor, home), PERMISSION_ALIASES["manage"])
    _move(db, section, home, home=home.id)
    return section


def _move(db: Session, section: Section, target: Course, *, home: int) -> None:
    section.course_id, section.default_section = target.id, False
    section.nonxlist_course_id = None if home == target.id else home
    db.execute(update(Enrollment).where(Enrollment.course_section_id == section.id).values(
        course_id=target.id, root_account_id=target.root_account_id, updated_at=utcnow()))
    db.flush()


def _section_with_right(db: Session, actor: User, ref: str, right: str) -> tuple[Section, Course]:
    section = resolve_section(db, ref)
    course = resolve_course(db, section.course_id)
    require(course_rights(db, actor, course), right)
    return section, course


def _apply(db: Session, section: Section, changes: SectionChanges, *, sis: bool) -> None:
    """Canvas ignores SIS fields from callers who may not set them (the update refuses them before)."""
    values: dict[str, Any] = {k: getattr(changes, k) for k in changes.given}
    if "name" in values:
        name = (values["name"] or "").strip()
        if not name:
            raise InvalidInput("name", "name must not be blank")
        if len(name) > _NAME_LIMIT:
            raise InvalidInput("name", f"name may be at most {_NAME_LIMIT} characters long")
        section.name = name
    for key in ("start_at", "end_at"):
        if key in values:
            setattr(section, key, values[key])
    if values.get("restrict_enrollments_to_section_dates") is not None:
        section.restrict_enrollments_to_section_dates = values["restrict_enrollments_to_section_dates"]
    if "description" in values:
        section.description = sanitize_html(values["description"], "description") or None
    if section.start_at and section.end_at and section.end_at < section.start_at:
        raise InvalidInput("end_at", "end_at must not be before start_at")
    if sis:
        _claim(db, section, "sis_section_id", values)
        _claim(db, section, "integration_id", values)
    db.flush()


def _claim(db: Session, section: Section, key: str, values: dict[str, Any]) -> None:
    if key not in values:
        return
    value = values[key] or None
    root = select(Course.root_account_id).where(Course.id == section.course_id).scalar_subquery()
    same_tenant = Section.course_id.in_(select(Course.id).where(Course.root_account_id == root))
    if value is not None and held_by_another(db, getattr(Section, key), value, section.id, same_tenant):
        label = "SIS ID" if key == "sis_section_id" else "INTEGRATION ID"
        raise InvalidInput(key, f'{label} "{value}" is already in use')
    setattr(section, key, value)
