"""Canvas JSON for course calendar events (the CalendarEvent object)."""

from __future__ import annotations

from typing import Any

from courseport.core.content.calendar_events import EventView
from courseport.dialects.canvas.protocol import iso


def render_event(view: EventView, origin: str) -> dict[str, Any]:
    item, course, data = view.item, view.course, view.item.data or {}
    code = f"course_{course.id}"
    return {
        "id": item.id, "title": item.title, "start_at": iso(item.start_at), "end_at": iso(item.end_at),
        "description": item.body or "", "location_name": data.get("location_name"),
        "location_address": data.get("location_address"), "context_code": code,
        "effective_context_code": None, "context_name": course.name, "context_color": course.course_color,
        "all_context_codes": code, "workflow_state": item.workflow_state, "hidden": False,
        "parent_event_id": None, "child_events_count": 0, "child_events": [],
        "all_day": bool(data.get("all_day")), "all_day_date": iso(item.start_at.date()) if item.start_at else None,
        "comments": None, "series_uuid": None, "rrule": None, "blackout_date": False, "important_dates": False,
        "created_at": iso(item.created_at), "updated_at": iso(item.updated_at),
        "url": f"{origin}/api/v1/calendar_events/{item.id}",
        "html_url": f"{origin}/calendar?event_id={item.id}&include_contexts={code}",
        "duplicates": [], "type": "event",
    }
