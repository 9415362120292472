"""Submissions: a student turning in an assignment, a grader grading it, and the queries that read them
(what a reader is shown, and who may read which, is `submission_views.py`).

One `submissions` row per (assignment item, student), made on the first submit or grade. Reads
answer for every student of the course as Canvas does (it keeps a row per assigned student from
the start): a student without a row is shown an unsaved "unsubmitted" submission (id None).
Comments live in the row's `data["comments"]`, numbered per submission.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import cast

from sqlalchemy import Select, and_, func, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.core.content import file_uploads
from courseport.core.content.due_dates import StudentDates, effective_dates
from courseport.core.content.file_uploads import UploadTicket
from courseport.core.courses import sections
from courseport.core.courses.courses import readable_course
from courseport.core.courses.grading_standards import scheme_for
from courseport.core.coursework import (
    grade_checks,
    late_deductions,
    peer_reviews,
    submission_entries,
    submission_views,
)
from courseport.core.coursework.grades import grade_for_score, score_for_posted_grade
from courseport.core.coursework.submission_entries import SUBMISSION_TYPES, SubmissionEntry
from courseport.core.coursework.submission_views import StudentSubmissions, SubmissionView
from courseport.core.identity import users
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.html import sanitize_html
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window
from courseport.schema import Course, Enrollment, User
from courseport.schema.base import utcnow
from courseport.schema.content import ContentItem, Submission

WORKFLOW_STATES = ("submitted", "unsubmitted", "graded", "pending_review")
LOCKED_MESSAGE = "You can't submit an assignment when it is locked"
ATTEMPTS_MESSAGE = "you have reached the maximum number of allowed attempts for this assignment"
ATTEMPT_TYPES = frozenset({"online_upload", "online_url", "online_text_entry"})  # what allowed_attempts governs


@dataclass(frozen=True)
class GradeChange:
    """A grader's change: `posted_grade` None = not given, "" = clear the grade."""

    posted_grade: str | None = None
    excuse: bool | None = None
    comment: str | None = None
    late_policy_status: str | None = None  # late|missing|extended|none (late_status.py)
    seconds_late_override: int | None = None


@dataclass(frozen=True)
class SubmissionsQuery:
    """GET /courses/:id/students/submissions: `student_ids` empty = the caller; "all" = every student."""

    student_ids: tuple[str, ...] = ()
    assignment_ids: tuple[str, ...] = ()
    workflow_state: str | None = None
    section_id: int | None = None  # only this section's students (GET /sections/:id/students/submissions)


# --- writes ---------------------------------------------------------------------------------------

def submit(db: Session, actor: User, course_ref: str | int, assignment_id: str, entry: SubmissionEntry
           ) -> SubmissionView:
    """The actor, an enrolled student, turns in an attempt; the attempt count goes up by one. Refused (naming
    `attempt`) once the student has used the assignment's allowed_attempts and their extra_attempts."""
    course, assignment, dates = _open_to(db, actor, course_ref, assignment_id)
    now = utcnow()
    files = submission_entries.checked_entry(db, course, assignment, actor, entry)
    row = row_for(db, course, assignment, actor.id, lock=True)  # two submits take turns on the count
    _check_attempts(assignment, row)
    row.submission_type = entry.submission_type
    row.body = sanitize_html(entry.body or "") if entry.submission_type == "online_text_entry" else None
    # checked_entry refused a submission_type not in SUBMISSION_TYPES
    takes_url = SUBMISSION_TYPES[cast(str, entry.submission_type)] == "url"
    row.url = submission_entries.normalised_url(entry.url) if takes_url else None
    row.attempt = (row.attempt or 0) + 1
    row.submitted_at = now
    row.late = bool(dates.due_at and now > dates.due_at)
    late_deductions.settle(db, course, assignment, row, scheme_for(db, course, assignment), entered=False, now=now,
                           grade_missing=False)  # a kept grade's deduction follows the new lateness
    row.workflow_state = "pending_review" if (assignment.data or {}).get("quiz") else "submitted"
    row.data = {**(row.data or {}), "file_ids": [f.id for f in files]}
    _add_comment(row, actor, entry.comment, now)
    row.updated_at = now
    db.flush()
    return submission_views.view(db, course, assignment, row, grader=False, reader_id=actor.id)


