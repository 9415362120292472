"""Course calendar events: content items of type "calendar_event".

`body` holds the sanitised description; data holds location_name, location_address, all_day and,
once deleted, cancel_reason. An event without an end ends when it starts (and the other way round);
an all-day event runs from midnight to midnight of its day (UTC). Members of a course read its
events; those with manage_calendar create, edit and delete them. Listing follows Canvas: the
events of the asked-for courses the caller can read, in a date range (today by default), undated
ones only, or all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from courseport.core.content import content
from courseport.core.courses.courses import readable_course
from courseport.core.identity.permissions import require
from courseport.core.kit.changes import UNSET, Unset, given, kinds
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.html import sanitize_html
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import ContentItem, Course, User
from courseport.schema.base import utcnow

MANAGE = "manage_calendar"
DEFAULT_TITLE = "Course Event"
MAX_CONTEXTS = 10
EVENT_TYPES = ("event", "assignment", "sub_assignment")


@dataclass(frozen=True)
class EventChanges:
    """The event attributes a create or update sets; UNSET leaves an attribute as it is, None clears it.
    context_code names the course calendar (course_<id>): required on create, never moves an event."""

    context_code: str | None | Unset = UNSET
    title: str | None | Unset = UNSET
    description: str | None | Unset = UNSET
    start_at: datetime | None | Unset = UNSET
    end_at: datetime | None | Unset = UNSET
    location_name: str | None | Unset = UNSET
    location_address: str | None | Unset = UNSET
    all_day: bool | None | Unset = UNSET


# Every writable event attribute and its type: the one table dialects coerce wire values by.
EVENT_FIELDS: dict[str, type] = kinds(EventChanges)


@dataclass(frozen=True)
class EventView:
    item: ContentItem
    course: Course


@dataclass(frozen=True)
class EventFilters:
    context_codes: tuple[str, ...] = ()
    type: str = "event"
    start_date: str | None = None
    end_date: str | None = None
    undated: bool = False
    all_events: bool = False


def course_ref_of(context_code: str | None) -> str:
    """The course id a context code names; only course calendars are kept here."""
    code = (context_code or "").strip()
    if not code:
        raise InvalidInput("context_code", "context_code is required (course_<id>)")
    if not code.startswith("course_") or not code[len("course_"):]:
        raise InvalidInput("context_code", f"context_code {code!r} must name a course calendar (course_<id>)")
    return code[len("course_"):]


def _event(db: Session, event_id: str | int, *, include_deleted: bool = False) -> ContentItem:
    item = db.get(ContentItem, store_id(event_id)) if is_id(event_id) else None
    if item is None or item.type != "calendar_event" or (item.workflow_state == "deleted" and not include_deleted):
        raise NotFound("calendar event")
    return item


def get_event(db: Session, actor: User, event_id: str) -> EventView:
    item = _event(db, event_id)
    course, _ = readable_course(db, actor, item.course_id)
    return EventView(item, course)


def create_event(db: Session, actor: User, changes: EventChanges) -> EventView:
    fields = given(changes)
    course, rights = readable_course(db, actor, course_ref_of(fields.get("context_code")))
    require(rights, MANAGE)
    values = _values(fields, None)
    values["title"] = values.get("title") or DEFAULT_TITLE
    values.setdefault("data", {}).setdefault("all_day", False)
    values["data"] = {"location_name": None, "location_address": None, **values["data"]}
    item = content.create_item(db, course.id, "calendar_event", {"workflow_state": "active", **values},
                               user_id=actor.id)
    return EventView(item, course)


def update_event(db: Session, actor: User, event_id: str, changes: EventChanges) -> EventView:
    fields = given(changes)
    item = _event(db, event_id)
    course, rights = readable_course(db, actor, item.course_id)
    require(rights, MANAGE)
    code = fields.get("context_code")
    if code is not None and course_ref_of(code) != str(course.id):
        raise InvalidInput("context_code", "context_code cannot move an event to another calendar")
    values = _values(fields, item)
    if "title" in values and not values["title"]:
        values["title"] = item.title
    content.update_item(db, item, values)
    return EventView(item, course)


def delete_event(db: Session, actor: User, event_id: str, cancel_reason: str | None) -> EventView:
    item = _event(db, event_id)
    course, rights = readable_course(db, actor, item.course_id)
    require(rights, MANAGE)
    if cancel_reason:
        content.update_item(db, item, {"data": {"cancel_reason": cancel_reason}})
    content.delete_item(db, item)
    return EventView(item, course)


def _values(fields: dict[str, Any], item: ContentItem | None) -> dict[str, Any]:
    """Item fields for the given attributes, dates settled as Canvas settles them."""
    values: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for key in ("location_name", "location_address"):
        if key in fields:
            data[key] = fields[key] or None
    if "title" in fields:
        title = (fields["title"] or "").strip()
        if len(title) > 255:
            raise InvalidInput("title", "title is too long (at most 255 characters)")
        values["title"] = title
    if "description" in fields:
        values["body"] = sanitize_html(fields["description"] or "")
    start = fields["start_at"] if "start_at" in fields else (item.start_at if item else None)
    end = fields["end_at"] if "end_at" in fields else (item.end_at if item else None)
    dates_given = "start_at" in fields or "end_at" in fields
    if dates_given:
        start, end = start or end, end or start
        if start and end and end < start:
            raise InvalidInput("end_at", "end_at must not be before start_at")
    all_day = fields.get("all_day")
    if all_day and start:
        start = end = datetime.combine(start.date(), time(), UTC)
        data["all_day"] = True
    elif dates_given:
        data["all_day"] = bool(start and start == end and start.time() == time())
    elif all_day is False:
        data["all_day"] = False
    if dates_given or all_day:
        values["start_at"], values["end_at"] = start, end
    values["data"] = data
    return values


def list_events(db: Session, actor: User, filters: EventFilters, window: Window) -> Slice[EventView]:
    """The caller's events in the readable courses named; none for personal or other calendars."""
    if filters.type not in EVENT_TYPES:
        raise InvalidInput("type", f"type must be one of: {', '.join(EVENT_TYPES)}")
    dated = not (filters.all_events or filters.undated)
    start, end = _range(filters) if dated else (None, None)  # Canvas ignores the dates then
    courses = _readable_courses(db, actor, filters.context_codes[:MAX_CONTEXTS])
    if filters.type != "event" or not courses:
        return Slice([], False)  # assignment events are not offered here yet
    stmt = select(ContentItem).where(ContentItem.course_id.in_(courses), ContentItem.type == "calendar_event",
                                     ContentItem.workflow_state != "deleted")
    if filters.undated and not filters.all_events:
        stmt = stmt.where(ContentItem.start_at.is_(None), ContentItem.end_at.is_(None))
    elif dated:
        stmt = stmt.where(and_(ContentItem.start_at <= end, ContentItem.end_at >= start))
    stmt = stmt.order_by(ContentItem.start_at.is_(None), ContentItem.start_at, ContentItem.id)
    page = fetch_window(db, stmt, window)
    return Slice([EventView(i, courses[i.course_id]) for i in page.items], page.has_more, page.total)


