"""Rubric assessments: an assessor scores a student's submission criterion by criterion through an assignment's
rubric association (`rubric_assessments` rows; student data, never copied).

Kinds: "grading" and "provisional_grade" need the course's grading right; "peer_review" a grader or the peer
reviewer assigned to that student's submission (peer_reviews.py), whose review it completes. One grading
(or provisional) assessment per (association, student), one peer review assessment per (association,
student, assessor): assessing again updates it. A grading assessment through an association used for
grading posts its total as the submission's grade through the one grading path (`submissions.grade`).
Students read the assessments of their own submissions and those they made, never another student's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.coursework import peer_reviews, submission_views, submissions
from courseport.core.coursework.rubric_associations import association_item, for_assignments, rubric_of
from courseport.core.coursework.rubrics import criteria_of
from courseport.core.coursework.submissions import GradeChange
from courseport.core.identity import users
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.schema import Course, RubricAssessment, User
from courseport.schema.base import utcnow
from courseport.schema.content import ContentItem, PeerReview

ASSESSMENT_TYPES = ("grading", "peer_review", "provisional_grade")
GRADED = ("grading", "provisional_grade")
MAX_COMMENT = 10_000


@dataclass(frozen=True)
class CriterionScore:
    criterion_id: str
    points: float | None = None
    comments: str | None = None
    rating_id: str | None = None


@dataclass(frozen=True)
class AssessmentEntry:
    """What an assessor sends: whose work (a user ref), the kind, and a score per criterion."""

    user_id: str | None = None
    assessment_type: str | None = None
    scores: tuple[CriterionScore, ...] = ()


@dataclass(frozen=True)
class Target:
    course: Course
    rights: CourseRights
    association: ContentItem
    rubric: ContentItem
    assignment: ContentItem


def target(db: Session, actor: User, course_ref: str | int, association_id: str | int) -> Target:
    course, rights = readable_course(db, actor, course_ref)
    association = association_item(db, course, association_id)
    if association.ref_id is None:
        raise InvalidInput("rubric_association_id", "only an assignment's rubric association assesses submissions")
    assignment = submission_views.visible_assignment(db, course, rights, str(association.ref_id))
    return Target(course, rights, association, rubric_of(db, association), assignment)


def assess_submission(db: Session, actor: User, course_ref: str | int, assignment_id: str, user_ref: str,
                      scores: tuple[CriterionScore, ...]) -> RubricAssessment:
    """A grader's rubric scores sent with a submission's grade: the grading assessment through the assignment's
    rubric association."""
    course, rights = readable_course(db, actor, course_ref)
    assignment = submission_views.visible_assignment(db, course, rights, assignment_id)
    found = for_assignments(db, [assignment.id]).get(assignment.id)
    if found is None:
        raise InvalidInput("rubric_assessment", "rubric_assessment: this assignment has no rubric")
    where = Target(course, rights, found[0], found[1], assignment)
    return assess(db, actor, where, AssessmentEntry(user_ref, "grading", scores))


def assess(db: Session, actor: User, where: Target, entry: AssessmentEntry) -> RubricAssessment:
    """Make (or redo) the actor's assessment of the student's submission."""
    if not entry.user_id:
        raise InvalidInput("user_id", "user_id is required")
    student = users.resolve_user(db, entry.user_id, actor)
    if not submission_views.student_ids(db, where.course.id, [student.id]):
        raise NotFound("user")
    kind = entry.assessment_type or ("grading" if where.rights.can("manage_grades") else "peer_review")
    if kind not in ASSESSMENT_TYPES:
        raise InvalidInput("assessment_type", f"assessment_type must be one of {', '.join(ASSESSMENT_TYPES)}")
    _check_assessor(db, actor, where, kind, student.id)
    # first assessments of one association take turns (PostgreSQL): the look-up below then sees a twin a
    # concurrent request committed, rather than both storing one
    db.execute(select(ContentItem.id).where(ContentItem.id == where.association.id).with_for_update())
    stmt = select(RubricAssessment).where(RubricAssessment.association_id == where.association.id,
                                          RubricAssessment.user_id == student.id,
                                          RubricAssessment.assessment_type == kind)
    if kind == "peer_review":
        stmt = stmt.where(RubricAssessment.assessor_id == actor.id)
    return _record(db, actor, where, db.scalar(stmt), student.id, kind, entry.scores)


def reassess(db: Session, actor: User, where: Target, assessment_id: str, entry: AssessmentEntry
             ) -> RubricAssessment:
    row = assessment_row(db, where, assessment_id)
    kind = entry.assessment_type or row.assessment_type
    if kind != row.assessment_type:
        raise InvalidInput("assessment_type", "an assessment keeps its assessment_type")
    if entry.user_id and users.resolve_user(db, entry.user_id, actor).id != row.user_id:
        raise InvalidInput("user_id", "an assessment keeps the user it assesses")
    _check_assessor(db, actor, where, kind, row.user_id)
    if kind == "peer_review" and row.assessor_id != actor.id and not where.rights.can("manage_grades"):
        raise NotAllowed()
    return _record(db, actor, where, row, row.user_id, kind, entry.scores)


def remove(db: Session, actor: User, where: Target, assessment_id: str) -> RubricAssessment:
    """Delete an assessment (a grader's, or a peer reviewer's own); the grade it posted stays."""
    row = assessment_row(db, where, assessment_id)
    if not where.rights.can("manage_grades") and not (row.assessment_type == "peer_review"
                                                       and row.assessor_id == actor.id):
        raise NotAllowed()
    db.delete(row)
    db.flush()
    return row


def assessment_row(db: Session, where: Target, assessment_id: str) -> RubricAssessment:
    row = db.get(RubricAssessment, store_id(assessment_id)) if is_id(assessment_id) else None
    if row is None or row.association_id != where.association.id:
        raise NotFound("rubric_assessment")
    return row


def _check_assessor(db: Session, actor: User, where: Target, kind: str, student_id: int) -> None:
    if where.rights.can("manage_grades"):
        return
    if kind in GRADED or db.scalar(select(PeerReview.id).where(
            PeerReview.item_id == where.assignment.id, PeerReview.user_id == student_id,
            PeerReview.assessor_id == actor.id)) is None:
        raise NotAllowed()


def _record(db: Session, actor: User, where: Target, row: RubricAssessment | None, student_id: int, kind: str,
            scores: tuple[CriterionScore, ...]) -> RubricAssessment:
    data, total = scored(where.rubric, scores)
    grades = kind == "grading" and bool((where.association.data or {}).get("use_for_grading"))
    change = GradeChange(posted_grade=f"{round(total, 2)}" if grades else None)
    view = submissions.grade(db, actor, where.course.id, str(where.assignment.id), str(student_id), change)
    if kind == "peer_review":
        peer_reviews.complete_review(db, view.submission, actor)
    now = utcnow()
    if row is None:
        row = RubricAssessment(course_id=where.course.id, association_id=where.association.id, user_id=student_id,
                               assessment_type=kind, created_at=now)
        db.add(row)
    row.rubric_id, row.assessor_id, row.submission_id = where.rubric.id, actor.id, view.submission.id
    row.attempt, row.data, row.score, row.updated_at = view.submission.attempt, data, total, now
    db.flush()
    return row


def scored(rubric: ContentItem, scores: tuple[CriterionScore, ...]) -> tuple[list[dict[str, Any]], float]:
    """The assessment's stored data (one entry per criterion of the rubric, in its order) and its total.
    A rating's points stand for the criterion's when no points are sent."""
    criteria = {c["id"]: c for c in criteria_of(rubric)}
    sent: dict[str, CriterionScore] = {}
    for score in scores:
        field = f"criterion_{score.criterion_id}"
        criterion = criteria.get(score.criterion_id)
        if criterion is None:
            raise InvalidInput(field, f"{field} names no criterion of this rubric")
        ratings = {r["id"]: r for r in criterion["ratings"]}
        if score.rating_id and score.rating_id not in ratings:
            raise InvalidInput(f"{field}[rating_id]", f"{field}[rating_id] names no rating of this criterion")
        if score.points is not None and score.points < 0:
            raise InvalidInput(f"{field}[points]", f"{field}[points] must not be negative")
        if score.comments and len(score.comments) > MAX_COMMENT:
            raise InvalidInput(f"{field}[comments]", f"{field}[comments] may be at most {MAX_COMMENT} characters")
        sent[score.criterion_id] = score
    data = []
    for cid, criterion in criteria.items():
        if cid not in sent:
            continue
        score = sent[cid]
        points = score.points
        if points is None and score.rating_id:
            points = next(r["points"] for r in criterion["ratings"] if r["id"] == score.rating_id)
        data.append({"criterion_id": cid, "points": points, "comments": score.comments or "",
                     "rating_id": score.rating_id, "description": _rating_text(criterion, score.rating_id)})
    return data, float(sum(d["points"] or 0.0 for d in data))


def _rating_text(criterion: dict[str, Any], rating_id: str | None) -> str | None:
    return next((r["description"] for r in criterion["ratings"] if r["id"] == rating_id), None)


def readable_of(db: Session, actor: User, rights: CourseRights, association_ids: list[int], kinds: tuple[str, ...]
                ) -> list[RubricAssessment]:
    """The assessments of kinds through the associations the actor may read: all for graders, else those of
    their own work and those they made."""
    if not association_ids:
        return []
    stmt = select(RubricAssessment).where(RubricAssessment.association_id.in_(association_ids),
                                          RubricAssessment.assessment_type.in_(kinds)).order_by(RubricAssessment.id)
    if not submission_views.reads_all(rights):
        stmt = stmt.where(or_(RubricAssessment.user_id == actor.id, RubricAssessment.assessor_id == actor.id))
    return list(db.scalars(stmt))


def for_submissions(db: Session, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], RubricAssessment]:
    """Per (assignment id, student id), the grading assessment through the assignment's live association."""
    associations = for_assignments(db, sorted({a for a, _ in pairs}))
    by_association = {assoc.id: assignment_id for assignment_id, (assoc, _) in associations.items()}
    if not by_association:
        return {}
    rows = db.scalars(select(RubricAssessment).where(
        RubricAssessment.association_id.in_(by_association), RubricAssessment.assessment_type == "grading",
        RubricAssessment.user_id.in_({u for _, u in pairs})))
    return {(by_association[r.association_id], r.user_id): r for r in rows}
