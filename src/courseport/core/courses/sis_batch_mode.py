"""Batch mode of an SIS import: once its rows are applied, the import is the whole truth for its term(s), so
the term's courses, sections and enrollments that earlier SIS imports wrote and this one did not mention are
deleted, as Canvas's batch cleanup does.

Only kinds the import supplied are cleaned up (an import without sections.csv leaves sections alone), and
only objects that came from SIS: courses and sections with an SIS id that an import wrote, enrollments an
import wrote; made by hand, they stay. A section's term is its own course's (a cross-listed section's home
course, as Canvas joins it); an enrollment's, its course's. Enrollments go first, then sections (with what
is left enrolled in them, as Canvas deletes a section's enrollments with it), then courses, each through the
core function the API uses. With a change threshold (a percentage), a kind whose stale share of the term's
SIS objects exceeds it aborts the cleanup before anything is deleted. It all runs in one transaction: nothing
is half-deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courseport.core.courses import courses, enrollments, sections
from courseport.core.courses.course_changes import CourseChanges
from courseport.core.kit.errors import DomainError
from courseport.schema import Course, Enrollment, Section, Term, User

KINDS = ("enrollment", "section", "course")  # the deletion order
PLURAL = {"course": "courses", "section": "sections", "enrollment": "enrollments"}


class CleanupAborted(DomainError):
    """The cleanup cannot run (more of a kind would be deleted than the change threshold allows, or no term
    to limit it to); nothing was deleted."""


@dataclass(frozen=True)
class BatchScope:
    root_id: int
    import_id: int
    term_ids: tuple[int, ...]
    threshold: int | None = None


def _in_scope(kind: str, s: BatchScope) -> Any:
    """The term's live SIS objects of a kind that some import wrote."""
    if kind == "course":
        return select(Course.id).where(Course.root_account_id == s.root_id, Course.workflow_state != "deleted",
                                       Course.sis_course_id.is_not(None), Course.sis_import_id.is_not(None),
                                       Course.enrollment_term_id.in_(s.term_ids)), Course.sis_import_id
    if kind == "section":
        home = func.coalesce(Section.nonxlist_course_id, Section.course_id)  # a cross-listed one's own course
        return select(Section.id).join(Course, Course.id == home).where(
            Course.root_account_id == s.root_id, Section.workflow_state != "deleted",
            Section.sis_section_id.is_not(None), Section.sis_import_id.is_not(None),
            Course.enrollment_term_id.in_(s.term_ids)), Section.sis_import_id
    return select(Enrollment.id).join(Course, Course.id == Enrollment.course_id).where(
        Course.root_account_id == s.root_id, Enrollment.workflow_state != "deleted",
        Enrollment.sis_import_id.is_not(None), Course.enrollment_term_id.in_(s.term_ids)), Enrollment.sis_import_id


def stale_ids(db: Session, kind: str, s: BatchScope) -> list[int]:
    """What the cleanup would delete of a kind; checks the threshold against the term's SIS objects."""
    scope, import_column = _in_scope(kind, s)
    stale = sorted(db.scalars(scope.where(import_column != s.import_id)))
    if s.threshold is not None and stale:
        total = db.scalar(select(func.count()).select_from(scope.subquery())) or 1
        if len(stale) * 100 / total > s.threshold:
            raise CleanupAborted(f"{len(stale)} {PLURAL[kind]} would be deleted and exceeds the set threshold "
                                    f"of {s.threshold}%")
    return stale


def clean_up(db: Session, actor: User, s: BatchScope, supplied: list[str]) -> dict[str, int]:
    """Delete what the import left out of its term(s); how many of each kind. CleanupAborted: none."""
    checked = [k for k in reversed(KINDS) if k in supplied]  # Canvas checks courses, sections, enrollments
    doomed = {kind: stale_ids(db, kind, s) for kind in checked}
    for enrollment_id in doomed.get("enrollment", []):
        _delete_enrollment(db, actor, db.get_one(Enrollment, enrollment_id))
    for section_id in doomed.get("section", []):
        left = select(Enrollment).where(Enrollment.course_section_id == section_id,
                                        Enrollment.workflow_state.not_in(("deleted", "rejected")))
        for enrollment in db.scalars(left).all():
            _delete_enrollment(db, actor, enrollment)
        sections.delete_section(db, actor, str(section_id))
    for course_id in doomed.get("course", []):
        courses.update_course(db, actor, str(course_id), CourseChanges(), event="delete")
    return {kind: len(ids) for kind, ids in doomed.items()}


def _delete_enrollment(db: Session, actor: User, enrollment: Enrollment) -> None:
    enrollments.end_enrollment(db, actor, str(enrollment.course_id), str(enrollment.id), "delete")


def imported_terms(db: Session, root_id: int, import_id: int) -> tuple[int, ...]:
    """The terms the import's terms file wrote (multi-term batch mode's scope)."""
    return tuple(db.scalars(select(Term.id).where(Term.root_account_id == root_id, Term.sis_import_id == import_id,
                                                  Term.workflow_state != "deleted")))
