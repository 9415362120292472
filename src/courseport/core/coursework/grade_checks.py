"""The checks `submissions.grade` makes before it writes: who may grade or comment on a student's
submission, and whether the submission's grading period still takes grades (`period_scores`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from courseport.core.coursework import period_scores, submission_views
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import NotAllowed
from courseport.schema import Course, User
from courseport.schema.content import ContentItem


def checked_access(db: Session, course: Course, rights: CourseRights, actor: User, assignment: ContentItem,
                   student_id: int, *, grading: bool) -> str:
    """The actor's access to the student's submission ("grader" for one who manages grades, else
    `submission_views.read_access`). Refused (NotAllowed) unless a grader, or, when only commenting, the
    student or an assigned peer assessor; grading in a closed grading period is refused too."""
    grader = rights.can("manage_grades")
    access = "grader" if grader else submission_views.read_access(db, course, rights, actor, assignment, student_id)
    if not grader and (grading or (student_id != actor.id and access != "assessor")):
        raise NotAllowed()
    if grading:
        period_scores.check_open_for_grading(db, course, rights, assignment, student_id)
    return access
