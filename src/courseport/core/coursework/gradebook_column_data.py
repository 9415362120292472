"""Students' entries in a course's custom gradebook columns (Canvas's column data API): listed, set one at a
time, and set in bulk by a background job (Canvas answers a bulk update with a Progress).

Only the course's current students have entries; an empty entry is no entry (setting one empty removes it).
Entries may be written to a read-only column: Canvas's read_only only keeps its gradebook page from editing
it. A hidden column's entries are read only when the caller asks for hidden columns. The bulk request checks
every entry first (the column, the student, the content), so a mistake is a 400 naming it and nothing is
queued; the job writes them all in one transaction, checking again, so all are kept or none.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.coursework import submission_views
from courseport.core.coursework.gradebook_columns import find_column, grading_course
from courseport.core.identity import users
from courseport.core.jobs import jobs
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.db import transaction
from courseport.schema import Course, Enrollment, GradebookColumn, GradebookColumnDatum, Job, User
from courseport.schema.base import utcnow

KIND = "custom_columns_submissions_update"
MAX_CONTENT = 255
MAX_ENTRIES = 5000


@dataclass(frozen=True)
class ColumnEntry:
    """One student's entry in one column, as the grader named them (`content` None or "" removes it)."""

    column_id: str
    user_ref: str
    content: str | None


def list_data(db: Session, actor: User, course_ref: str | int, column_ref: str, window: Window, *,
              include_hidden: bool = False) -> Slice[GradebookColumnDatum]:
    course = grading_course(db, actor, course_ref, write=False)
    column = find_column(db, course, column_ref)
    if column.hidden and not include_hidden:
        raise NotFound("column")
    stmt = (select(GradebookColumnDatum).where(GradebookColumnDatum.column_id == column.id,
                                               GradebookColumnDatum.user_id.in_(submission_views.students_stmt(
                                                   course.id)))
            .order_by(GradebookColumnDatum.user_id))
    return fetch_window(db, stmt, window)


def set_datum(db: Session, actor: User, course_ref: str | int, column_ref: str, user_ref: str,
              content: str | None) -> tuple[int, str | None]:
    """The student's entry set (or removed when empty): (their id, the content now)."""
    course = grading_course(db, actor, course_ref, write=True)
    column = find_column(db, course, column_ref)
    student = _student(db, actor, course, user_ref)
    if student is None:
        raise NotFound("user")
    _check_content(content, "content")
    return student.id, _write(db, column, student.id, content)


def queue_bulk_update(db: Session, actor: User, course_ref: str | int, entries: list[ColumnEntry]) -> Job:
    """Check every entry against the course as it is now and queue the job that writes them."""
    course = grading_course(db, actor, course_ref, write=True)
    if not entries:
        raise InvalidInput("column_data", "column_data is required")
    if len(entries) > MAX_ENTRIES:
        raise InvalidInput("column_data", f"at most {MAX_ENTRIES} entries at once")
    for entry in entries:
        _check_entry(db, actor, course, entry)
    payload = {"course_id": course.id, "user_id": actor.id, "entries": [asdict(e) for e in entries]}
    return jobs.enqueue(db, KIND, payload, user_id=actor.id, context_type="Course", context_id=course.id)


def run_bulk_update(ctx: jobs.JobContext) -> dict:
    entries = [ColumnEntry(**e) for e in ctx.payload["entries"]]
    ctx.progress(0.0, "updating", force=True)
    with transaction(ctx.engine, write=True) as db:
        actor = db.get_one(User, ctx.payload["user_id"])
        course = grading_course(db, actor, ctx.payload["course_id"], write=True)
        for entry in entries:  # checked again: the course may have changed since the request (nothing is kept)
            column, student = _check_entry(db, actor, course, entry)
            _write(db, column, student.id, entry.content)
        ctx.confirm_held(db)
    return {"updated": len(entries)}


def _check_entry(db: Session, actor: User, course: Course, entry: ColumnEntry) -> tuple[GradebookColumn, User]:
    try:
        column = find_column(db, course, entry.column_id)
    except NotFound:
        raise InvalidInput("column_data[][column_id]",
                           f"column {entry.column_id} is not a column of the course") from None
    student = _student(db, actor, course, entry.user_ref)
    if student is None:
        raise InvalidInput("column_data[][user_id]", f"user {entry.user_ref} is not a student of the course")
    _check_content(entry.content, "column_data[][content]", f"user {entry.user_ref}: ")
    return column, student


def _check_content(content: str | None, field: str, where: str = "") -> None:
    if content is not None and len(content) > MAX_CONTENT:
        raise InvalidInput(field, f"{where}{field} is too long (at most {MAX_CONTENT} characters)")


def _student(db: Session, actor: User, course: Course, user_ref: str) -> User | None:
    try:
        user = users.resolve_user(db, user_ref, actor)
    except NotFound:
        return None
    enrolled = submission_views.students_stmt(course.id).where(Enrollment.user_id == user.id).limit(1)
    return user if db.scalar(enrolled) is not None else None


def _write(db: Session, column: GradebookColumn, user_id: int, content: str | None) -> str | None:
    datum = db.scalar(select(GradebookColumnDatum).where(GradebookColumnDatum.column_id == column.id,
                                                         GradebookColumnDatum.user_id == user_id))
    if not content:
        if datum is not None:
            db.delete(datum)
        db.flush()
        return content
    if datum is None:
        datum = GradebookColumnDatum(column_id=column.id, user_id=user_id)
        db.add(datum)
    datum.content, datum.updated_at = content, utcnow()
    db.flush()
    return content
