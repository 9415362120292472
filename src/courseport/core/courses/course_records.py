"""Courses as a student information system keeps them: course records.

A record is the same `courses` row every face reads, with the fields an SIS manages: a unique course
code, an external id and data source, availability beside the course state, a duration, enrollment
options and a forced locale. Fields and values here are core words (`course_code`, `duration_kind`,
"fixed_days"); Blackboard Learn's wire names and enums live in dialects/blackboard/course_fields.py.
AVAILABILITY is the one table between record availability and course state.

The record options Canvas lacks are kept in `Course.record_options`, a JSON column in core words:
`{"duration": {"kind": "fixed_days", "days": 10} | {"kind": "use_term"} | {},
"enrollment": {"kind": ..., "start": ..., "end": ..., "access_code": ...}, "locale_force": bool,
"copy_history": [uuid, ...]}`; `Course.availability` keeps the record-only availability ("disabled",
"by_term") and `Course.course_view` one of COURSE_VIEWS (migration 0015 moved them off Learn's words).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from courseport.core.courses import courses
from courseport.core.courses.course_codes import check_course_code
from courseport.core.courses.courses import CourseChanges
from courseport.core.identity import accounts, tenancy
from courseport.core.identity.permissions import course_rights, require
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import Conflict, FieldText, InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Course, User

# availability -> (course workflow state it means, the record-only state kept beside it in the row)
AVAILABILITY: dict[str, tuple[str, str | None]] = {
    "open": ("available", None), "closed": ("unpublished", None),
    "disabled": ("unpublished", "disabled"), "by_term": ("available", "by_term"),
}
# Concluded courses stay readable, so a record shows them open (and concluded).
_READABLE_STATES = ("available", "completed")
DURATION_KINDS = ("continuous", "date_range", "fixed_days", "use_term")
ENROLLMENT_KINDS = ("instructor_led", "self_enrolled", "email_enrolled")
# Only these duration kinds are stored; continuous and date_range follow the course dates.
_STORED_DURATIONS = ("fixed_days", "use_term")
_ENROLLMENT_DETAILS_KEPT = ("start", "end", "access_code")
# How the course is shown to its people; a record keeps it, no rule reads it.
COURSE_VIEWS = ("undecided", "classic", "ultra", "ultra_preview")
SORTABLE = {"course_code": Course.course_code, "name": Course.name, "external_id": Course.external_id,
            "created": Course.created_at, "modified": Course.updated_at}
# How a record may be addressed besides its primary id ("id").
_BY = {"course_code": Course.course_code, "external_id": Course.external_id, "uuid": Course.uuid}


@dataclass(frozen=True)
class RecordChanges:
    """The record fields a call sets; UNSET leaves a field as it is, None clears it.
    course_code, organization and course_view are taken on create only."""

    course_code: str | Unset = UNSET
    name: str | None | Unset = UNSET
    public_description: str | None | Unset = UNSET
    external_id: str | None | Unset = UNSET
    data_source_id: str | None | Unset = UNSET
    organization: bool | None | Unset = UNSET
    course_view: str | None | Unset = UNSET  # one of COURSE_VIEWS
    allow_guests: bool | None | Unset = UNSET
    allow_observers: bool | None | Unset = UNSET
    concluded: bool | None | Unset = UNSET
    term_id: str | None | Unset = UNSET  # a term reference (id or sis_term_id:...)
    availability: str | None | Unset = UNSET
    duration_kind: str | None | Unset = UNSET
    duration_start: datetime | None | Unset = UNSET
    duration_end: datetime | None | Unset = UNSET
    duration_days: int | None | Unset = UNSET
    enrollment_kind: str | None | Unset = UNSET
    enrollment_start: datetime | None | Unset = UNSET
    enrollment_end: datetime | None | Unset = UNSET
    access_code: str | None | Unset = UNSET
    locale: str | None | Unset = UNSET
    locale_force: bool | None | Unset = UNSET


@dataclass(frozen=True)
class Duration:
    kind: str
    start: datetime | None = None
    end: datetime | None = None
    days: int | None = None


@dataclass(frozen=True)
class EnrollmentOptions:
    kind: str
    start: str | None = None  # ISO 8601, as stored
    end: str | None = None
    access_code: str | None = None


@dataclass(frozen=True)
class RecordFilters:
    course_code: str | None = None
    name: str | None = None
    description: str | None = None
    external_id: str | None = None
    data_source_id: str | None = None
    unclaimed_too: bool = False  # records with no data source match data_source_id as well
    term_id: int | None = None
    availability: str | None = None
    allow_guests: bool | None = None
    organization: bool | None = None
    created: datetime | None = None
    created_before: bool = False  # before `created`; at or after it otherwise
    modified: datetime | None = None
    modified_before: bool = False
    sort: tuple[tuple[str, bool], ...] = ()  # (SORTABLE key, descending)


def availability_of(course: Course) -> str:
    for name, (state, kept) in AVAILABILITY.items():
        if kept is not None and course.availability == kept and course.workflow_state == state:
            return name
    return "open" if course.workflow_state in _READABLE_STATES else "closed"


def availability_column() -> ColumnElement[str]:
    """availability_of as SQL, for filters."""
    kept = [(and_(Course.availability == k, Course.workflow_state == s), n) for n, (s, k) in AVAILABILITY.items() if k]
    return case(*kept, (Course.workflow_state.in_(_READABLE_STATES), "open"), else_="closed")


def duration_of(course: Course) -> Duration:
    """fixed_days and use_term are stored; date_range and continuous follow the course dates."""
    stored = (course.record_options or {}).get("duration") or {}
    if stored.get("kind") in _STORED_DURATIONS:
        return Duration(stored["kind"], days=stored.get("days"))
    if course.start_at or course.end_at:
        return Duration("date_range", course.start_at, course.end_at)
    return Duration("continuous")


def enrollment_of(course: Course) -> EnrollmentOptions:
    stored = (course.record_options or {}).get("enrollment") or {}
    if course.self_enrollment:
        return EnrollmentOptions("self_enrolled", **{k: stored.get(k) for k in _ENROLLMENT_DETAILS_KEPT})
    kind = stored.get("kind")
    return EnrollmentOptions(kind if isinstance(kind, str) and kind in ENROLLMENT_KINDS else "instructor_led")


def locale_force(course: Course) -> bool:
    return bool((course.record_options or {}).get("locale_force", False))


def copy_history_of(course: Course) -> list[str]:
    """The uuids of the courses this one was created by copying."""
    return list((course.record_options or {}).get("copy_history") or [])


def resolve_record(db: Session, kind: str, value: str | int, actor: User | None = None) -> Course:
    """A live course by primary id (kind "id") or by course_code, external_id or uuid; with an actor,
    one of the actor's tenant (those keys are unique per tenant)."""
    root = tenancy.tenant_of(db, actor.id) if actor is not None else None
    if kind == "id":
        course = db.get(Course, int(value))
    elif kind in _BY:
        mine = [] if root is None else [Course.root_account_id == root]
        course = db.scalar(select(Course).where(_BY[kind] == str(value), Course.workflow_state != "deleted", *mine)
                           .order_by(Course.id).limit(1))
    else:
        course = None
    if course is None or course.workflow_state == "deleted" or root not in (None, course.root_account_id):
        raise NotFound("course", "Course not found")
    return course