def grade(db: Session, actor: User, course_ref: str | int, assignment_id: str, user_ref: str,
          change: GradeChange) -> SubmissionView:
    """Grade, excuse and/or comment on a student's submission, making its row if there is none."""
    course, rights = readable_course(db, actor, course_ref)
    grader = rights.can("manage_grades")
    assignment = submission_views.visible_assignment(db, course, rights, assignment_id)
    student = users.resolve_user(db, user_ref, actor)
    if not submission_views.student_ids(db, course.id, [student.id]):
        raise NotFound("user")
    grading = any(v is not None for v in (change.posted_grade, change.excuse, change.late_policy_status,
                                          change.seconds_late_override))
    access = grade_checks.checked_access(db, course, rights, actor, assignment, student.id, grading=grading)
    score = None
    scheme = scheme_for(db, course, assignment)
    if change.posted_grade:
        score = score_for_posted_grade(assignment, change.posted_grade, scheme)
    row = row_for(db, course, assignment, student.id, lock=True)  # a due date moving now waits, or we do
    late_deductions.mark(row, change.late_policy_status, change.seconds_late_override)
    now = utcnow()
    if change.posted_grade is not None:
        row.score = score
        row.grade = None if score is None else grade_for_score(assignment, score, scheme)
        row.excused = False
    if change.excuse is not None:
        row.excused = change.excuse
        if change.excuse:
            row.score = row.grade = None
    entered = change.posted_grade is not None or change.excuse is not None
    if late_deductions.settle(db, course, assignment, row, scheme, entered=entered, now=now, grade_missing=grader
                              ) or grading:
        _settle_grading(course, row, actor, now)
    _add_comment(row, actor, change.comment, now)
    if access == "assessor" and change.comment and change.comment.strip():
        peer_reviews.complete_review(db, row, actor)
    row.updated_at = now
    db.flush()
    return submission_views.view(db, course, assignment, row, grader=grader, reader_id=actor.id,
                                 assessor=access == "assessor")


def record_quiz_result(db: Session, course: Course, assignment: ContentItem, user_id: int, *, score: float | None,
                       attempt: int, submitted_at: datetime | None, pending_review: bool) -> Submission:
    """A quiz's kept score on the student's submission to the quiz's assignment (core/coursework/quiz_attempts.py):
    submitted as online_quiz, graded by the quiz ("pending_review" while a person must grade some of it)."""
    row = row_for(db, course, assignment, user_id)
    now = utcnow()
    dates = effective_dates(db, course.id, [assignment.id], [user_id]).get(assignment.id, {}).get(user_id)
    row.submission_type, row.attempt, row.submitted_at = "online_quiz", attempt, submitted_at
    row.late = bool(dates and dates.due_at and submitted_at and submitted_at > dates.due_at)
    scheme = scheme_for(db, course, assignment)
    row.score, row.grade = score, None if score is None else grade_for_score(assignment, score, scheme)
    row.excused = False
    late_deductions.settle(db, course, assignment, row, scheme, entered=True, now=now)
    row.workflow_state = "pending_review" if pending_review else "graded"
    row.grader_id, row.graded_at = None, now
    if row.posted_at is None and not course.post_manually:
        row.posted_at = now
    row.updated_at = now
    db.flush()
    return row


def attempts_left(assignment: ContentItem, row: Submission) -> int | None:
    """How many more times the student may submit: the assignment's allowed_attempts plus the student's
    extra_attempts less the attempts made; None when unlimited (allowed_attempts -1 or not set) or the
    assignment takes no type attempts govern (ATTEMPT_TYPES), as Canvas counts them."""
    data = assignment.data or {}
    allowed = data.get("allowed_attempts")
    if allowed is None or allowed < 0 or not set(data.get("submission_types") or []) & ATTEMPT_TYPES:
        return None
    return max(0, allowed + (row.extra_attempts or 0) - (row.attempt or 0))


