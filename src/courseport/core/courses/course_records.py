"""Courses as a student information system keeps them (Blackboard Learn's course records).

A record is the same `courses` row Canvas reads, seen through the record vocabulary: a unique
`courseId` (the course code), `externalId`, `dataSourceId`, availability and duration, enrollment
options. Field names are the record's own dotted names (`availability.duration.type`), so errors
name what the caller sent. AVAILABILITY is the one table between record availability and course state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from courseport.core.copy import copying
from courseport.core.courses import courses
from courseport.core.identity import accounts, admin
from courseport.core.identity.permissions import course_rights, require
from courseport.core.jobs import jobs
from courseport.core.kit.errors import Conflict, InvalidInput, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Course, Job, User

# availability.available -> (course workflow state it means, the Learn-only state kept beside it)
AVAILABILITY: dict[str, tuple[str, str | None]] = {
    "Yes": ("available", None), "No": ("unpublished", None),
    "Disabled": ("unpublished", "Disabled"), "Term": ("available", "Term"),
}
# Concluded courses stay readable, so a record shows them available (and closedComplete).
_READABLE_STATES = ("available", "completed")
# The built-in data source ("SYSTEM") of records no integration claimed.
SYSTEM_DATA_SOURCE = "_2_1"
DURATION_TYPES = ("Continuous", "DateRange", "FixedNumDays", "UseTerm")
ENROLLMENT_TYPES = ("InstructorLed", "SelfEnrollment", "EmailEnrollment")
ULTRA_STATUSES = ("Undecided", "Classic", "Ultra", "Ultrapreview")
# Every writable record field and its type; the dialect coerces wire values by this table.
UPDATE_FIELDS: dict[str, type] = {
    "externalId": str, "dataSourceId": str, "name": str, "description": str, "allowGuests": bool,
    "allowObservers": bool, "closedComplete": bool, "termId": str, "availability.available": str,
    "availability.duration.type": str, "availability.duration.start": datetime,
    "availability.duration.end": datetime, "availability.duration.daysOfUse": int, "enrollment.type": str,
    "enrollment.start": datetime, "enrollment.end": datetime, "enrollment.accessCode": str,
    "locale.id": str, "locale.force": bool,
}
CREATE_FIELDS: dict[str, type] = {"courseId": str, "organization": bool, "ultraStatus": str, **UPDATE_FIELDS}
# Learn's documented limits, but name: Learn allows 333, the store keeps a course name's 255 (courses.MAX_LENGTHS).
_MAX_LENGTHS = {"courseId": 100, "name": courses.MAX_LENGTHS["name"], "externalId": 256, "dataSourceId": 64,
                "enrollment.accessCode": 50, "locale.id": 16}
_ENUMS = {"availability.available": tuple(AVAILABILITY), "availability.duration.type": DURATION_TYPES,
          "enrollment.type": ENROLLMENT_TYPES, "ultraStatus": ULTRA_STATUSES}
SORTABLE = {"courseId": Course.course_code, "name": Course.name, "externalId": Course.external_id,
            "created": Course.created_at, "modified": Course.updated_at}
_BY = {"courseId": Course.course_code, "externalId": Course.external_id, "uuid": Course.uuid}


@dataclass(frozen=True)
class RecordFilters:
    course_id: str | None = None
    name: str | None = None
    description: str | None = None
    external_id: str | None = None
    data_source_id: str | None = None
    term_id: int | None = None
    available: str | None = None
    allow_guests: bool | None = None
    organization: bool | None = None
    created: datetime | None = None
    created_before: bool = False  # createdCompare=lessThan; greaterOrEqual otherwise
    modified: datetime | None = None
    modified_before: bool = False
    sort: tuple[tuple[str, bool], ...] = ()  # (field, descending)


def availability_of(course: Course) -> str:
    for name, (state, kept) in AVAILABILITY.items():
        if kept is not None and course.availability == kept and course.workflow_state == state:
            return name
    return "Yes" if course.workflow_state in _READABLE_STATES else "No"


def availability_column() -> ColumnElement[str]:
    """availability_of as SQL, for filters."""
    kept = [(and_(Course.availability == k, Course.workflow_state == s), n) for n, (s, k) in AVAILABILITY.items() if k]
    return case(*kept, (Course.workflow_state.in_(_READABLE_STATES), "Yes"), else_="No")


def duration_of(course: Course) -> dict[str, Any]:
    """type, start, end, daysOfUse: DateRange and Continuous follow the course dates."""
    stored = (course.learn_options or {}).get("duration") or {}
    if stored.get("type") in ("FixedNumDays", "UseTerm"):
        return {"type": stored["type"], "daysOfUse": stored.get("daysOfUse")}
    if course.start_at or course.end_at:
        return {"type": "DateRange", "start": course.start_at, "end": course.end_at}
    return {"type": "Continuous"}


def enrollment_of(course: Course) -> dict[str, Any]:
    stored = (course.learn_options or {}).get("enrollment") or {}
    if course.self_enrollment:
        return {"type": "SelfEnrollment", **{k: v for k, v in stored.items() if k != "type"}}
    return {"type": stored.get("type") or "InstructorLed"}


def locale_force(course: Course) -> bool:
    return bool((course.learn_options or {}).get("localeForce", False))


def resolve_record(db: Session, kind: str, value: str | int) -> Course:
    """A live course by primary id (kind "id") or by courseId, externalId or uuid."""
    if kind == "id":
        course = db.get(Course, int(value))
    elif kind in _BY:
        course = db.scalar(select(Course).where(_BY[kind] == str(value), Course.workflow_state != "deleted")
                           .order_by(Course.id).limit(1))
    else:
        course = None
    if course is None or course.workflow_state == "deleted":
        raise NotFound("course", "Course not found")
    return course


def readable_record(db: Session, actor: User, kind: str, value: str | int) -> Course:
    course = resolve_record(db, kind, value)
    require(course_rights(db, actor, course), "read")
    return course


def list_records(db: Session, actor: User, filters: RecordFilters, window: Window) -> Slice[Course]:
    admin.require_site_admin(db, actor)
    stmt = select(Course).where(Course.workflow_state != "deleted", *_conditions(filters))
    order = [SORTABLE[name].desc() if desc else SORTABLE[name] for name, desc in filters.sort]
    return fetch_window(db, stmt.order_by(*order, Course.id), window)


def _conditions(f: RecordFilters) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    for column, text in ((Course.course_code, f.course_id), (Course.name, f.name),
                         (Course.public_description, f.description), (Course.external_id, f.external_id)):
        if text:
            out.append(func.lower(column).contains(text.lower(), autoescape=True))
    if f.data_source_id:
        out.append(func.coalesce(Course.data_source_id, SYSTEM_DATA_SOURCE) == f.data_source_id)
    if f.term_id is not None:
        out.append(Course.enrollment_term_id == f.term_id)
    if f.available:
        _check_enum("availability.available", f.available)
        out.append(availability_column() == f.available)
    for flag_column, flag in ((Course.allow_guests, f.allow_guests), (Course.organization, f.organization)):
        if flag is not None:
            out.append(flag_column.is_(flag))
    for stamp_column, when, before in ((Course.created_at, f.created, f.created_before),
                                       (Course.updated_at, f.modified, f.modified_before)):
        if when is not None:
            out.append(stamp_column < when if before else stamp_column >= when)
    return out


def create_record(db: Session, actor: User, fields: dict[str, Any]) -> Course:
    _check(fields, CREATE_FIELDS)
    fields = dict(fields)
    for required in ("courseId", "name"):
        if not (fields.get(required) or "").strip():
            raise InvalidInput(required, f"{required} is required")
    fields.setdefault("externalId", fields["courseId"])
    _check_unique(db, None, fields)
    ultra = fields.get("ultraStatus") or "Undecided"
    course = courses.create_course(db, actor, accounts.ROOT_ACCOUNT_ID, {"name": fields["name"]})
    course.course_code = fields["courseId"].strip()
    course.organization, course.ultra_status = bool(fields.get("organization", False)), ultra
    course.allow_guests = fields.get("allowGuests", ultra == "Classic")
    fields.setdefault("availability.available", "Yes")
    _apply(db, actor, course, fields)
    return course


def create_copy_record(db: Session, actor: User, source: Course, course_id: str) -> Course:
    """The new course a copy fills: the source's record under a new courseId, remembering its source."""
    fields: dict[str, Any] = {"courseId": course_id, "name": source.name, "organization": source.organization,
                              "ultraStatus": source.ultra_status, "allowGuests": source.allow_guests,
                              "allowObservers": source.allow_observers, "termId": str(source.enrollment_term_id),
                              "availability.available": availability_of(source)}
    if source.public_description:
        fields["description"] = source.public_description
    course = create_record(db, actor, fields)
    course.learn_options = {**(course.learn_options or {}), "copyHistory": [source.uuid]}
    db.flush()
    return course


