"""Each student's effective dates for assignments (or any item with overrides): the one place the rules live.

    effective_dates(db, course_id, item_ids=None, user_ids=None) -> {item_id: {user_id: StudentDates}}

For every live item in `item_ids` (default: every live assignment of the course), each student
assigned to it maps to the dates that apply to them. A student absent from an item's map is not
assigned: the item is `only_visible_to_overrides` and no override covers them. Students are users
with a student (or test student) enrollment in the course that is not rejected, deleted or
inactive; `user_ids` narrows the result to those users.

Rules (Canvas's EffectiveDueDates): an override naming the student, or one of their sections,
beats the item's own dates. Among several applicable overrides, one that sets a date beats one
that does not, and the most lenient wins: the latest due_at and lock_at, the earliest unlock_at,
where "no date" is the most lenient of all; a student override wins an exact tie. A field that no
applicable override sets comes from the item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.kit.errors import NotAllowed
from courseport.schema import AssignmentOverride, ContentItem, Enrollment, OverrideStudent, User

STUDENT_TYPES = ("StudentEnrollment", "StudentViewEnrollment")
_NOT_ASSIGNED_STATES = ("rejected", "deleted", "inactive")


@dataclass(frozen=True)
class StudentDates:
    due_at: datetime | None
    unlock_at: datetime | None
    lock_at: datetime | None
    override_id: int | None = None  # the override that decided due_at; None = the item's own date


@dataclass(frozen=True)
class _Applicable:
    override: AssignmentOverride
    by_student: bool


def effective_dates(db: Session, course_id: int, item_ids: Iterable[int] | None = None,
                    user_ids: Iterable[int] | None = None) -> dict[int, dict[int, StudentDates]]:
    items = _live_items(db, course_id, item_ids)
    if not items:
        return {}
    sections_of = _students(db, course_id, user_ids)
    overrides = defaultdict(list)
    for override in db.scalars(select(AssignmentOverride).where(
            AssignmentOverride.item_id.in_([i.id for i in items]), AssignmentOverride.workflow_state == "active")
            .order_by(AssignmentOverride.id)):
        overrides[override.item_id].append(override)
    students_of = _override_students(db, [o.id for group in overrides.values() for o in group])
    result: dict[int, dict[int, StudentDates]] = {}
    for item in items:
        by_student: dict[int, list[_Applicable]] = defaultdict(list)
        for override in overrides[item.id]:
            if override.course_section_id is not None:
                for user_id, sections in sections_of.items():
                    if override.course_section_id in sections:
                        by_student[user_id].append(_Applicable(override, False))
            for user_id in students_of.get(override.id, ()):
                if user_id in sections_of:
                    by_student[user_id].append(_Applicable(override, True))
        only_overrides = bool((item.data or {}).get("only_visible_to_overrides"))
        result[item.id] = {
            user_id: _dates_for(item, by_student.get(user_id, []))
            for user_id in sections_of if by_student.get(user_id) or not only_overrides
        }
    return result


def _dates_for(item: ContentItem, applicable: list[_Applicable]) -> StudentDates:
    def most_lenient(field: str, latest: bool) -> tuple[datetime | None, int | None]:
        setting = [a for a in applicable if getattr(a.override, f"{field}_set")]
        if not setting:
            return getattr(item, field), None
        # No date sorts first; then the latest (or earliest) date; a student override wins a tie.
        def rank(a: _Applicable) -> tuple:
            value = getattr(a.override, field)
            moment = 0.0 if value is None else value.timestamp() * (-1 if latest else 1)
            return (value is not None, moment, not a.by_student)
        best = min(setting, key=rank)
        return getattr(best.override, field), best.override.id

    due_at, override_id = most_lenient("due_at", latest=True)
    unlock_at, _ = most_lenient("unlock_at", latest=False)
    lock_at, _ = most_lenient("lock_at", latest=True)
    return StudentDates(due_at, unlock_at, lock_at, override_id)


def _live_items(db: Session, course_id: int, item_ids: Iterable[int] | None) -> list[ContentItem]:
    stmt = select(ContentItem).where(ContentItem.course_id == course_id, ContentItem.workflow_state != "deleted")
    if item_ids is None:
        stmt = stmt.where(ContentItem.type == "assignment")
    else:
        stmt = stmt.where(ContentItem.id.in_(list(item_ids)))
    return list(db.scalars(stmt.order_by(ContentItem.id)))


def _students(db: Session, course_id: int, user_ids: Iterable[int] | None) -> dict[int, set[int]]:
    """Assigned students of the course -> the sections they are enrolled in."""
    stmt = select(Enrollment.user_id, Enrollment.course_section_id).where(
        Enrollment.course_id == course_id, Enrollment.type.in_(STUDENT_TYPES),
        Enrollment.workflow_state.not_in(_NOT_ASSIGNED_STATES))
    if user_ids is not None:
        stmt = stmt.where(Enrollment.user_id.in_(list(user_ids)))
    sections: dict[int, set[int]] = defaultdict(set)
    for user_id, section_id in db.execute(stmt.order_by(Enrollment.user_id)):
        sections[user_id].add(section_id)
    return dict(sections)


def _override_students(db: Session, override_ids: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    if override_ids:
        for override_id, user_id in db.execute(select(OverrideStudent.override_id, OverrideStudent.user_id)
                                               .where(OverrideStudent.override_id.in_(override_ids))):
            out[override_id].append(user_id)
    return out


def course_due_dates(db: Session, actor: User, course_ref: str | int,
                     item_ids: list[int] | None) -> dict[int, dict[int, StudentDates]]:
    """Effective due dates of the course's assignments for graders and those who may read as an admin."""
    course, rights = readable_course(db, actor, course_ref)
    if not (rights.can("manage_grades") or rights.can("read_as_admin")):
        raise NotAllowed()
    if item_ids is not None:
        live = set(db.scalars(select(ContentItem.id).where(
            ContentItem.id.in_(item_ids), ContentItem.course_id == course.id, ContentItem.type == "assignment")))
        item_ids = [i for i in item_ids if i in live]
    return effective_dates(db, course.id, item_ids)