def _check_attempts(assignment: ContentItem, row: Submission) -> None:
    if attempts_left(assignment, row) == 0:
        raise InvalidInput("attempt", ATTEMPTS_MESSAGE)


def _open_to(db: Session, actor: User, course_ref: str | int, assignment_id: str
             ) -> tuple[Course, ContentItem, StudentDates]:
    """The course, the assignment and the actor's dates for it, if the actor is a student it is open to now."""
    course, rights = readable_course(db, actor, course_ref)
    assignment = submission_views.visible_assignment(db, course, rights, assignment_id)
    if not rights.can("participate_as_student") or not submission_views.student_ids(db, course.id, [actor.id]):
        raise NotAllowed()
    dates = effective_dates(db, course.id, [assignment.id], [actor.id]).get(assignment.id, {}).get(actor.id)
    if dates is None:
        raise NotAllowed()  # only_visible_to_overrides, and no override covers the student
    now = utcnow()
    if (dates.lock_at and dates.lock_at <= now) or (dates.unlock_at and dates.unlock_at > now):
        raise NotAllowed(LOCKED_MESSAGE)
    return course, assignment, dates


def start_submission_upload(db: Session, actor: User, course_ref: str | int, assignment_id: str, user_ref: str,
                            *, name: str | None, size: int | None, content_type: str | None,
                            max_upload_bytes: int) -> UploadTicket:
    """The first step of a student's file upload for a submission (the file is theirs, in no course folder;
    `submit` with online_upload names it). Only for themself, and only to an assignment open to them that
    takes uploads."""
    if user_ref != "self" and users.resolve_user(db, user_ref, actor).id != actor.id:
        raise NotAllowed()
    course, assignment, _ = _open_to(db, actor, course_ref, assignment_id)
    if "online_upload" not in ((assignment.data or {}).get("submission_types") or []):
        raise InvalidInput("submission_type", "this assignment does not take file uploads (online_upload)")
    return file_uploads.start_own_upload(actor, course, name=name, size=size, content_type=content_type,
                                  max_upload_bytes=max_upload_bytes)


def _settle_grading(course: Course, row: Submission, actor: User, now: datetime) -> None:
    graded = row.score is not None or row.excused
    row.workflow_state = "graded" if graded else ("submitted" if row.submitted_at else "unsubmitted")
    row.grader_id = actor.id if graded else None
    row.graded_at = now if graded else None
    if graded and row.posted_at is None and not course.post_manually:
        row.posted_at = now
    if graded and row.posted_at is not None:
        _drop_read_mark(row)


def _add_comment(row: Submission, author: User, text: str | None, now: datetime) -> None:
    if not text or not text.strip():
        return
    comments = list((row.data or {}).get("comments") or [])
    comments.append({"id": len(comments) + 1, "author_id": author.id, "author_name": author.short_name,
                     "comment": text, "created_at": now.isoformat(), "attempt": row.attempt})
    row.data = {**(row.data or {}), "comments": comments}
    if author.id != row.user_id:
        _drop_read_mark(row)


def _drop_read_mark(row: Submission) -> None:
    """Someone else's comment or a grade makes the submission unread for its student (submission_views)."""
    if "read_mark" in (row.data or {}):
        row.data = {k: v for k, v in row.data.items() if k != "read_mark"}


def mark_read(db: Session, actor: User, course_ref: str | int, assignment_id: str, user_ref: str, *,
              read: bool) -> None:
    """The student marks their own submission read or unread."""
    course, rights = readable_course(db, actor, course_ref)
    assignment = submission_views.visible_assignment(db, course, rights, assignment_id)
    if users.resolve_user(db, user_ref, actor).id != actor.id:
        raise NotAllowed()
    if not submission_views.student_ids(db, course.id, [actor.id]):
        raise NotFound("user")
    row = row_for(db, course, assignment, actor.id)
    row.data = {**(row.data or {}), "read_mark": {"state": "read" if read else "unread", "at": utcnow().isoformat()}}
    db.flush()


