"""Canvas JSON for planner items (the Planner API's plannable items) and upcoming events."""

from __future__ import annotations

from typing import Any

from courseport.core.content.calendar_events import EventView
from courseport.core.views.planner import PlannerItem
from courseport.dialects.canvas.assignment_json import render_assignment
from courseport.dialects.canvas.calendar_event_json import render_event
from courseport.dialects.canvas.planner_json import render_note, render_override, wire_type
from courseport.dialects.canvas.protocol import iso

_PATHS = {"assignment": "assignments", "quiz": "quizzes", "announcement": "discussion_topics", "page": "pages"}


def render_planner_item(entry: PlannerItem, origin: str) -> dict[str, Any]:
    course = entry.course
    body: dict[str, Any] = {"context_type": "Course", "course_id": course.id} if course is not None else {
        "context_type": "User", "user_id": entry.note.user_id if entry.note is not None else None}
    body.update({
        "plannable_id": entry.id, "planner_override": render_override(entry.override) if entry.override else None,
        "plannable_type": wire_type(entry.type), "new_activity": entry.new_activity,
        "submissions": _submissions(entry), "plannable_date": iso(entry.date),
        "plannable": _plannable(entry, origin), "html_url": _html_url(entry, origin),
        "context_name": course.name if course is not None else None, "context_image": None,
    })
    return body


def _submissions(entry: PlannerItem) -> dict[str, bool] | bool:
    if entry.type != "assignment":
        return False
    s = entry.submission
    state = s.workflow_state if s is not None else "unsubmitted"
    graded = state == "graded" and s is not None and s.posted_at is not None
    return {"submitted": state in ("submitted", "graded", "pending_review"), "excused": bool(s and s.excused),
            "graded": graded, "late": bool(s and s.late), "missing": bool(s and s.late_policy_status == "missing"),
            "needs_grading": state in ("submitted", "pending_review"), "has_feedback": False,
            "redo_request": False}


def _plannable(entry: PlannerItem, origin: str) -> dict[str, Any]:
    if entry.note is not None:
        return render_note(entry.note)
    item = entry.item
    assert item is not None  # every type but a note carries its item
    if entry.type == "calendar_event" and entry.course is not None:
        return render_event(EventView(item, entry.course), origin)
    body = {"id": item.id, "title": item.title, "created_at": iso(item.created_at),
            "updated_at": iso(item.updated_at)}
    if entry.type in ("assignment", "quiz"):
        body.update(due_at=iso(entry.date), points_possible=item.points)
    elif entry.type == "page":
        body.update(todo_date=iso(entry.date), url=item.slug)
    else:
        body.update(posted_at=iso(entry.date), read_state="unread" if entry.new_activity else "read")
    return body


def _html_url(entry: PlannerItem, origin: str) -> str:
    if entry.note is not None:
        return f"{origin}/api/v1/planner_notes/{entry.note.id}"
    item = entry.item
    assert item is not None and entry.course is not None
    if entry.type == "calendar_event":
        return f"{origin}/calendar?event_id={item.id}&include_contexts=course_{entry.course.id}"
    key = item.slug if entry.type == "page" else item.id
    return f"{origin}/courses/{entry.course.id}/{_PATHS[entry.type]}/{key}"


def render_upcoming(entry: PlannerItem, origin: str) -> dict[str, Any]:
    """An upcoming event: a calendar event as the Calendar Events API shows it, or an assignment event."""
    item, course = entry.item, entry.course
    assert item is not None and course is not None  # upcoming events are course calendar events and assignments
    if entry.type == "calendar_event":
        return render_event(EventView(item, course), origin)
    code, due = f"course_{course.id}", iso(entry.date)
    return {"id": f"assignment_{item.id}", "title": item.title, "start_at": due, "end_at": due,
            "all_day": False, "description": item.body or "", "context_code": code, "context_name": course.name,
            "workflow_state": "published", "type": "assignment",
            "assignment": render_assignment(entry.view, origin) if entry.view is not None else None,
            "html_url": f"{origin}/courses/{course.id}/assignments/{item.id}",
            "url": f"{origin}/api/v1/calendar_events/assignment_{item.id}",
            "created_at": iso(item.created_at), "updated_at": iso(item.updated_at)}
