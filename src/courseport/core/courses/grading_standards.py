"""Grading standards: letter-grade schemes a course or an account keeps, and the one answer to "which
scheme grades this assignment or course".

A standard's entries are (name, lowest percent 0-100), kept best first; the lowest entry's range reaches
down to 0 (as Canvas reads it). Course standards are kept by the course's content or grade managers,
account standards by the account's admins; a course lists its own and those of every account above it,
and may take any of these as its `grading_standard_id` (0 is Canvas's default scheme). An assignment's
own `grading_standard_id`, else its course's, else the default scheme grades letter_grade and gpa_scale
work (`scheme_for`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from courseport.core.courses.course_changes import CourseChanges
from courseport.core.courses.courses import readable_course
from courseport.core.identity import accounts
from courseport.core.kit.changes import UNSET
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Course, GradingStandard, User
from courseport.schema.content import ContentItem

Scheme = tuple[tuple[str, float], ...]
# Canvas's default grading scheme: letter -> lowest percentage that earns it, best first.
DEFAULT_SCHEME: Scheme = (
    ("A", 94.0), ("A-", 90.0), ("B+", 87.0), ("B", 84.0), ("B-", 80.0), ("C+", 77.0), ("C", 74.0),
    ("C-", 70.0), ("D+", 67.0), ("D", 64.0), ("D-", 61.0), ("F", 0.0),
)
SCHEME_TYPES = ("letter_grade", "gpa_scale")  # the grading types a scheme grades
MAX_ENTRIES = 100
_MANAGERS = ("manage_grades", "manage_content")


@dataclass(frozen=True)
class Context:
    """Whose standards: a course's or an account's (one of the ids is set)."""

    course_id: int | None
    account_id: int | None


def course_context(db: Session, actor: User, course_ref: str | int) -> tuple[Context, list[int]]:
    """A course whose standards the actor manages, and the accounts above it (nearest first)."""
    course, rights = readable_course(db, actor, course_ref)
    if not any(rights.can(right) for right in _MANAGERS):
        raise NotAllowed()
    return Context(course.id, None), accounts.ancestor_ids(db, course.account_id)


def account_context(db: Session, actor: User, account_ref: str) -> tuple[Context, list[int]]:
    """An account the actor administers, and the accounts above it (nearest first)."""
    account = accounts.readable_account(db, actor.id, account_ref)
    return Context(None, account.id), accounts.ancestor_ids(db, account.id)


def create_standard(db: Session, context: Context, title: str | None,
                    entries: list[tuple[str | None, float | None]]) -> GradingStandard:
    """Store a standard in the context after checking its title and entries."""
    if not title or not title.strip():
        raise InvalidInput("title", "title is required")
    if len(title) > 255:
        raise InvalidInput("title", "title may be at most 255 characters long")
    row = GradingStandard(course_id=context.course_id, account_id=context.account_id, title=title.strip(),
                          entries=[list(e) for e in checked_entries(entries)])
    db.add(row)
    db.flush()
    return row


def checked_entries(entries: list[tuple[str | None, float | None]]) -> Scheme:
    """Entries as a scheme, best first: names unique and non-empty, values 0-100, values unique."""
    if not entries:
        raise InvalidInput("entries", "at least one grading scheme entry is required")
    if len(entries) > MAX_ENTRIES:
        raise InvalidInput("entries", f"at most {MAX_ENTRIES} grading scheme entries")
    names: set[str] = set()
    for name, value in entries:
        if name is None or not name.strip() or len(name) > 255:
            raise InvalidInput("entries", "every grading scheme entry needs a name of 1 to 255 characters")
        if name.strip().lower() in names:
            raise InvalidInput("entries", f"grading scheme entry names must be unique ({name.strip()} repeats)")
        names.add(name.strip().lower())
        if value is None or not 0 <= value <= 100:
            raise InvalidInput("entries", f"the value of {name.strip()} must be a number from 0 to 100")
    if len({value for _, value in entries}) != len(entries):
        raise InvalidInput("entries", "grading scheme entry values must be unique")
    return tuple(sorted(((n.strip(), float(v)) for n, v in entries if n and v is not None), key=lambda e: -e[1]))


def _visible(context: Context, account_ids: list[int]):  # noqa: ANN202 - a SQL condition
    if context.course_id is not None:
        return or_(GradingStandard.course_id == context.course_id, GradingStandard.account_id.in_(account_ids))
    return GradingStandard.account_id.in_(account_ids)


def list_standards(db: Session, context: Context, account_ids: list[int], window: Window) -> Slice[GradingStandard]:
    """The context's own standards and those of the accounts above it, by id."""
    return fetch_window(db, select(GradingStandard).where(_visible(context, account_ids))
                        .order_by(GradingStandard.id), window)