def row_for(db: Session, course: Course, assignment: ContentItem, user_id: int, *, lock: bool = False
            ) -> Submission:
    """The student's row, made when missing (a concurrent maker wins and its row is used). `lock`: the row is
    locked and read afresh, for a rule that reads the row before it writes it (PostgreSQL; a row made here is
    locked by its insert)."""
    stmt = select(Submission).where(Submission.item_id == assignment.id, Submission.user_id == user_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    row = db.scalar(stmt)
    if row is not None:
        return row
    try:
        with db.begin_nested():
            row = Submission(item_id=assignment.id, course_id=course.id, user_id=user_id,
                             workflow_state="unsubmitted", excused=False, late=False, data={})
            db.add(row)
    except IntegrityError:
        row = cast(Submission, db.scalar(stmt))  # the unique row that refused ours exists
    return row


# --- reads ----------------------------------------------------------------------------------------

def assignment_submissions(db: Session, actor: User, course_ref: str | int, assignment_id: str, window: Window
                           ) -> Slice[SubmissionView]:
    """Every student's submission for one assignment (graders only), by student id."""
    course, rights = readable_course(db, actor, course_ref)
    assignment = submission_views.visible_assignment(db, course, rights, assignment_id)
    if not submission_views.reads_all(rights):
        raise NotAllowed()
    stmt = _rows(course.id, [assignment.id], None)
    return _page(db, course, stmt, window, grader=True, reader_id=actor.id)


def user_submission(db: Session, actor: User, course_ref: str | int, assignment_id: str, user_ref: str
                    ) -> SubmissionView:
    """One student's submission: for that student, their observers and graders."""
    course, rights = readable_course(db, actor, course_ref)
    assignment = submission_views.visible_assignment(db, course, rights, assignment_id)
    student = users.resolve_user(db, user_ref, actor)
    access = submission_views.read_access(db, course, rights, actor, assignment, student.id)
    if not submission_views.student_ids(db, course.id, [student.id]):
        raise NotFound("user")
    row = db.scalar(select(Submission).where(Submission.item_id == assignment.id, Submission.user_id == student.id))
    row = row or submission_views.unsubmitted(course, assignment, student.id)
    return submission_views.view(db, course, assignment, row, grader=access == "grader", reader_id=actor.id,
                                 assessor=access == "assessor")


def student_submissions(db: Session, actor: User, course_ref: str | int, query: SubmissionsQuery, window: Window
                        ) -> Slice[SubmissionView]:
    """Submissions of several students for the course's published assignments, by assignment then student."""
    course, rights, students, assignment_ids = _for_students(db, actor, course_ref, query)
    stmt = _rows(course.id, assignment_ids, students, query.workflow_state)
    return _page(db, course, stmt, window, grader=submission_views.reads_all(rights), reader_id=actor.id)


def grouped_student_submissions(db: Session, actor: User, course_ref: str | int, query: SubmissionsQuery,
                                window: Window) -> Slice[StudentSubmissions]:
    """The same submissions grouped per student, one window of students."""
    course, rights, students, assignment_ids = _for_students(db, actor, course_ref, query)
    enrolled_stmt = submission_views.students_stmt(course.id)
    if students is not None:
        enrolled_stmt = enrolled_stmt.where(Enrollment.user_id.in_(students))
    enrolled = enrolled_stmt.with_only_columns(Enrollment.user_id, func.min(Enrollment.course_section_id).label(
        "section_id")).group_by(Enrollment.user_id).subquery()
    found = db.execute(select(User, enrolled.c.section_id).join(enrolled, enrolled.c.user_id == User.id)
                       .order_by(User.id).offset(window.offset).limit(window.limit + 1)).all()
    page = found[:window.limit]
    ids = [u.id for u, _ in page]
    views = _page(db, course, _rows(course.id, assignment_ids, ids, query.workflow_state), Window(0, 10**9),
                  grader=submission_views.reads_all(rights), reader_id=actor.id).items
    out = [StudentSubmissions(u.id, section_id, u, [v for v in views if v.submission.user_id == u.id])
           for u, section_id in page]
    return Slice(out, len(found) > window.limit)


def in_section(db: Session, actor: User, section_ref: str, query: SubmissionsQuery) -> tuple[int, SubmissionsQuery]:
    """The course of a section the actor may read and the query narrowed to the section's students."""
    section, course, _ = sections.readable_section(db, actor, section_ref)
    return course.id, replace(query, section_id=section.id)


def _for_students(db: Session, actor: User, course_ref: str | int, query: SubmissionsQuery
                  ) -> tuple[Course, CourseRights, list[int] | None, list[int]]:
    course, rights = readable_course(db, actor, course_ref)
    if query.workflow_state and query.workflow_state not in WORKFLOW_STATES:
        raise InvalidInput("workflow_state", f"workflow_state must be one of {', '.join(WORKFLOW_STATES)}")
    readable = submission_views.readable_students(db, course, rights, actor)
    if "all" in query.student_ids:
        students: list[int] | None = None if readable is None else sorted(readable)
    else:
        asked = [_user_id(db, ref, actor) for ref in query.student_ids] or [actor.id]
        if readable is not None and not set(asked) <= readable:
            raise NotAllowed()
        students = asked
    if query.section_id is not None:
        students = _in_section(db, course.id, query.section_id, students)
    published = select(ContentItem.id).where(ContentItem.course_id == course.id, ContentItem.type == "assignment",
                                             ContentItem.workflow_state == "published")
    if query.assignment_ids:
        asked_ids = {store_id(i) for i in query.assignment_ids if is_id(i)}
        found = set(db.scalars(published.where(ContentItem.id.in_(asked_ids))))
        if found != asked_ids or len(asked_ids) != len(set(query.assignment_ids)):
            raise NotAllowed("invalid assignment ids requested")
        return course, rights, students, sorted(found)
    return course, rights, students, list(db.scalars(published.order_by(ContentItem.id)))


def _in_section(db: Session, course_id: int, section_id: int, students: list[int] | None) -> list[int]:
    """The students (every one when None) enrolled in the section."""
    stmt = submission_views.students_stmt(course_id).where(Enrollment.course_section_id == section_id)
    return sorted(set(db.scalars(stmt)) & set(students) if students is not None else set(db.scalars(stmt)))


def _user_id(db: Session, ref: str, actor: User) -> int:
    try:
        return users.resolve_user(db, ref, actor).id
    except NotFound:
        raise NotAllowed() from None  # Canvas answers an unknown student id as an inaccessible one


def _rows(course_id: int, assignment_ids: list[int], students: list[int] | None,
          workflow_state: str | None = None) -> Select:
    """(assignment, student id, row or None) for every pair, by assignment id then student id.

    `students` None means every student of the course.
    """
    people_stmt = submission_views.students_stmt(course_id)
    if students is not None:
        people_stmt = people_stmt.where(Enrollment.user_id.in_(students))
    people = people_stmt.with_only_columns(Enrollment.user_id.label("user_id")).distinct().subquery()
    stmt = (select(ContentItem, people.c.user_id, Submission).select_from(ContentItem).join(people, true())
            .outerjoin(Submission, and_(Submission.item_id == ContentItem.id, Submission.user_id == people.c.user_id))
            .where(ContentItem.id.in_(assignment_ids)).order_by(ContentItem.id, people.c.user_id))
    if workflow_state:
        stmt = stmt.where(func.coalesce(Submission.workflow_state, "unsubmitted") == workflow_state)
    return stmt


def _page(db: Session, course: Course, stmt: Select, window: Window, *, grader: bool, reader_id: int
          ) -> Slice[SubmissionView]:
    found = db.execute(stmt.offset(window.offset).limit(window.limit + 1)).all()
    rows = [row or submission_views.unsubmitted(course, item, user_id) for item, user_id, row in found[:window.limit]]
    items = [pair[0] for pair in found[:window.limit]]
    views = submission_views.views(db, course, list(zip(items, rows, strict=True)), grader=grader, reader_id=reader_id)
    return Slice(views, len(found) > window.limit)
