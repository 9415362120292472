"""Peer reviews: a grader assigns a student (the assessor) to review another student's submission to an
assignment with peer reviews on. The review is "assigned" until the assessor comments on the submission
(`submissions.grade` calls `complete_review`), then "completed". An assessor reads the submission they
review, never its grade (`submission_views.read_access`). One review per (assessor, submission).

Reviews are student data: they go with their submission, course or user, and a course copy never
carries them (the copy engine copies content items, not the `peer_reviews` table).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.coursework import submission_views
from courseport.core.identity import users
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import store_id
from courseport.schema import Course, User
from courseport.schema.base import utcnow
from courseport.schema.content import ContentItem, PeerReview, Submission

NOT_ENABLED = "peer reviews are not enabled for this assignment"


@dataclass
class PeerReviewView:
    review: PeerReview
    user: User  # whose submission is reviewed
    assessor: User
    comments: list[dict] = field(default_factory=list)  # the assessor's comments on the submission


def list_reviews(db: Session, actor: User, course_ref: str | int, assignment_id: str,
                 submission_id: str | None = None) -> list[PeerReviewView]:
    """The assignment's (or one submission's) reviews: graders see all, anyone else those they assess."""
    course, rights = readable_course(db, actor, course_ref)
    assignment = submission_views.visible_assignment(db, course, rights, assignment_id)
    stmt = select(PeerReview).where(PeerReview.item_id == assignment.id).order_by(PeerReview.id)
    if submission_id is not None:
        stmt = stmt.where(PeerReview.submission_id == _submission(db, assignment, submission_id).id)
    if not submission_views.reads_all(rights):
        stmt = stmt.where(PeerReview.assessor_id == actor.id)
    return _views(db, list(db.scalars(stmt)))


def assign_review(db: Session, actor: User, course_ref: str | int, assignment_id: str, submission_id: str,
                  user_ref: str | None) -> PeerReviewView:
    """Make `user_ref` review the submission; the review already made for them is answered as it is."""
    course, assignment, submission = _graded_submission(db, actor, course_ref, assignment_id, submission_id)
    assessor = _student(db, course, actor, user_ref)
    if assessor.id == submission.user_id:
        raise InvalidInput("user_id", "user_id cannot review their own submission")
    stmt = select(PeerReview).where(PeerReview.submission_id == submission.id, PeerReview.assessor_id == assessor.id)
    review = db.scalar(stmt)
    if review is None:
        try:
            with db.begin_nested():
                review = PeerReview(course_id=course.id, item_id=assignment.id, submission_id=submission.id,
                                    user_id=submission.user_id, assessor_id=assessor.id, workflow_state="assigned")
                db.add(review)
        except IntegrityError:
            review = cast(PeerReview, db.scalar(stmt))  # a concurrent assigner made it
    return _views(db, [review])[0]


def remove_review(db: Session, actor: User, course_ref: str | int, assignment_id: str, submission_id: str,
                  user_ref: str | None) -> PeerReviewView:
    """Take the review of the submission away from `user_ref`; answers the review as it was."""
    course, _, submission = _graded_submission(db, actor, course_ref, assignment_id, submission_id)
    assessor = _student(db, course, actor, user_ref)
    review = db.scalar(select(PeerReview).where(PeerReview.submission_id == submission.id,
                                                PeerReview.assessor_id == assessor.id))
    if review is None:
        raise NotFound("peer_review")
    out = _views(db, [review])[0]
    db.delete(review)
    db.flush()
    return out


def complete_review(db: Session, submission: Submission, assessor: User) -> None:
    """The assessor commented on the submission they review: their review is done."""
    review = db.scalar(select(PeerReview).where(PeerReview.submission_id == submission.id,
                                                PeerReview.assessor_id == assessor.id))
    if review is not None and review.workflow_state != "completed":
        review.workflow_state, review.updated_at = "completed", utcnow()


def _graded_submission(db: Session, actor: User, course_ref: str | int, assignment_id: str, submission_id: str
                       ) -> tuple[Course, ContentItem, Submission]:
    course, rights = readable_course(db, actor, course_ref)
    assignment = submission_views.visible_assignment(db, course, rights, assignment_id)
    _require_grader(rights)
    submission = _submission(db, assignment, submission_id)
    if not (assignment.data or {}).get("peer_reviews"):
        raise InvalidInput("peer_reviews", NOT_ENABLED)
    return course, assignment, submission


def _require_grader(rights: CourseRights) -> None:
    if not rights.can("manage_grades"):
        raise NotAllowed()


def _submission(db: Session, assignment: ContentItem, submission_id: str) -> Submission:
    row = db.scalar(select(Submission).where(Submission.id == store_id(submission_id),
                                             Submission.item_id == assignment.id))
    if row is None:
        raise NotFound("submission")
    return row


def _student(db: Session, course: Course, actor: User, user_ref: str | None) -> User:
    """The reviewer named by user_id: a student of the course."""
    if not user_ref:
        raise InvalidInput("user_id", "user_id is required")
    try:
        user = users.resolve_user(db, user_ref, actor)
    except NotFound:
        user = None
    if user is None or not submission_views.student_ids(db, course.id, [user.id]):
        raise InvalidInput("user_id", "user_id must be a student of the course")
    return user


def _views(db: Session, reviews: list[PeerReview]) -> list[PeerReviewView]:
    ids = {r.user_id for r in reviews} | {r.assessor_id for r in reviews}
    people = {u.id: u for u in db.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    rows = {s.id: s for s in db.scalars(select(Submission).where(
        Submission.id.in_({r.submission_id for r in reviews})))} if reviews else {}
    return [PeerReviewView(r, people[r.user_id], people[r.assessor_id],
                           [c for c in (rows[r.submission_id].data or {}).get("comments") or []
                            if c["author_id"] == r.assessor_id])
            for r in reviews]
