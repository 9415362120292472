"""Todo items: assignments a student still has to submit, and assignments a grader has to grade.

Canvas's rules: a student's item is a published assignment expecting an online submission, due
(by the student's effective dates) between four weeks ago and a week from now, not locked, and
not yet submitted or excused. A grader's item is a published assignment with submissions of
active students waiting for a grade. Practice quizzes and surveys due within the next week join
with `ungraded_quizzes`. Items come in due order (undated last).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from courseport.core.content.due_dates import STUDENT_TYPES
from courseport.core.courses.courses import readable_course
from courseport.core.coursework.assignments import access_for, visible_items
from courseport.core.coursework.grades import assignments_needing_grading
from courseport.core.identity.permissions import holds_right
from courseport.core.kit.paging import Slice, Window, window_of
from courseport.core.views.assignment_views import AssignmentView, load_views
from courseport.schema import ContentItem, Course, Enrollment, Submission, User
from courseport.schema.base import utcnow

NO_ONLINE_SUBMISSION = frozenset({"none", "not_graded", "on_paper", "external_tool", "wiki_page"})
UNGRADED_QUIZ_TYPES = ("practice_quiz", "survey")
DONE_STATES = ("submitted", "graded", "pending_review")
DUE_AFTER, DUE_BEFORE = timedelta(weeks=4), timedelta(weeks=1)


@dataclass(frozen=True)
class TodoItem:
    type: str  # "submitting" | "grading"
    item: ContentItem  # an assignment, or a quiz for ungraded quizzes
    due_at: datetime | None  # as it applies to the user
    needs_grading_count: int | None = None
    view: AssignmentView | None = None  # the assignment as the user sees it; None for a quiz


def course_todo(db: Session, actor: User, course_ref: str | int, window: Window, *,
                ungraded_quizzes: bool = False, now: datetime | None = None) -> Slice[TodoItem]:
    course, _ = readable_course(db, actor, course_ref)
    return window_of(_todo(db, actor, course.id, ungraded_quizzes, now or utcnow()), window)


def user_todo(db: Session, actor: User, window: Window, *, ungraded_quizzes: bool = False,
              now: datetime | None = None) -> Slice[TodoItem]:
    return window_of(_todo(db, actor, None, ungraded_quizzes, now or utcnow()), window)


def _todo(db: Session, actor: User, course_id: int | None, ungraded_quizzes: bool, now: datetime) -> list[TodoItem]:
    learning = _courses(db, actor, course_id, Enrollment.type.in_(STUDENT_TYPES), ("available",))
    grading = _courses(db, actor, course_id, holds_right("manage_grades", Course.workflow_state),
                       ("available", "unpublished"))
    items = [*_grading(db, actor, grading), *_submitting(db, actor, learning, now)]
    if ungraded_quizzes:
        items += _quizzes(db, actor, learning, now)
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(items, key=lambda t: (t.due_at or far, t.item.created_at, t.item.id, t.type != "grading"))


def _courses(db: Session, actor: User, course_id: int | None, holds: ColumnElement[bool],
             course_states: tuple[str, ...]) -> list[int]:
    """The courses in these states where an active enrollment of the actor meets `holds`."""
    stmt = (select(Enrollment.course_id).join(Course, Course.id == Enrollment.course_id)
            .where(Enrollment.user_id == actor.id, Enrollment.workflow_state == "active",
                   holds, Course.workflow_state.in_(course_states)).distinct())
    if course_id is not None:
        stmt = stmt.where(Enrollment.course_id == course_id)
    return list(db.scalars(stmt))


def _open(unlock_at: datetime | None, lock_at: datetime | None, now: datetime) -> bool:
    return (unlock_at is None or unlock_at <= now) and (lock_at is None or lock_at > now)


def _submitting(db: Session, actor: User, course_ids: list[int], now: datetime) -> list[TodoItem]:
    out = []
    for course_id in course_ids:
        access = access_for(db, actor, course_id)
        candidates = [a for a in db.scalars(select(ContentItem).where(
            ContentItem.course_id == course_id, ContentItem.type == "assignment",
            ContentItem.workflow_state == "published", ~ContentItem.id.in_(_done_by(actor))))
            if _expects_submission(a)]
        for view in load_views(db, access, visible_items(db, access, candidates)):
            d = view.dates  # the student's effective dates
            if d.due_at and now - DUE_AFTER <= d.due_at <= now + DUE_BEFORE and _open(d.unlock_at, d.lock_at, now):
                out.append(TodoItem("submitting", view.item, d.due_at, view=view))
    return out


def _done_by(actor: User) -> Select:
    return select(Submission.item_id).where(
        Submission.user_id == actor.id, Submission.workflow_state.in_(DONE_STATES) | Submission.excused.is_(True))


def _expects_submission(assignment: ContentItem) -> bool:
    types = set((assignment.data or {}).get("submission_types") or ["none"])
    return bool(types - NO_ONLINE_SUBMISSION)


def _grading(db: Session, actor: User, course_ids: list[int]) -> list[TodoItem]:
    rows = assignments_needing_grading(db, course_ids)
    out = []
    for course_id in {item.course_id for item, _ in rows}:
        counts = {item.id: n for item, n in rows if item.course_id == course_id}
        for view in load_views(db, access_for(db, actor, course_id), [i for i, _ in rows if i.id in counts]):
            out.append(TodoItem("grading", view.item, view.item.due_at, counts[view.item.id], view))
    return out


def _quizzes(db: Session, actor: User, course_ids: list[int], now: datetime) -> list[TodoItem]:
    if not course_ids:
        return []
    quizzes = db.scalars(select(ContentItem).where(
        ContentItem.course_id.in_(course_ids), ContentItem.type == "quiz", ContentItem.workflow_state == "published",
        ContentItem.due_at.is_not(None), ContentItem.due_at >= now, ContentItem.due_at <= now + DUE_BEFORE))
    return [TodoItem("submitting", q, q.due_at) for q in quizzes
            if (q.data or {}).get("quiz_type") in UNGRADED_QUIZ_TYPES and _open(q.unlock_at, q.lock_at, now)]