def readable_record(db: Session, actor: User, kind: str, value: str | int) -> Course:
    course = resolve_record(db, kind, value, actor)
    require(course_rights(db, actor, course), "read")
    return course


def list_records(db: Session, actor: User, filters: RecordFilters, window: Window) -> Slice[Course]:
    """The courses of the actor's tenant, for its root account's administrators."""
    root = tenancy.tenant_of(db, actor.id)
    if not accounts.is_admin_of(db, actor.id, root):
        raise NotAllowed("only administrators of the root account may do that")
    stmt = select(Course).where(Course.root_account_id == root, Course.workflow_state != "deleted",
                                *_conditions(filters))
    order = [SORTABLE[name].desc() if desc else SORTABLE[name] for name, desc in filters.sort]
    return fetch_window(db, stmt.order_by(*order, Course.id), window)


def _conditions(f: RecordFilters) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    for column, text in ((Course.course_code, f.course_code), (Course.name, f.name),
                         (Course.public_description, f.description), (Course.external_id, f.external_id)):
        if text:
            out.append(func.lower(column).contains(text.lower(), autoescape=True))
    if f.data_source_id:
        source = Course.data_source_id == f.data_source_id
        out.append(or_(source, Course.data_source_id.is_(None)) if f.unclaimed_too else source)
    if f.term_id is not None:
        out.append(Course.enrollment_term_id == f.term_id)
    if f.availability:
        if f.availability not in AVAILABILITY:
            known = ", ".join(f"{{{value}}}" for value in AVAILABILITY)
            raise InvalidInput("availability", FieldText("{availability} must be one of " + known + ", got {value}",
                                                         value=repr(f.availability)))
        out.append(availability_column() == f.availability)
    for flag_column, flag in ((Course.allow_guests, f.allow_guests), (Course.organization, f.organization)):
        if flag is not None:
            out.append(flag_column.is_(flag))
    for stamp_column, when, before in ((Course.created_at, f.created, f.created_before),
                                       (Course.updated_at, f.modified, f.modified_before)):
        if when is not None:
            out.append(stamp_column < when if before else stamp_column >= when)
    return out


