"""A course's custom gradebook columns (Canvas's Custom Gradebook Columns API): listed by position, made,
changed, deleted (kept as "deleted", as Canvas keeps them, and never shown again) and reordered.

Reading them takes a right to every grade of the course (manage_grades or view_all_grades); changing them
takes manage_grades, as Canvas asks, so students never see them (nor the teacher notes column, of which a
course has at most one live). Course copies carry neither columns nor their data: Canvas copies neither.
The students' entries are in gradebook_column_data.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.identity.permissions import require, require_any
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.ids import store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Course, GradebookColumn, User
from courseport.schema.base import utcnow

MAX_TITLE = 255
ONE_NOTES_COLUMN = "a course has only one teacher notes column"


@dataclass(frozen=True)
class ColumnChanges:
    title: str | Unset = UNSET
    position: int | Unset = UNSET
    hidden: bool | Unset = UNSET
    teacher_notes: bool | Unset = UNSET
    read_only: bool | Unset = UNSET


def grading_course(db: Session, actor: User, course_ref: str | int, *, write: bool) -> Course:
    """The course, if the actor may change its grades (write) or see all of them (read)."""
    course, rights = readable_course(db, actor, course_ref)
    if write:
        require(rights, "manage_grades")
    else:
        require_any(rights, "manage_grades", "view_all_grades")
    return course


def live_columns(course_id: int) -> Select:
    return (select(GradebookColumn).where(GradebookColumn.course_id == course_id,
                                          GradebookColumn.workflow_state != "deleted")
            .order_by(GradebookColumn.position, GradebookColumn.id))


def find_column(db: Session, course: Course, column_ref: str | int) -> GradebookColumn:
    """A live column of the course (a deleted one, or another course's, is NotFound)."""
    column_id = store_id(column_ref)
    if column_id is None:
        raise NotFound("column")
    column = db.scalar(live_columns(course.id).where(GradebookColumn.id == column_id))
    if column is None:
        raise NotFound("column")
    return column


def list_columns(db: Session, actor: User, course_ref: str | int, window: Window, *,
                 include_hidden: bool = False) -> Slice[GradebookColumn]:
    course = grading_course(db, actor, course_ref, write=False)
    stmt = live_columns(course.id)
    if not include_hidden:
        stmt = stmt.where(GradebookColumn.hidden.is_(False))
    return fetch_window(db, stmt, window)


def create_column(db: Session, actor: User, course_ref: str | int, changes: ColumnChanges) -> GradebookColumn:
    course = grading_course(db, actor, course_ref, write=True)
    if "title" not in given(changes):
        raise InvalidInput("title", "title is required")
    last = db.scalar(select(func.max(GradebookColumn.position)).where(
        GradebookColumn.course_id == course.id, GradebookColumn.workflow_state != "deleted"))
    column = GradebookColumn(course_id=course.id, position=(last or 0) + 1, hidden=False, teacher_notes=False,
                             read_only=False, workflow_state="active")
    _apply(db, course, column, changes)
    db.add(column)
    db.flush()
    return column


def edit_column(db: Session, actor: User, course_ref: str | int, column_ref: str,
                changes: ColumnChanges) -> GradebookColumn:
    course = grading_course(db, actor, course_ref, write=True)
    column = find_column(db, course, column_ref)
    _apply(db, course, column, changes)
    column.updated_at = utcnow()
    db.flush()
    return column


def delete_column(db: Session, actor: User, course_ref: str | int, column_ref: str) -> GradebookColumn:
    course = grading_course(db, actor, course_ref, write=True)
    column = find_column(db, course, column_ref)
    column.workflow_state = "deleted"
    column.updated_at = utcnow()
    db.flush()
    return column


def reorder_columns(db: Session, actor: User, course_ref: str | int, order: list[str]) -> None:
    """The listed columns first, in that order, then the course's others as they were; positions 1, 2, ..."""
    course = grading_course(db, actor, course_ref, write=True)
    if not order:
        raise InvalidInput("order", "order is required")
    columns = {c.id: c for c in db.scalars(live_columns(course.id))}
    listed: list[int] = []
    for ref in order:
        if not ref.strip().isdigit() or int(ref) not in columns:
            raise InvalidInput("order", f"order: {ref} is not a column of the course")
        if int(ref) not in listed:
            listed.append(int(ref))
    rest = [cid for cid in columns if cid not in listed]
    for position, cid in enumerate(listed + rest, start=1):
        columns[cid].position = position
    db.flush()


def _apply(db: Session, course: Course, column: GradebookColumn, changes: ColumnChanges) -> None:
    """The given fields onto the column, every one checked first (a refusal changes nothing)."""
    fields = given(changes)
    if "title" in fields and not (fields["title"] or "").strip():
        raise InvalidInput("title", "title is required")
    for name, value in fields.items():
        if value is None:
            raise InvalidInput(name, f"{name} must be given a value")
    if len(fields.get("title") or "") > MAX_TITLE:
        raise InvalidInput("title", f"title is too long (at most {MAX_TITLE} characters)")
    if fields.get("teacher_notes") and not column.teacher_notes:
        # one notes column per course: such writes take turns on the course's row (PostgreSQL), so the second of
        # two at once sees the first's column
        db.execute(select(Course.id).where(Course.id == course.id).with_for_update(key_share=True))
        others = live_columns(course.id).where(GradebookColumn.teacher_notes.is_(True))
        if column.id is not None:
            others = others.where(GradebookColumn.id != column.id)
        if db.scalar(others.limit(1)) is not None:
            raise InvalidInput("teacher_notes", ONE_NOTES_COLUMN)
    for name, value in fields.items():
        setattr(column, name, value)
