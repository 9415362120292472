"""What a reader is shown of submissions, and who may read which: the submission view (with its
files, comment authors, the student's effective due date and read state), loaded once per list, and the
rules for which students' submissions an actor sees (graders every one; a student their own, an observer
their students'; a peer reviewer the submissions they were assigned to review, without the grade).
`submissions.py` holds the writes and the queries.

Read state (Canvas's `read_status`, for the student alone): a submission turns unread for its student
when a grade is posted on it or someone else comments on it, and read when they mark it read; the
student's last mark, `data["read_mark"]` {"state", "at"}, stands until the next such change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from courseport.core.content.content import get_item
from courseport.core.content.due_dates import STUDENT_TYPES, effective_dates
from courseport.core.coursework import late_status
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import NotAllowed, NotFound
from courseport.schema import Course, Enrollment, File, User
from courseport.schema.base import utcnow
from courseport.schema.content import ContentItem, PeerReview, Submission

_STUDENT_STATES = ("active", "invited", "completed")


@dataclass
class SubmissionView:
    submission: Submission  # unsaved (id None) for a student who has neither submitted nor been graded
    assignment: ContentItem
    grade_visible: bool  # graders always; the student once the grade is posted
    due_at: datetime | None = None  # the student's effective due date (overrides applied)
    files: list[File] = field(default_factory=list)
    comment_authors: dict[int, User] = field(default_factory=dict)
    reader_id: int | None = None  # who reads it: read_status is the student's own, "read" for anyone else
    assessor: bool = False  # read by a peer reviewer: no grade, only the student's and their own comments

    @property
    def comments(self) -> list[dict]:
        found = (self.submission.data or {}).get("comments") or []
        if not self.assessor:
            return list(found)
        return [c for c in found if c["author_id"] in (self.reader_id, self.submission.user_id)]

    @property
    def read_status(self) -> str:
        s = self.submission
        if self.reader_id is None or self.reader_id != s.user_id:
            return "read"
        changes = [datetime.fromisoformat(c["created_at"]) for c in (s.data or {}).get("comments") or []
                   if c["author_id"] != s.user_id]
        if s.posted_at is not None and s.graded_at is not None:
            changes.append(max(s.graded_at, s.posted_at))
        mark = (s.data or {}).get("read_mark")
        if mark and all(datetime.fromisoformat(mark["at"]) >= at for at in changes):
            return str(mark["state"])
        return "unread" if changes else "read"

    @property
    def late(self) -> bool:
        return late_status.is_late(self.submission)

    @property
    def missing(self) -> bool:
        return late_status.is_missing(self.submission, self.assignment, self.due_at, utcnow())

    @property
    def seconds_late(self) -> int:
        return late_status.seconds_late(self.submission, self.due_at)

    @property
    def grade_matches_current_submission(self) -> bool:
        s = self.submission
        return not (s.graded_at and s.submitted_at and s.submitted_at > s.graded_at)


@dataclass
class StudentSubmissions:
    user_id: int
    section_id: int
    user: User
    submissions: list[SubmissionView]


# --- views ----------------------------------------------------------------------------------------

def unsubmitted(course: Course, assignment: ContentItem, user_id: int) -> Submission:
    return Submission(item_id=assignment.id, course_id=course.id, user_id=user_id, workflow_state="unsubmitted",
                      excused=False, late=False, data={})


def view(db: Session, course: Course, assignment: ContentItem, row: Submission, *, grader: bool,
         reader_id: int | None = None, assessor: bool = False) -> SubmissionView:
    return views(db, course, [(assignment, row)], grader=grader, reader_id=reader_id, assessor=assessor)[0]


def views(db: Session, course: Course, pairs: list[tuple[ContentItem, Submission]], *, grader: bool,
          reader_id: int | None = None, assessor: bool = False) -> list[SubmissionView]:
    """Views with their files and comment authors, loaded once for the whole list."""
    file_ids = {i for _, s in pairs for i in (s.data or {}).get("file_ids") or []}
    author_ids = {c["author_id"] for _, s in pairs for c in (s.data or {}).get("comments") or []}
    files = {f.id: f for f in db.scalars(select(File).where(File.id.in_(file_ids)))} if file_ids else {}
    authors = {u.id: u for u in db.scalars(select(User).where(User.id.in_(author_ids)))} if author_ids else {}
    dates = effective_dates(db, course.id, {a.id for a, _ in pairs}, {s.user_id for _, s in pairs}) if pairs else {}

    def due_at(a: ContentItem, s: Submission) -> datetime | None:
        found = dates.get(a.id, {}).get(s.user_id)
        return found.due_at if found else a.due_at

    return [SubmissionView(s, a, grader or (s.posted_at is not None and not assessor), due_at(a, s),
                           [files[i] for i in (s.data or {}).get("file_ids") or [] if i in files], authors,
                           reader_id, assessor)
            for a, s in pairs]


# --- who may see what -----------------------------------------------------------------------------

def visible_assignment(db: Session, course: Course, rights: CourseRights, assignment_id: str) -> ContentItem:
    """The assignment; unpublished ones exist only for those who manage content or grades."""
    assignment = get_item(db, course.id, assignment_id, "assignment")
    staff = rights.can("manage_content") or rights.can("manage_grades") or rights.can("view_all_grades")
    if assignment.workflow_state != "published" and not staff:
        raise NotFound("assignment")
    return assignment


def reads_all(rights: CourseRights) -> bool:
    return rights.can("manage_grades") or rights.can("view_all_grades")


def readable_students(db: Session, course: Course, rights: CourseRights, actor: User) -> set[int] | None:
    """None when the actor reads every student's submissions; else themselves and the students they observe."""
    if reads_all(rights):
        return None
    observed = cast(set[int], set(db.scalars(select(Enrollment.associated_user_id).where(  # is_not(None)
        Enrollment.course_id == course.id, Enrollment.user_id == actor.id, Enrollment.type == "ObserverEnrollment",
        Enrollment.workflow_state == "active", Enrollment.associated_user_id.is_not(None)))))
    if rights.can("read"):
        observed.add(actor.id)
    if not observed:
        raise NotAllowed()
    return observed


def read_access(db: Session, course: Course, rights: CourseRights, actor: User, assignment: ContentItem,
                student_id: int) -> str:
    """How the actor may read one student's submission to the assignment: "grader" (all of it), "own" (the
    student or their observer: the grade once posted) or "assessor" (a peer reviewer assigned to it: the
    work and comments, never the grade). NotAllowed for anyone else."""
    readable = readable_students(db, course, rights, actor)
    if readable is None:
        return "grader"
    if student_id in readable:
        return "own"
    if db.scalar(select(PeerReview.id).where(PeerReview.item_id == assignment.id, PeerReview.user_id == student_id,
                                             PeerReview.assessor_id == actor.id)) is not None:
        return "assessor"
    raise NotAllowed()


def students_stmt(course_id: int) -> Select:
    return select(Enrollment.user_id).where(Enrollment.course_id == course_id, Enrollment.type.in_(STUDENT_TYPES),
                                            Enrollment.workflow_state.in_(_STUDENT_STATES))


def student_ids(db: Session, course_id: int, user_ids: list[int]) -> set[int]:
    return set(db.scalars(students_stmt(course_id).where(Enrollment.user_id.in_(user_ids))))