def _readable_courses(db: Session, actor: User, codes: tuple[str, ...]) -> dict[int, Course]:
    found: dict[int, Course] = {}
    for code in codes:
        if not code.startswith("course_"):
            continue
        try:
            course, _ = readable_course(db, actor, code[len("course_"):])
        except (NotFound, NotAllowed):
            continue  # Canvas leaves out calendars the caller cannot see
        found[course.id] = course
    return found


def _range(filters: EventFilters) -> tuple[datetime, datetime]:
    """The inclusive range asked for: a bare date covers its whole day; today by default."""
    today = datetime.combine(utcnow().date(), time(), UTC)
    start = date_bound(filters.start_date, "start_date", end_of_day=False) or today
    end = date_bound(filters.end_date, "end_date", end_of_day=True) or today + timedelta(days=1, microseconds=-1)
    if end < start:
        end = datetime.combine(start.date(), time(), UTC) + timedelta(days=1, microseconds=-1)
    return start, end


def date_bound(value: str | None, name: str, *, end_of_day: bool) -> datetime | None:
    """A range bound as given: a bare date is its day's start (or, with end_of_day, its last instant)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = datetime.combine(date.fromisoformat(text), time(), UTC)
            return day + timedelta(days=1, microseconds=-1) if end_of_day else day
        parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
    except ValueError:
        raise InvalidInput(name, f"Invalid date or invalid datetime for {name}") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