def create_record(db: Session, actor: User, changes: RecordChanges) -> Course:
    """A record in the root account; its external id is its course code unless given, and it opens
    unless an availability is given."""
    fields = given(changes)
    for required in ("course_code", "name"):
        if not (fields.get(required) or "").strip():
            raise InvalidInput(required, f"{required} is required")
    fields.setdefault("external_id", fields["course_code"])
    fields.setdefault("availability", "open")
    root = tenancy.tenant_of(db, actor.id)
    code = check_course_code(db, None, fields["course_code"], record=True, root_account_id=root).strip()
    _check_external_id(db, None, fields["external_id"], root)
    course = courses.create_course(db, actor, tenancy.tenant_of(db, actor.id), CourseChanges(name=fields["name"]))
    course.course_code, course.organization = code, bool(fields.get("organization", False))
    if fields.get("course_view"):
        course.course_view = _course_view(fields["course_view"])
    course.allow_guests = fields.get("allow_guests", False)
    _apply(db, actor, course, fields)
    return course


def create_copy_record(db: Session, actor: User, source: Course, course_code: str) -> Course:
    """The new course a copy fills: the source's record under a new course code, remembering its source."""
    copy = RecordChanges(
        course_code=course_code, name=source.name, organization=source.organization,
        course_view=source.course_view, allow_guests=source.allow_guests, allow_observers=source.allow_observers,
        term_id=str(source.enrollment_term_id), availability=availability_of(source),
        public_description=source.public_description or UNSET)
    course = create_record(db, actor, copy)
    course.record_options = {**(course.record_options or {}), "copy_history": [source.uuid]}
    db.flush()
    return course


def update_record(db: Session, actor: User, course: Course, changes: RecordChanges) -> Course:
    fields = given(changes)
    for create_only in ("course_code", "organization", "course_view"):
        if create_only in fields:
            raise InvalidInput(create_only, f"{create_only} is not a field that may be set")
    if "name" in fields and not (fields["name"] or "").strip():
        raise InvalidInput("name", "name must not be blank")
    _check_external_id(db, course, fields.get("external_id"))
    _apply(db, actor, course, fields)
    return course


def delete_record(db: Session, actor: User, kind: str, value: str | int) -> None:
    course = resolve_record(db, kind, value, actor)
    courses.delete_or_conclude(db, actor, course.id, "delete")


def _check_external_id(db: Session, course: Course | None, external_id: str | None, root: int | None = None) -> None:
    """External ids are unique among a tenant's live courses, as record keys are."""
    if external_id is None:
        return
    taken = select(Course.id).where(Course.external_id == external_id.strip(), Course.workflow_state != "deleted")
    if course is not None:
        taken = taken.where(Course.id != course.id)
        root = course.root_account_id
    if root is not None:
        taken = taken.where(Course.root_account_id == root)
    if db.scalar(taken.limit(1)) is not None:
        raise Conflict(FieldText("A course with {external_id} {value} already exists", value=repr(external_id)))


def _apply(db: Session, actor: User, course: Course, fields: dict[str, Any]) -> None:
    """Set record fields: the ones every course has go through courses.update_course and its checks."""
    shared: dict[str, Any] = {k: fields[k] for k in ("name", "public_description", "locale") if k in fields}
    if "term_id" in fields:
        shared["term_id"] = _term_id(db, course, fields["term_id"])
    dates = _dates(course, fields)
    shared.update(dates)
    enrollment = _enrollment(course, fields)
    if enrollment is not None:
        shared["self_enrollment"] = enrollment["kind"] == "self_enrolled"
    courses.update_course(db, actor, course.id, CourseChanges(**shared), event=_event(course, fields))
    options = dict(course.record_options or {})
    if enrollment is not None:
        options["enrollment"] = enrollment
    if dates or "duration_days" in fields:
        options["duration"] = _stored_duration(course, fields)
    if "locale_force" in fields:
        options["locale_force"] = bool(fields["locale_force"])
    course.record_options = options
    for name in ("external_id", "data_source_id", "allow_guests", "allow_observers"):
        if name in fields:
            setattr(course, name, fields[name].strip() if isinstance(fields[name], str) else fields[name])
    if "availability" in fields:
        course.availability = AVAILABILITY[fields["availability"]][1]
    db.flush()