def queue_record_copy(db: Session, actor: User, source: tuple[str, str | int], target: tuple[str, str | int] | None,
                      new_course_id: str | None, selection: frozenset[str]) -> Job:
    """Queue a copy of a record into an existing one (`target`) or into a new one named `new_course_id`."""
    course = readable_record(db, actor, *source)
    if (target is None) == (new_course_id is None):
        raise InvalidInput("targetCourse", "targetCourse needs either a courseId (a new course) or an id, not both")
    if target is not None:
        into = resolve_record(db, *target)
    else:
        into = create_copy_record(db, actor, course, cast(str, new_course_id))  # one of the two is given
    return copying.queue_copy(db, actor, course.id, into.id, selection)


def copy_task(db: Session, actor: User, kind: str, value: str | int, job_id: int) -> Job:
    """A copy job of this record (as source or target) that the actor may read."""
    course = resolve_record(db, kind, value)
    job = db.get(Job, job_id)
    payload = (job.payload or {}) if job is not None else {}
    if job is None or job.kind != copying.KIND or course.id not in (
            payload.get("source_course_id"), payload.get("target_course_id")):
        raise NotFound("task", "Task not found")
    if job.user_id != actor.id:
        jobs.require_job_reader(db, actor, job)
    return job


def copy_history_of(course: Course) -> list[str]:
    """The uuids of the courses this one was created by copying."""
    return list((course.learn_options or {}).get("copyHistory") or [])