def get_standard(db: Session, context: Context, account_ids: list[int], standard_id: int) -> GradingStandard:
    row = db.scalar(select(GradingStandard).where(GradingStandard.id == standard_id,
                                                  _visible(context, account_ids)))
    if row is None:
        raise NotFound("grading_standard")
    return row


def check_course_standard(db: Session, course: Course, changes: CourseChanges) -> None:
    """An update check (registered in courseport/wiring.py): a course takes only its own or its accounts'
    standards, or 0 (the default scheme)."""
    if changes.grading_standard_id is not UNSET:
        check_standard_id(db, course, changes.grading_standard_id)


def check_standard_id(db: Session, course: Course, standard_id: int | None) -> None:
    if not standard_id:
        return
    context = Context(course.id, None)
    if db.scalar(select(GradingStandard.id).where(
            GradingStandard.id == standard_id,
            _visible(context, accounts.ancestor_ids(db, course.account_id)))) is None:
        raise InvalidInput("grading_standard_id", "grading_standard_id must name a grading standard of the course "
                                                  "or of one of its accounts")


def scheme_for(db: Session, course: Course, assignment: ContentItem | None = None) -> Scheme:
    """The scheme grading this assignment (its own standard, else its course's) or, with no assignment, the course
    (its standard, else the default). No statement for work a scheme does not grade or the default scheme."""
    if assignment is not None:
        data = assignment.data or {}
        if data.get("grading_type") not in SCHEME_TYPES:
            return DEFAULT_SCHEME
        standard_id = data.get("grading_standard_id") or course.grading_standard_id
    else:
        standard_id = course.grading_standard_id
    return course_schemes(db, {course.id: standard_id}).get(course.id, DEFAULT_SCHEME)


def course_schemes(db: Session, standard_ids: dict[int, int | None]) -> dict[int, Scheme]:
    """Per key (a course id), the scheme of the standard id given for it; the default for none, 0 or one gone.
    One statement, and none when no key names a standard."""
    wanted = {i for i in standard_ids.values() if i}
    rows = {row.id: row for row in db.scalars(select(GradingStandard).where(GradingStandard.id.in_(wanted)))} \
        if wanted else {}
    return {key: scheme_of(rows[i]) if i in rows else DEFAULT_SCHEME for key, i in standard_ids.items()}


def scheme_of(row: GradingStandard) -> Scheme:
    return tuple((str(name), float(value)) for name, value in row.entries)



def carry_standards(db: Session, source_id: int, target_id: int) -> None:
    """After a course copy carried the source's settings: give the target the source's own standards (reusing one
    it holds already with the same title and entries) and point the target, and its assignments, at the copies
    where they name a standard of the source. Account standards stay shared, so ids naming them stay."""
    theirs = list(db.scalars(select(GradingStandard).where(GradingStandard.course_id == source_id)
                             .order_by(GradingStandard.id)))
    if not theirs:
        return
    held = {(s.title, scheme_of(s)): s.id
            for s in db.scalars(select(GradingStandard).where(GradingStandard.course_id == target_id))}
    copies: dict[int, int] = {}
    for row in theirs:
        copy_id = held.get((row.title, scheme_of(row)))
        if copy_id is None:
            copy = GradingStandard(course_id=target_id, title=row.title, entries=[list(e) for e in row.entries])
            db.add(copy)
            db.flush()
            copy_id = copy.id
        copies[row.id] = copy_id
    named_by_course = db.scalar(select(Course.grading_standard_id).where(Course.id == target_id))
    if named_by_course in copies:
        db.execute(update(Course).where(Course.id == target_id).values(grading_standard_id=copies[named_by_course]))
    for item in db.scalars(select(ContentItem).where(ContentItem.course_id == target_id,
                                                     ContentItem.type == "assignment")):
        named = (item.data or {}).get("grading_standard_id")
        if named in copies:
            item.data = {**item.data, "grading_standard_id": copies[named]}
    db.flush()
