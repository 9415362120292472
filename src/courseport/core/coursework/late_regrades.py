"""Late work follows its due date: when an assignment's due date moves, its students' grades are settled again.

Canvas works a submission's late state out from the student's effective due date, and re-applies the late
policy when that date moves. So does this module, called in the same transaction as the move by every
write that can move a student's effective due date: the assignment's own `due_at` (`assignments`, and a
graded quiz's or topic's assignment kept like it, `quizzes`, `discussions`), its overrides being
made, changed or deleted (`assignment_overrides`, `assignments`), and a blueprint sync moving an
associated course's copy (`synced_change`, the content change hook courseport/wiring.py registers; a
sync writes with local=False, which is the only write the hook hears of, so an edit is never settled twice).
Only `due_at` matters: late and missing are worked out from the due date alone (`late_status`).

For every student assigned the assignment: a turned-in submission is late again from its `submitted_at`
against the new date and its kept grade's deduction follows (`late_deductions.settle_with`, from the
grader's entered score: work no longer late gets its entered score back); with the missing deduction on
and the assignment published, work that is now missing without a grade is given the missing score, and a
grade the missing deduction gave to work that is no longer missing (its due date moved into the future)
is taken back. A grader's own late status (`late_policy_status`) wins over the dates, as everywhere.
A fixed number of queries per assignment, plus one insert for each student the missing deduction
grades without a row yet.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content.due_dates import effective_dates
from courseport.core.courses.grading_standards import Scheme, scheme_for
from courseport.core.coursework import late_status, submission_views, submissions
from courseport.core.coursework.late_deductions import policy_of, settle_with
from courseport.schema import Course, LatePolicy
from courseport.schema.base import utcnow
from courseport.schema.content import ContentItem, Submission

STATE = ("late", "score", "grade", "entered_score", "entered_grade", "points_deducted", "workflow_state")


def dates_moved(db: Session, item: ContentItem, *, now: datetime | None = None) -> int:
    """Settle again every submission of the assignment's students (see the module's docstring) as of `now`;
    how many rows changed. `missing_deductions` runs it too, for work that became missing as time passed."""
    if item.type != "assignment" or item.workflow_state == "deleted":
        return 0
    db.flush()  # the moved date and overrides are what effective_dates reads
    course = db.get(Course, item.course_id)
    if course is None:
        return 0
    policy, scheme, now = policy_of(db, course.id), scheme_for(db, course, item), now or utcnow()
    dates = effective_dates(db, course.id, [item.id]).get(item.id, {})
    enrolled = set(db.scalars(submission_views.students_stmt(course.id)))
    rows = {r.user_id: r for r in db.scalars(select(Submission).where(Submission.item_id == item.id)
                                              .order_by(Submission.id).with_for_update())}
    grade_missing = (item.workflow_state == "published" and policy is not None
                     and policy.missing_submission_deduction_enabled)
    changed = 0
    for user_id in sorted(set(dates) & enrolled):
        due_at, row = dates[user_id].due_at, rows.get(user_id)
        if row is None:
            if not (grade_missing and late_status.is_missing(
                    submission_views.unsubmitted(course, item, user_id), item, due_at, now)):
                continue
            row = submissions.row_for(db, course, item, user_id)
        changed += _follow(course, item, row, policy, scheme, due_at, now, grade_missing=grade_missing)
    db.flush()
    return changed


def synced_change(db: Session, item: ContentItem, changed: set[str]) -> None:
    """Content change hook: a sync (not an edit in the course) moved an assignment's due date."""
    if "due_at" in changed:
        dates_moved(db, item)


def _follow(course: Course, item: ContentItem, row: Submission, policy: LatePolicy | None, scheme: Scheme,
            due_at: datetime | None, now: datetime, *, grade_missing: bool) -> int:
    """One row settled against the student's new due date; 1 when anything it shows changed."""
    before = tuple(getattr(row, name) for name in STATE)
    row.late = bool(row.submitted_at and due_at and row.submitted_at > due_at)
    marked = bool((row.data or {}).get(late_status.MISSING_POLICY_MARK))
    if marked and row.submitted_at is None and not late_status.is_missing(row, item, due_at, now):
        _unmark(row)
    if settle_with(policy, item, row, scheme, due_at, entered=False, now=now, grade_missing=grade_missing):
        row.workflow_state, row.grader_id, row.graded_at = "graded", None, now
        if row.posted_at is None and not course.post_manually:
            row.posted_at = now
    if tuple(getattr(row, name) for name in STATE) == before:
        return 0
    row.updated_at = now
    return 1


def _unmark(row: Submission) -> None:
    """Take back the grade the missing deduction gave: the work is no longer missing and nobody graded it."""
    row.entered_score = row.entered_grade = row.score = row.grade = None
    row.data = {k: v for k, v in (row.data or {}).items() if k != late_status.MISSING_POLICY_MARK}
    row.workflow_state = "unsubmitted"
    row.grader_id = row.graded_at = None