def update_record(db: Session, actor: User, kind: str, value: str | int, fields: dict[str, Any]) -> Course:
    course = resolve_record(db, kind, value)
    _check(fields, UPDATE_FIELDS)
    if "name" in fields and not (fields["name"] or "").strip():
        raise InvalidInput("name", "name must not be blank")
    _check_unique(db, course, fields)
    _apply(db, actor, course, fields)
    return course


def delete_record(db: Session, actor: User, kind: str, value: str | int) -> None:
    course = resolve_record(db, kind, value)
    courses.delete_or_conclude(db, actor, course.id, "delete")


def _check(fields: dict[str, Any], allowed: dict[str, type]) -> None:
    for name, value in fields.items():
        if name not in allowed:
            raise InvalidInput(name, f"{name} is not a field that may be set")
        if name in _ENUMS and value is not None:
            _check_enum(name, value)
        limit = _MAX_LENGTHS.get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            raise InvalidInput(name, f"{name} may be at most {limit} characters long")


def _check_enum(name: str, value: str) -> None:
    if value not in _ENUMS[name]:
        raise InvalidInput(name, f"{name} must be one of {', '.join(_ENUMS[name])}, got {value!r}")


def _check_unique(db: Session, course: Course | None, fields: dict[str, Any]) -> None:
    for name, column in (("courseId", Course.course_code), ("externalId", Course.external_id)):
        if fields.get(name) is None:
            continue
        taken = select(Course.id).where(column == fields[name].strip(), Course.workflow_state != "deleted")
        if course is not None:
            taken = taken.where(Course.id != course.id)
        if db.scalar(taken.limit(1)) is not None:
            raise Conflict(f"A course with {name} {fields[name]!r} already exists")


def _apply(db: Session, actor: User, course: Course, fields: dict[str, Any]) -> None:
    """Set record fields: the ones Canvas also has go through courses.update_course and its checks."""
    canvas = {k: fields[n] for n, k in (("name", "name"), ("description", "public_description"),
                                          ("locale.id", "locale")) if n in fields}
    if "termId" in fields:
        canvas["term_id"] = _term_id(db, course, fields["termId"])
    dates = _dates(course, fields)
    canvas.update(dates)
    enrollment = _enrollment(course, fields)
    if enrollment is not None:
        canvas["self_enrollment"] = enrollment.get("type") == "SelfEnrollment"
    try:
        courses.update_course(db, actor, course.id, canvas, event=_event(course, fields))
    except InvalidInput as exc:  # the record calls it description
        if exc.field != "public_description":
            raise
        raise InvalidInput("description", exc.message.replace("public_description", "description")) from None
    options = dict(course.learn_options or {})
    if enrollment is not None:
        options["enrollment"] = enrollment
    if dates or "availability.duration.daysOfUse" in fields:
        options["duration"] = _stored_duration(course, fields)
    if "locale.force" in fields:
        options["localeForce"] = bool(fields["locale.force"])
    course.learn_options = options
    for name, attr in (("externalId", "external_id"), ("dataSourceId", "data_source_id"),
                       ("allowGuests", "allow_guests"), ("allowObservers", "allow_observers")):
        if name in fields:
            setattr(course, attr, fields[name].strip() if isinstance(fields[name], str) else fields[name])
    if "availability.available" in fields:
        course.availability = AVAILABILITY[fields["availability.available"]][1]
    db.flush()


