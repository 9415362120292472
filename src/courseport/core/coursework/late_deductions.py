"""What the course's late policy does to one submission's grade, as Canvas applies it on every grade.

`entered_score`/`entered_grade` keep what the grader gave; `score`/`grade` are after the policy. A late
submission (late_status.is_late) with a score loses `late_submission_deduction` percent of the points
possible for every interval (day or hour) it is late, counting a part interval as a whole one, but never
below `late_submission_minimum_percent` of the points possible when that floor is on (a score already below
the floor keeps it) nor below zero: `points_deducted` says how much (None when the course has no policy or
the submission is not late or has no score). A missing submission (late_status.is_missing) without a score
is given points possible × (100 − missing_submission_deduction)% when the missing deduction is on.

`settle` is called from the one grading path (`submissions.grade`, and a quiz's kept score) and when a student
turns work in again (a kept grade's deduction follows the new lateness); changing the policy re-grades through
`submissions.grade` (`late_policies`); moving a due date (the assignment's or an override's) settles the
assignment's submissions again through `settle_with` (`late_regrades`).
"""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content.due_dates import effective_dates
from courseport.core.courses.grading_standards import Scheme
from courseport.core.coursework import late_status
from courseport.core.coursework.grades import grade_for_score
from courseport.core.kit.errors import InvalidInput
from courseport.schema import Course, LatePolicy
from courseport.schema.content import ContentItem, Submission

INTERVAL_SECONDS = {"day": 86400, "hour": 3600}
STATUS_FIELD, OVERRIDE_FIELD = "submission[late_policy_status]", "submission[seconds_late_override]"


def policy_of(db: Session, course_id: int) -> LatePolicy | None:
    return db.scalar(select(LatePolicy).where(LatePolicy.course_id == course_id))


def mark(row: Submission, status: str | None, seconds_late_override: int | None) -> None:
    """A grader's late status (and, for "late", how late the work counts), checked before anything is kept."""
    if status is not None and status not in late_status.STATUSES:
        raise InvalidInput(STATUS_FIELD, f"{STATUS_FIELD} must be one of {', '.join(late_status.STATUSES)}")
    if seconds_late_override is not None:
        if (status or row.late_policy_status) != "late":
            raise InvalidInput(OVERRIDE_FIELD, f"{OVERRIDE_FIELD} is only taken with {STATUS_FIELD}=late")
        if seconds_late_override < 0:
            raise InvalidInput(OVERRIDE_FIELD, f"{OVERRIDE_FIELD} must not be negative")
    if status is not None:
        row.late_policy_status = status
        if status != "late":
            row.seconds_late_override = None
    if seconds_late_override is not None:
        row.seconds_late_override = seconds_late_override


def settle(db: Session, course: Course, assignment: ContentItem, row: Submission, scheme: Scheme, *,
           entered: bool, now: datetime, grade_missing: bool = True) -> bool:
    """Score and grade from the entered ones and the course's policy. `entered`: the row's score and grade are
    the grader's, fresh (kept as entered). True when the missing deduction graded the submission just now (only
    when `grade_missing`: a grader's call, never a student's comment)."""
    policy = policy_of(db, course.id)
    dates = effective_dates(db, course.id, [assignment.id], [row.user_id]).get(assignment.id, {}).get(row.user_id)
    due_at = dates.due_at if dates else assignment.due_at
    return settle_with(policy, assignment, row, scheme, due_at, entered=entered, now=now, grade_missing=grade_missing)


def settle_with(policy: LatePolicy | None, assignment: ContentItem, row: Submission, scheme: Scheme,
                due_at: datetime | None, *, entered: bool, now: datetime, grade_missing: bool = True) -> bool:
    """`settle` with the course's policy and the student's effective due date already read (`late_regrades`
    settles a whole assignment with a fixed number of queries)."""
    if entered:
        row.entered_score, row.entered_grade = row.score, row.grade
        row.data = {k: v for k, v in (row.data or {}).items() if k != late_status.MISSING_POLICY_MARK}
    if row.excused:
        row.entered_score = row.entered_grade = row.points_deducted = None
        return False
    graded_now = False
    if (grade_missing and policy is not None and policy.missing_submission_deduction_enabled
            and row.entered_score is None
            and late_status.is_missing(row, assignment, due_at, now) and _graded_type(assignment)):
        row.entered_score = missing_score(policy, assignment)
        row.entered_grade = grade_for_score(assignment, row.entered_score, scheme)
        row.data = {**(row.data or {}), late_status.MISSING_POLICY_MARK: True}
        graded_now = True
    late = policy is not None and row.entered_score is not None and late_status.is_late(row)
    row.points_deducted = deducted(policy, assignment, row.entered_score, late_status.seconds_late(row, due_at)
                                   ) if late and policy is not None and row.entered_score is not None else None
    row.score = None if row.entered_score is None else round(row.entered_score - (row.points_deducted or 0.0), 2)
    row.grade = row.entered_grade if not row.points_deducted else grade_for_score(assignment, row.score or 0.0,
                                                                                    scheme)
    return graded_now


def deducted(policy: LatePolicy, assignment: ContentItem, score: float, seconds: int) -> float:
    """The points a late score loses (0 when the late deduction is off or the assignment has no points)."""
    possible = assignment.points or 0.0
    if not policy.late_submission_deduction_enabled or possible <= 0 or seconds <= 0 or not _graded_type(
            assignment, pass_fail=False):
        return 0.0
    intervals = math.ceil(seconds / INTERVAL_SECONDS[policy.late_submission_interval])
    raw = score * 100.0 / possible
    floor = policy.late_submission_minimum_percent if policy.late_submission_minimum_percent_enabled else 0.0
    final = min(raw, max(raw - policy.late_submission_deduction * intervals, floor))
    return round((raw - final) * possible / 100.0, 2)


def missing_score(policy: LatePolicy, assignment: ContentItem) -> float:
    """The score the missing deduction gives (a pass/fail assignment: fail unless nothing is deducted)."""
    possible = assignment.points or 0.0
    if (assignment.data or {}).get("grading_type") == "pass_fail":
        return possible if policy.missing_submission_deduction == 0 else 0.0
    return round(possible * (100.0 - policy.missing_submission_deduction) / 100.0, 2)


def _graded_type(assignment: ContentItem, *, pass_fail: bool = True) -> bool:
    grading_type = (assignment.data or {}).get("grading_type", "points")
    return grading_type != "not_graded" and (pass_fail or grading_type != "pass_fail")
