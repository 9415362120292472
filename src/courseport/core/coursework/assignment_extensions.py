"""Assignment extensions: a grader's extra attempts for students on one assignment, on top of its allowed_attempts.

An extension is kept on the student's submission row (`submissions.extra_attempts`, made for it when the student
has not submitted yet), where `submissions.submit` counts it: a student may submit allowed_attempts plus
extra_attempts times (`submissions.attempts_left`). A value replaces the student's previous one; None clears it.

As Canvas does: those who manage the course's assignments extend (anyone else is refused); ids that name no student
of the course are passed over (Canvas sets extensions on existing submissions only, and keeps one for every
student); a student named twice gets the last value, in the place of their first mention. Every extension of a
call is checked before any is kept: a negative count, or a changed one on an assignment that takes none of the
types attempts govern (`submissions.ATTEMPT_TYPES`), refuses the whole call with each student's problems
(`InvalidExtensions`), and nothing is stored.

Extensions are student data: course copies and blueprint syncs never carry them (the copy engine reads no
submission row), as Canvas's do not.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content import content
from courseport.core.courses.courses import readable_course
from courseport.core.coursework import submission_views, submissions
from courseport.core.kit.errors import InvalidInput, NotAllowed
from courseport.core.kit.ids import is_id, store_id
from courseport.schema import ContentItem, Course, Submission, User
from courseport.schema.base import utcnow

NEGATIVE = "negative"  # extra_attempts below 0
UNGOVERNED = "submission_types"  # the assignment takes no type attempts govern


@dataclass(frozen=True)
class AttemptExtension:
    """One student's extra attempts as asked: `user_id` as sent, `extra_attempts` None to clear."""

    user_id: str
    extra_attempts: int | None


@dataclass(frozen=True)
class ExtensionTarget:
    course: Course
    assignment: ContentItem


@dataclass(frozen=True)
class AttemptExtensionView:
    assignment_id: int
    user_id: int
    extra_attempts: int | None


class InvalidExtensions(InvalidInput):
    """Some extensions of a call are invalid: each refused student's id and the reasons (NEGATIVE, UNGOVERNED)."""

    def __init__(self, problems: list[tuple[int, list[str]]]):
        super().__init__("extra_attempts", "some extensions are invalid")
        self.problems = problems


def extendable(db: Session, actor: User, course_ref: str | int, assignment_id: str) -> ExtensionTarget:
    """The course and a live assignment of it (unknown or deleted: not found) the actor may extend."""
    course, rights = readable_course(db, actor, course_ref)
    assignment = content.get_item(db, course.id, assignment_id, "assignment")
    if not rights.can("manage_assignments"):
        raise NotAllowed()
    return ExtensionTarget(course, assignment)


def extend(db: Session, target: ExtensionTarget, extensions: list[AttemptExtension]) -> list[AttemptExtensionView]:
    """Set the students' extra attempts, all or none; one view per student of the course named."""
    asked: dict[int, int | None] = {}
    for extension in extensions:
        user_id = store_id(extension.user_id) if is_id(extension.user_id) else None
        if user_id is not None:
            asked[user_id] = extension.extra_attempts
    students = submission_views.student_ids(db, target.course.id, list(asked))
    wanted = {user_id: value for user_id, value in asked.items() if user_id in students}
    kept = _kept(db, target.assignment, list(wanted))
    problems = [(user_id, reasons) for user_id, value in wanted.items()
                if (reasons := _problems(target.assignment, value, kept.get(user_id)))]
    if problems:
        raise InvalidExtensions(problems)
    now = utcnow()
    for user_id, value in wanted.items():
        row = submissions.row_for(db, target.course, target.assignment, user_id)
        row.extra_attempts = value
        row.updated_at = now
    db.flush()
    return [AttemptExtensionView(target.assignment.id, user_id, value) for user_id, value in wanted.items()]


def _kept(db: Session, assignment: ContentItem, user_ids: list[int]) -> dict[int, int | None]:
    """The students' extra attempts as stored (students without a row have none)."""
    rows = db.execute(select(Submission.user_id, Submission.extra_attempts).where(
        Submission.item_id == assignment.id, Submission.user_id.in_(user_ids))).all()
    return {user_id: extra for user_id, extra in rows}


def _problems(assignment: ContentItem, value: int | None, kept: int | None) -> list[str]:
    reasons = []
    if value is not None and value < 0:
        reasons.append(NEGATIVE)
    types = set((assignment.data or {}).get("submission_types") or [])
    if value != kept and not types & submissions.ATTEMPT_TYPES:
        reasons.append(UNGOVERNED)
    return reasons
