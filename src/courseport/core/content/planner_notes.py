"""Planner notes: a user's own to-dos with a date, optionally filed under a course they are enrolled in.

A note is its owner's alone: nobody else reads, edits or deletes it (another user's note is not found).
A deleted note keeps its row with workflow_state "deleted" and is no longer found. Listing follows
Canvas: the live notes in a todo_date range (both ends optional, a bare date covers its day), of the
courses (`course_<id>`) and the personal calendar (`user_<id>`) asked for, by todo_date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Session

from courseport.core.content.calendar_events import date_bound
from courseport.core.courses.courses import resolve_course
from courseport.core.kit.changes import UNSET, Unset, given, kinds
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Course, Enrollment, PlannerNote, User


@dataclass(frozen=True)
class NoteChanges:
    """What a create or update sets; UNSET leaves it, None clears it (course_id) or is refused (title, todo_date)."""

    title: str | None | Unset = UNSET
    details: str | None | Unset = UNSET
    todo_date: datetime | None | Unset = UNSET
    course_id: int | None | Unset = UNSET


NOTE_FIELDS: dict[str, type] = kinds(NoteChanges)


@dataclass(frozen=True)
class NoteFilters:
    start_date: str | None = None
    end_date: str | None = None
    context_codes: tuple[str, ...] = ()


def list_notes(db: Session, actor: User, filters: NoteFilters, window: Window) -> Slice[PlannerNote]:
    stmt = select(PlannerNote).where(*live_notes(actor, filters.start_date, filters.end_date))
    if filters.context_codes:
        stmt = stmt.where(_in_contexts(actor, filters.context_codes))
    return fetch_window(db, stmt.order_by(PlannerNote.todo_date, PlannerNote.id), window)


def live_notes(actor: User, start_date: str | None, end_date: str | None) -> list[ColumnElement[bool]]:
    """Conditions for the actor's live notes with a todo_date in the range given (either end optional)."""
    start = date_bound(start_date, "start_date", end_of_day=False)
    end = date_bound(end_date, "end_date", end_of_day=True)
    conds = [PlannerNote.user_id == actor.id, PlannerNote.workflow_state == "active"]
    if start is not None:
        conds.append(PlannerNote.todo_date >= start)
    if end is not None:
        conds.append(PlannerNote.todo_date <= end)
    return conds


def _in_contexts(actor: User, codes: tuple[str, ...]) -> ColumnElement[bool]:
    courses = [int(c[len("course_"):]) for c in codes if c.startswith("course_") and is_id(c[len("course_"):])]
    personal = f"user_{actor.id}" in codes
    return or_(PlannerNote.course_id.in_(courses), PlannerNote.course_id.is_(None) if personal else false())


def get_note(db: Session, actor: User, note_id: str | int) -> PlannerNote:
    note = db.get(PlannerNote, store_id(note_id)) if is_id(note_id) else None
    if note is None or note.user_id != actor.id or note.workflow_state == "deleted":
        raise NotFound("planner note")
    return note


def create_note(db: Session, actor: User, changes: NoteChanges) -> PlannerNote:
    fields = given(changes)
    note = PlannerNote(user_id=actor.id, workflow_state="active")
    fields.setdefault("title", None)
    fields.setdefault("todo_date", None)
    _apply(db, actor, note, fields)
    db.add(note)
    db.flush()
    return note


def update_note(db: Session, actor: User, note_id: str | int, changes: NoteChanges) -> PlannerNote:
    note = get_note(db, actor, note_id)
    _apply(db, actor, note, given(changes))
    db.flush()
    return note


def delete_note(db: Session, actor: User, note_id: str | int) -> PlannerNote:
    note = get_note(db, actor, note_id)
    note.workflow_state = "deleted"
    db.flush()
    return note


def _apply(db: Session, actor: User, note: PlannerNote, fields: dict) -> None:
    if "title" in fields:
        title = (fields["title"] or "").strip()
        if not title:
            raise InvalidInput("title", "title is required")
        note.title = title
    if "todo_date" in fields:
        if fields["todo_date"] is None:
            raise InvalidInput("todo_date", "todo_date is required")
        note.todo_date = fields["todo_date"]
    if "details" in fields:
        note.details = fields["details"]
    if "course_id" in fields:
        note.course_id = None if fields["course_id"] is None else _enrolled_course(db, actor, fields["course_id"])


def _enrolled_course(db: Session, actor: User, course_id: int) -> int:
    try:
        course = resolve_course(db, course_id)
    except NotFound:
        course = None
    enrolled = course is not None and db.scalar(select(Enrollment.id).where(
        Enrollment.course_id == course.id, Enrollment.user_id == actor.id, Enrollment.workflow_state == "active",
        Enrollment.course_id.in_(select(Course.id).where(Course.workflow_state != "deleted"))).limit(1))
    if course is None or not enrolled:
        raise InvalidInput("course_id", f"course_id {course_id} must name a course you are enrolled in")
    return course.id
