"""A course's late policy (Canvas's Late Policy API): read it, make it once, change it, and carry it in a copy.

Reading takes a right to every grade of the course (manage_grades or view_all_grades); making and changing
it takes manage_grades, as Canvas asks. A course has at most one policy: making a second is a Conflict,
reading or changing one that was never made is NotFound (Canvas answers 404; it shows no unsaved default).

Saving the policy re-grades the course at once, in the same transaction, through the one grading path
(`submissions.grade`, which settles each grade by `late_deductions.settle`): every graded late submission's
deduction is worked out again from what its grader entered, and with the missing deduction on, every
missing submission without a grade (the student's effective due date passed, nothing turned in, not
excused) is given the missing score. Canvas does both in a background job; a course's submissions are few
enough here to do them with the save, so the caller reads the new grades as soon as it is answered.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from courseport.core.content.due_dates import effective_dates
from courseport.core.courses.courses import readable_course
from courseport.core.coursework import late_status, submission_views, submissions
from courseport.core.coursework.late_deductions import INTERVAL_SECONDS, policy_of
from courseport.core.coursework.submissions import GradeChange
from courseport.core.identity.permissions import require, require_any
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import Conflict, InvalidInput, NotFound
from courseport.schema import Course, LatePolicy, User
from courseport.schema.base import utcnow
from courseport.schema.content import ContentItem, Submission

PERCENT_FIELDS = ("missing_submission_deduction", "late_submission_deduction", "late_submission_minimum_percent")
ONE_POLICY = "only one late policy per course is allowed"


@dataclass(frozen=True)
class LatePolicyChanges:
    missing_submission_deduction_enabled: bool | Unset = UNSET
    missing_submission_deduction: float | Unset = UNSET
    late_submission_deduction_enabled: bool | Unset = UNSET
    late_submission_deduction: float | Unset = UNSET
    late_submission_interval: str | Unset = UNSET
    late_submission_minimum_percent_enabled: bool | Unset = UNSET
    late_submission_minimum_percent: float | Unset = UNSET


def get_policy(db: Session, actor: User, course_ref: str | int) -> LatePolicy:
    course, rights = readable_course(db, actor, course_ref)
    require_any(rights, "manage_grades", "view_all_grades")
    policy = policy_of(db, course.id)
    if policy is None:
        raise NotFound("late_policy")
    return policy


def create_policy(db: Session, actor: User, course_ref: str | int, changes: LatePolicyChanges) -> LatePolicy:
    course = _grading_course(db, actor, course_ref)
    if policy_of(db, course.id) is not None:
        raise Conflict(ONE_POLICY)
    policy = LatePolicy(course_id=course.id, missing_submission_deduction_enabled=False,
                        missing_submission_deduction=0.0, late_submission_deduction_enabled=False,
                        late_submission_deduction=0.0, late_submission_interval="day",
                        late_submission_minimum_percent_enabled=False, late_submission_minimum_percent=0.0)
    _apply(policy, changes)
    db.add(policy)
    db.flush()
    regrade(db, actor, course)
    return policy


def edit_policy(db: Session, actor: User, course_ref: str | int, changes: LatePolicyChanges) -> LatePolicy:
    course = _grading_course(db, actor, course_ref)
    policy = policy_of(db, course.id)
    if policy is None:
        raise NotFound("late_policy")
    _apply(policy, changes)
    policy.updated_at = utcnow()
    db.flush()
    regrade(db, actor, course)
    return policy


def _grading_course(db: Session, actor: User, course_ref: str | int) -> Course:
    course, rights = readable_course(db, actor, course_ref)
    require(rights, "manage_grades")
    return course


def _apply(policy: LatePolicy, changes: LatePolicyChanges) -> None:
    """The given fields onto the policy, every one checked first (a refusal changes nothing)."""
    fields = given(changes)
    for name in PERCENT_FIELDS:
        value = fields.get(name)
        if name in fields and (value is None or not 0 <= value <= 100):
            raise InvalidInput(name, f"{name} must be a number from 0 to 100")
    for name in (f.name for f in dataclasses.fields(changes)):
        if name in fields and fields[name] is None and name not in PERCENT_FIELDS:
            raise InvalidInput(name, f"{name} must be given a value")
    if "late_submission_interval" in fields and fields["late_submission_interval"] not in INTERVAL_SECONDS:
        raise InvalidInput("late_submission_interval", "late_submission_interval must be day or hour")
    for name, value in fields.items():
        setattr(policy, name, value)


def regrade(db: Session, actor: User, course: Course) -> int:
    """Settle again every grade the policy touches, through `submissions.grade` (see the module's docstring)."""
    students = submission_views.students_stmt(course.id)
    live = select(ContentItem.id).where(ContentItem.course_id == course.id, ContentItem.type == "assignment",
                                        ContentItem.workflow_state != "deleted")
    graded = db.execute(select(Submission.item_id, Submission.user_id).where(
        Submission.course_id == course.id, Submission.entered_score.is_not(None), Submission.item_id.in_(live),
        Submission.user_id.in_(students),
        or_(Submission.late.is_(True), Submission.late_policy_status == "late",
            Submission.points_deducted.is_not(None))).order_by(Submission.item_id, Submission.user_id)).all()
    pairs = [(item_id, user_id) for item_id, user_id in graded] + _ungraded_missing(db, course)
    for item_id, user_id in pairs:
        submissions.grade(db, actor, course.id, str(item_id), str(user_id), GradeChange())
    return len(pairs)


def _ungraded_missing(db: Session, course: Course) -> list[tuple[int, int]]:
    """(assignment, student) pairs the missing deduction grades now: none unless it is on."""
    policy = policy_of(db, course.id)
    if policy is None or not policy.missing_submission_deduction_enabled:
        return []
    now = utcnow()
    items = {i.id: i for i in db.scalars(select(ContentItem).where(
        ContentItem.course_id == course.id, ContentItem.type == "assignment",
        ContentItem.workflow_state == "published"))}
    dates = effective_dates(db, course.id, list(items))
    rows = {(s.item_id, s.user_id): s for s in db.scalars(select(Submission).where(
        Submission.course_id == course.id, Submission.item_id.in_(list(items))))}
    enrolled = set(db.scalars(submission_views.students_stmt(course.id)))
    out = []
    for item_id, by_user in sorted(dates.items()):
        for user_id, found in sorted(by_user.items()):
            row = rows.get((item_id, user_id)) or submission_views.unsubmitted(course, items[item_id], user_id)
            if (user_id in enrolled and row.entered_score is None
                    and late_status.is_missing(row, items[item_id], found.due_at, now)):
                out.append((item_id, user_id))
    return out


def carry_policy(db: Session, source_id: int, target_id: int) -> None:
    """A course copy's settings carry the source's late policy onto the target (replacing the target's own)."""
    source = policy_of(db, source_id)
    if source is None:
        return
    target = policy_of(db, target_id) or LatePolicy(course_id=target_id)
    for name in (f.name for f in dataclasses.fields(LatePolicyChanges)):
        setattr(target, name, getattr(source, name))
    target.updated_at = utcnow()
    db.add(target)
    db.flush()