def _event(course: Course, fields: dict[str, Any]) -> str | None:
    """The course event that brings the workflow state to what availability and closedComplete ask."""
    state = course.workflow_state
    if fields.get("availability.available"):
        state = AVAILABILITY[fields["availability.available"]][0]
    if fields.get("closedComplete") is True:
        state = "completed"
    elif fields.get("closedComplete") is False and state == "completed":
        state = "available"
    if state == course.workflow_state:
        return None
    return {"available": "offer", "unpublished": "claim", "completed": "conclude"}[state]


def _term_id(db: Session, course: Course, ref: str) -> int:
    try:
        return accounts.get_term(db, course.root_account_id, ref).id
    except NotFound:
        raise InvalidInput("termId", f"termId {ref!r} names no term") from None


def _dates(course: Course, fields: dict[str, Any]) -> dict[str, Any]:
    """Canvas start_at/end_at for the duration asked (only DateRange keeps dates)."""
    kind = fields.get("availability.duration.type") or duration_of(course)["type"]
    start, end = fields.get("availability.duration.start"), fields.get("availability.duration.end")
    if (start or end) and kind != "DateRange":
        raise InvalidInput("availability.duration.start" if start else "availability.duration.end",
                           "availability.duration.start and end may only be set when the type is DateRange")
    if "availability.duration.daysOfUse" in fields and kind != "FixedNumDays":
        raise InvalidInput("availability.duration.daysOfUse",
                           "availability.duration.daysOfUse may only be set when the type is FixedNumDays")
    if "availability.duration.type" not in fields and not (start or end):
        return {}
    if kind != "DateRange":
        return {"start_at": None, "end_at": None}
    start, end = start or course.start_at, end or course.end_at
    if not (start or end):
        raise InvalidInput("availability.duration.start", "a DateRange duration needs a start or an end date")
    if start and end and end < start:
        raise InvalidInput("availability.duration.end", "availability.duration.end must not be before start")
    return {"start_at": start, "end_at": end}


def _stored_duration(course: Course, fields: dict[str, Any]) -> dict[str, Any]:
    kind = fields.get("availability.duration.type") or duration_of(course)["type"]
    if kind == "FixedNumDays":
        days = fields.get("availability.duration.daysOfUse", duration_of(course).get("daysOfUse"))
        if not isinstance(days, int) or days < 1:
            raise InvalidInput("availability.duration.daysOfUse",
                               "availability.duration.daysOfUse must be a positive number for FixedNumDays")
        return {"type": kind, "daysOfUse": days}
    return {"type": kind} if kind == "UseTerm" else {}


def _enrollment(course: Course, fields: dict[str, Any]) -> dict[str, Any] | None:
    """The enrollment options asked for, or None when the call names none."""
    names = [n for n in fields if n.startswith("enrollment.")]
    if not names:
        return None
    current = enrollment_of(course)
    kind = fields.get("enrollment.type") or current["type"]
    details = {k: fields[f"enrollment.{k}"] for k in ("start", "end", "accessCode") if f"enrollment.{k}" in fields}
    if details and kind != "SelfEnrollment":
        first = next(iter(details))
        raise InvalidInput(f"enrollment.{first}", f"enrollment.{first} may only be set for SelfEnrollment")
    if kind != "SelfEnrollment":
        return {"type": kind}
    kept = {k: v for k, v in current.items() if k != "type"} if current["type"] == kind else {}
    merged = {**kept, **{k: v.isoformat() if isinstance(v, datetime) else v for k, v in details.items()}}
    return {"type": kind, **{k: v for k, v in merged.items() if v is not None}}
