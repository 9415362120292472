"""The students a grader may grade on one assignment: the course's students the assignment is assigned
to (its effective dates name them, so an assignment only visible to overrides counts only theirs), in
sortable-name order. Graders only (`manage_grades`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content.due_dates import effective_dates
from courseport.core.courses.courses import readable_course
from courseport.core.coursework import submission_views
from courseport.core.kit.errors import NotAllowed
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Course, Enrollment, User


def gradeable_students(db: Session, actor: User, course_ref: str | int, assignment_id: str,
                       window: Window) -> tuple[Course, Slice[User]]:
    course, rights = readable_course(db, actor, course_ref)
    assignment = submission_views.visible_assignment(db, course, rights, assignment_id)
    if not rights.can("manage_grades"):
        raise NotAllowed()
    assigned = set(effective_dates(db, course.id, [assignment.id]).get(assignment.id, {}))
    enrolled = submission_views.students_stmt(course.id).where(Enrollment.user_id.in_(assigned))
    stmt = select(User).where(User.id.in_(enrolled)).order_by(User.sortable_name, User.id)
    return course, fetch_window(db, stmt, window)
