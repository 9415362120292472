"""Bulk grading: many students' grades, excusals and comments on one or many assignments of a course (or
of one section's students), applied by a background job (Canvas's "submissions update" Progress).

The request checks everything it can at once (the grader's right, each assignment, each student, each
posted grade), so a mistake is a 400 naming the grade and nothing is queued. The job then grades every
entry through `submissions.grade` in one transaction that checks the job is still its own before it
commits: all of the grades or none (a student who left the course meanwhile fails the job, naming them).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from courseport.core.courses import sections
from courseport.core.courses.courses import readable_course
from courseport.core.courses.grading_standards import scheme_for
from courseport.core.coursework import submission_views, submissions
from courseport.core.coursework.grades import score_for_posted_grade
from courseport.core.coursework.submissions import GradeChange
from courseport.core.identity import users
from courseport.core.identity.permissions import require
from courseport.core.jobs import jobs
from courseport.core.kit.errors import DomainError, InvalidInput, NotFound
from courseport.db import transaction
from courseport.schema import Enrollment, Job, User

KIND = "submissions_update"
MAX_GRADES = 5000


@dataclass(frozen=True)
class BulkGrade:
    """One student's change on one assignment (`user_ref` as the grader named them)."""

    assignment_id: str
    user_ref: str
    posted_grade: str | None = None
    excuse: bool | None = None
    comment: str | None = None

    def change(self) -> GradeChange:
        return GradeChange(posted_grade=self.posted_grade, excuse=self.excuse, comment=self.comment)


def queue_section_grading(db: Session, actor: User, section_ref: str, grades: list[BulkGrade]) -> Job:
    """`queue_bulk_grading` for the students of one section of a course (others are refused)."""
    section, course, _ = sections.readable_section(db, actor, section_ref)
    return queue_bulk_grading(db, actor, course.id, grades, section_id=section.id)


def queue_bulk_grading(db: Session, actor: User, course_ref: str | int, grades: list[BulkGrade], *,
                       section_id: int | None = None) -> Job:
    """Check the grades against the course (or one section of it) as it is now and queue the job that applies them."""
    course, rights = readable_course(db, actor, course_ref)
    require(rights, "manage_grades")
    if not grades:
        raise InvalidInput("grades", "grades are required")
    if len(grades) > MAX_GRADES:
        raise InvalidInput("grades", f"at most {MAX_GRADES} grades at once")
    assignments = {}
    for grade in grades:
        if grade.assignment_id not in assignments:
            assignments[grade.assignment_id] = submission_views.visible_assignment(db, course, rights,
                                                                                   grade.assignment_id)
        _check_student(db, actor, course.id, section_id, grade)
        if grade.posted_grade:
            try:
                assignment = assignments[grade.assignment_id]
                score_for_posted_grade(assignment, grade.posted_grade, scheme_for(db, course, assignment))
            except InvalidInput as exc:
                raise InvalidInput("grades", f"user {grade.user_ref}: {exc.message}") from None
    payload = {"course_id": course.id, "user_id": actor.id, "grades": [asdict(g) for g in grades]}
    return jobs.enqueue(db, KIND, payload, user_id=actor.id, context_type="Course", context_id=course.id)


def _check_student(db: Session, actor: User, course_id: int, section_id: int | None, grade: BulkGrade) -> None:
    try:
        student = users.resolve_user(db, grade.user_ref, actor)
    except NotFound:
        student = None
    stmt = submission_views.students_stmt(course_id)
    if section_id is not None:
        stmt = stmt.where(Enrollment.course_section_id == section_id)
    if student is None or db.scalar(stmt.where(Enrollment.user_id == student.id).limit(1)) is None:
        where = "section" if section_id is not None else "course"
        raise InvalidInput("grades", f"user {grade.user_ref} is not a student of the {where}")


def run_bulk_grading(ctx: jobs.JobContext) -> dict:
    grades = [BulkGrade(**g) for g in ctx.payload["grades"]]
    ctx.progress(0.0, "grading", force=True)
    with transaction(ctx.engine, write=True) as db:
        actor = db.get_one(User, ctx.payload["user_id"])
        for grade in grades:
            try:
                submissions.grade(db, actor, ctx.payload["course_id"], grade.assignment_id, grade.user_ref,
                                  grade.change())
            except DomainError as exc:  # the course changed since the request: nothing is kept
                raise DomainError(f"assignment {grade.assignment_id}, user {grade.user_ref}: {exc.message}"
                                  ) from None
        ctx.confirm_held(db)
    return {"graded": len(grades)}
