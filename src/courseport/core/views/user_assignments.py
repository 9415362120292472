"""Assignments as one user sees them, read by someone who may look over their shoulder: the user
themself, an observer linked to them, an admin over them (and, for one course, its graders).

`missing_submissions`: the published assignments of the user's active student courses, visible to
them, whose effective due date has passed and which `late_status.is_missing` calls missing (no
submission row counts as nothing submitted). In due order, then by id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content.due_dates import STUDENT_TYPES
from courseport.core.courses.courses import readable_course
from courseport.core.courses.observer_links import observes
from courseport.core.coursework.assignments import access_for, visible_items
from courseport.core.coursework.late_status import is_missing
from courseport.core.identity import account_users, users
from courseport.core.kit.errors import NotAllowed, NotFound
from courseport.core.kit.ids import store_id
from courseport.core.views.assignment_views import AssignmentQuery, AssignmentView, list_assignments, load_views
from courseport.schema import ContentItem, Course, Enrollment, Submission, User
from courseport.schema.base import utcnow


def _watched(db: Session, actor: User, user_ref: str, *, grader_of: str | None = None) -> User:
    """The user named, if the actor is them, observes them, administers them or grades `grader_of`."""
    user = users.resolve_user(db, user_ref, actor)
    if user.workflow_state == "deleted":
        raise NotFound("user")
    if user.id == actor.id or observes(db, actor.id, user.id) or account_users.administers_user(db, actor.id, user):
        return user
    if grader_of is not None and readable_course(db, actor, grader_of)[1].can("manage_grades"):
        return user
    raise NotAllowed()


def user_course_assignments(db: Session, actor: User, user_ref: str, course_ref: str,
                            query: AssignmentQuery) -> list[AssignmentView]:
    """The course's assignments filtered and ordered as the user sees them (their dates, their visibility)."""
    user = _watched(db, actor, user_ref, grader_of=course_ref)
    return list_assignments(db, user, course_ref, query)


def missing_submissions(db: Session, actor: User, user_ref: str, *, course_ids: tuple[str, ...] = (),
                        submittable: bool = False, now: datetime | None = None) -> list[AssignmentView]:
    """The user's missing work across their courses (or those of `course_ids`); `submittable` keeps only
    assignments not locked for them."""
    user = _watched(db, actor, user_ref)
    now = now or utcnow()
    out = []
    for course_id in _student_courses(db, user, course_ids):
        access = access_for(db, user, course_id)
        items = visible_items(db, access, list(db.scalars(select(ContentItem).where(
            ContentItem.course_id == course_id, ContentItem.type == "assignment",
            ContentItem.workflow_state == "published"))))
        rows = {s.item_id: s for s in db.scalars(select(Submission).where(
            Submission.user_id == user.id, Submission.item_id.in_([i.id for i in items])))}
        for view in load_views(db, access, items):
            row = rows.get(view.item.id) or Submission(user_id=user.id, item_id=view.item.id)
            if is_missing(row, view.item, view.dates.due_at, now) and not (submittable and view.lock):
                out.append(view)
    return sorted(out, key=lambda v: (v.dates.due_at, v.item.id))


def _student_courses(db: Session, user: User, course_ids: tuple[str, ...]) -> list[int]:
    stmt = (select(Enrollment.course_id).join(Course, Course.id == Enrollment.course_id)
            .where(Enrollment.user_id == user.id, Enrollment.type.in_(STUDENT_TYPES),
                   Enrollment.workflow_state == "active", Course.workflow_state == "available")
            .distinct().order_by(Enrollment.course_id))
    if course_ids:
        stmt = stmt.where(Enrollment.course_id.in_([i for i in map(store_id, course_ids) if i is not None]))
    return list(db.scalars(stmt))
