"""Canvas Calendar Events API routes for course calendars: list, create, show, update, delete."""

from __future__ import annotations

from litestar import Response

from courseport.core.content import calendar_events
from courseport.core.content.calendar_events import EventFilters
from courseport.dialects.canvas.calendar_event_json import render_event
from courseport.dialects.canvas.protocol import Call, delete, get, post, prefixed_fields, prefixed_params, put


def event_changes(call: Call) -> calendar_events.EventChanges:
    """The `calendar_event[...]` parameters present in the call (bare names are core's), coerced."""
    return calendar_events.EventChanges(**prefixed_fields(call, "calendar_event", calendar_events.EVENT_FIELDS))


def _event_params():  # noqa: ANN202
    return prefixed_params("calendar_event", calendar_events.EVENT_FIELDS)


@get("/calendar_events")
def list_calendar_events(call: Call) -> Response:
    window = call.window()
    filters = EventFilters(
        context_codes=tuple(call.list("context_codes[]")), type=call.str("type") or "event",
        start_date=call.str("start_date"), end_date=call.str("end_date"),
        undated=bool(call.bool("undated", False)), all_events=bool(call.bool("all_events", False)))
    with call.read() as (db, me):
        page = calendar_events.list_events(db, me, filters, window)
    return call.paged([render_event(v, call.origin) for v in page.items], window, page)


@post("/calendar_events", status_code=201)
def create_calendar_event(call: Call) -> dict:
    changes = event_changes(call)
    with call.write() as (db, me), _event_params():
        view = calendar_events.create_event(db, me, changes)
    return render_event(view, call.origin)


@get("/calendar_events/{event_id:str}")
def get_calendar_event(call: Call, event_id: str) -> dict:
    with call.read() as (db, me):
        view = calendar_events.get_event(db, me, event_id)
    return render_event(view, call.origin)


@put("/calendar_events/{event_id:str}")
def update_calendar_event(call: Call, event_id: str) -> dict:
    changes = event_changes(call)
    with call.write() as (db, me), _event_params():
        view = calendar_events.update_event(db, me, event_id, changes)
    return render_event(view, call.origin)


@delete("/calendar_events/{event_id:str}")
def delete_calendar_event(call: Call, event_id: str) -> dict:
    with call.write() as (db, me):
        view = calendar_events.delete_event(db, me, event_id, call.str("cancel_reason"))
    return render_event(view, call.origin)


ROUTES = [list_calendar_events, create_calendar_event, get_calendar_event, update_calendar_event,
          delete_calendar_event]