def _event(course: Course, fields: dict[str, Any]) -> str | None:
    """The course event that brings the workflow state to what availability and concluded ask."""
    state = course.workflow_state
    if fields.get("availability"):
        state = AVAILABILITY[fields["availability"]][0]
    if fields.get("concluded") is True:
        state = "completed"
    elif fields.get("concluded") is False and state == "completed":
        state = "available"
    if state == course.workflow_state:
        return None
    return {"available": "offer", "unpublished": "claim", "completed": "conclude"}[state]


def _term_id(db: Session, course: Course, ref: str) -> int:
    try:
        return accounts.get_term(db, course.root_account_id, ref).id
    except NotFound:
        raise InvalidInput("term_id", f"term_id {ref!r} names no term") from None


def _dates(course: Course, fields: dict[str, Any]) -> dict[str, Any]:
    """The course's start_at/end_at for the duration asked (only date_range keeps dates)."""
    kind = fields.get("duration_kind") or duration_of(course).kind
    start, end = fields.get("duration_start"), fields.get("duration_end")
    if (start or end) and kind != "date_range":
        raise InvalidInput("duration_start" if start else "duration_end",
                           FieldText("{duration_start} and end may only be set when the type is {date_range}"))
    if "duration_days" in fields and kind != "fixed_days":
        raise InvalidInput("duration_days", FieldText("{duration_days} may only be set when the type is {fixed_days}"))
    if "duration_kind" not in fields and not (start or end):
        return {}
    if kind != "date_range":
        return {"start_at": None, "end_at": None}
    start, end = start or course.start_at, end or course.end_at
    if not (start or end):
        raise InvalidInput("duration_start", FieldText("a {date_range} duration needs a start or an end date"))
    if start and end and end < start:
        raise InvalidInput("duration_end", "duration_end must not be before start")
    return {"start_at": start, "end_at": end}


def _stored_duration(course: Course, fields: dict[str, Any]) -> dict[str, Any]:
    kind = fields.get("duration_kind") or duration_of(course).kind
    if kind == "fixed_days":
        days = fields.get("duration_days", duration_of(course).days)
        if not isinstance(days, int) or days < 1:
            raise InvalidInput("duration_days",
                               FieldText("{duration_days} must be a positive number for {fixed_days}"))
        return {"kind": kind, "days": days}
    return {"kind": kind} if kind == "use_term" else {}


_ENROLLMENT_DETAILS = {"enrollment_start": "start", "enrollment_end": "end", "access_code": "access_code"}


def _enrollment(course: Course, fields: dict[str, Any]) -> dict[str, Any] | None:
    """The enrollment options asked for, in their stored form; None when the call names none."""
    if not any(name == "enrollment_kind" or name in _ENROLLMENT_DETAILS for name in fields):
        return None
    current = enrollment_of(course)
    kind = fields.get("enrollment_kind") or current.kind
    details = {detail: fields[name] for name, detail in _ENROLLMENT_DETAILS.items() if name in fields}
    if details and kind != "self_enrolled":
        first = next(name for name in _ENROLLMENT_DETAILS if name in fields)
        raise InvalidInput(first, FieldText("{" + first + "} may only be set for {self_enrolled}"))
    if kind != "self_enrolled":
        return {"kind": kind}
    kept = {k: getattr(current, k) for k in _ENROLLMENT_DETAILS_KEPT} if current.kind == kind else {}
    merged = {**kept, **{k: v.isoformat() if isinstance(v, datetime) else v for k, v in details.items()}}
    return {"kind": kind, **{k: v for k, v in merged.items() if v is not None}}


def _course_view(view: str) -> str:
    if view not in COURSE_VIEWS:
        known = ", ".join(f"{{{value}}}" for value in COURSE_VIEWS)
        raise InvalidInput("course_view", FieldText("{course_view} must be one of " + known + ", got {value}",
                                                    value=repr(view)))
    return view
