"""Assignment overrides: other dates for one section or for named students of one assignment.

An override targets exactly one section of the course or a set of students enrolled in it; a
section, and a student, is the target of at most one live override per assignment. An override
changes only the dates it sets (`due_at_set`, ...); writing an override without a date clears that
date from it, as Canvas does. Those who manage content see every override; others only the ones
that apply to them. The dates that result for each student come from `core.due_dates`.
The API over one assignment's overrides, which checks the caller's access to the assignment, is
`assignment_overrides` (assignments write overrides through this module, so it cannot import them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content.due_dates import STUDENT_TYPES
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.ids import is_id, store_id
from courseport.schema import AssignmentOverride, ContentItem, Enrollment, OverrideStudent, Section

DATE_FIELDS = ("due_at", "unlock_at", "lock_at")


@dataclass
class OverrideChanges:
    """A create or update: targets and title when given, and exactly the dates the override sets."""

    student_ids: list[str] | None = None
    course_section_id: str | None = None
    title: str | None = None
    dates: dict[str, datetime | None] = field(default_factory=dict)


@dataclass(frozen=True)
class OverrideView:
    override: AssignmentOverride
    student_ids: list[int]


def overrides_of(db: Session, item_ids: list[int]) -> dict[int, list[OverrideView]]:
    """The live overrides of each item, oldest first, with their students."""
    found = list(db.scalars(select(AssignmentOverride).where(
        AssignmentOverride.item_id.in_(item_ids), AssignmentOverride.workflow_state == "active")
        .order_by(AssignmentOverride.id))) if item_ids else []
    students: dict[int, list[int]] = {}
    if found:
        for override_id, user_id in db.execute(select(OverrideStudent.override_id, OverrideStudent.user_id).where(
                OverrideStudent.override_id.in_([o.id for o in found])).order_by(OverrideStudent.user_id)):
            students.setdefault(override_id, []).append(user_id)
    out: dict[int, list[OverrideView]] = {i: [] for i in item_ids}
    for o in found:
        out[o.item_id].append(OverrideView(o, students.get(o.id, [])))
    return out


def write_override(db: Session, item: ContentItem, override: AssignmentOverride | None,
                   changes: OverrideChanges) -> OverrideView:
    """Create (override None) or update an override of `item` after checking its targets and dates."""
    new = override is None
    if override is None:
        override = AssignmentOverride(item_id=item.id, workflow_state="active")
    students = _target(db, item, override, changes, new)
    for name in DATE_FIELDS:
        setattr(override, name, changes.dates.get(name))
        setattr(override, f"{name}_set", name in changes.dates)
    if override.unlock_at and override.lock_at and override.lock_at < override.unlock_at:
        raise InvalidInput("lock_at", "lock_at must not be before unlock_at")
    if new:
        db.add(override)
    db.flush()
    if students is not None:
        current = set(db.scalars(select(OverrideStudent.user_id).where(OverrideStudent.override_id == override.id)))
        for user_id in current - set(students):
            db.delete(db.get(OverrideStudent, (override.id, user_id)))
        db.add_all(OverrideStudent(override_id=override.id, user_id=u) for u in students if u not in current)
        db.flush()
    return OverrideView(override, sorted(students) if students is not None else _students_of(db, override.id))


def _target(db: Session, item: ContentItem, override: AssignmentOverride, changes: OverrideChanges,
            new: bool) -> list[int] | None:
    """Check and set the override's target; the student ids to store, or None to keep them."""
    adhoc = bool(changes.student_ids) if new else override.course_section_id is None
    if new and changes.student_ids and changes.course_section_id:
        raise InvalidInput("course_section_id", "give either student_ids or course_section_id, not both")
    if new and not changes.student_ids and not changes.course_section_id:
        raise InvalidInput("student_ids", "one of student_ids or course_section_id is required")
    if not adhoc:
        if not new and changes.course_section_id and changes.course_section_id != str(override.course_section_id):
            raise InvalidInput("course_section_id", "the section of a section override cannot change")
        if new:
            override.course_section_id = _section(db, item, changes.course_section_id)
        section = db.get(Section, override.course_section_id)
        override.title = section.name if section else override.title
        return None
    if changes.student_ids is None:
        if changes.title is not None:
            override.title = changes.title
        return None
    students = _students(db, item, override, changes.student_ids)
    override.title = changes.title or (f"{len(students)} student" + ("" if len(students) == 1 else "s"))
    return students


def _section(db: Session, item: ContentItem, ref: str | None) -> int:
    section_id = store_id(ref) if ref else None
    section = db.get(Section, section_id) if section_id else None
    if section is None or section.course_id != item.course_id or section.workflow_state == "deleted":
        raise InvalidInput("course_section_id", f"unknown section id {ref!r}")
    taken = db.scalar(select(AssignmentOverride.id).where(
        AssignmentOverride.item_id == item.id, AssignmentOverride.workflow_state == "active",
        AssignmentOverride.course_section_id == section.id))
    if taken is not None:
        raise InvalidInput("course_section_id", f"section {section.id} already has an override for this assignment")
    return section.id


def _students(db: Session, item: ContentItem, override: AssignmentOverride, refs: list[str]) -> list[int]:
    wanted = list(dict.fromkeys(refs))
    ids = [store_id(r) for r in wanted if is_id(r)]
    enrolled = set(db.scalars(select(Enrollment.user_id).where(
        Enrollment.course_id == item.course_id, Enrollment.user_id.in_(ids), Enrollment.type.in_(STUDENT_TYPES),
        Enrollment.workflow_state.not_in(("rejected", "deleted")))))
    unknown = [r for r in wanted if store_id(r) not in enrolled]
    if unknown:
        raise InvalidInput("student_ids", f"unknown student ids: {', '.join(unknown)}")
    others = select(OverrideStudent.user_id).join(
        AssignmentOverride, AssignmentOverride.id == OverrideStudent.override_id).where(
        AssignmentOverride.item_id == item.id, AssignmentOverride.workflow_state == "active",
        OverrideStudent.user_id.in_(ids))
    if override.id is not None:
        others = others.where(AssignmentOverride.id != override.id)
    clashing = sorted(set(db.scalars(others)))
    if clashing:
        raise InvalidInput("student_ids", "students already have another override of this assignment: "
                                          + ", ".join(str(i) for i in clashing))
    return sorted(enrolled)


def _students_of(db: Session, override_id: int) -> list[int]:
    return sorted(db.scalars(select(OverrideStudent.user_id).where(OverrideStudent.override_id == override_id)))
