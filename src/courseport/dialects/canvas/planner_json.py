"""Canvas JSON for the planner: planner notes, planner overrides, and the wire names of plannable types."""

from __future__ import annotations

from typing import Any

from courseport.dialects.canvas.protocol import iso
from courseport.schema import PlannerNote, PlannerOverride

# core plannable type -> Canvas's; the others are spelled alike
WIRE_TYPES = {"page": "wiki_page"}
CORE_TYPES = {wire: core for core, wire in WIRE_TYPES.items()}


def wire_type(core_type: str) -> str:
    return WIRE_TYPES.get(core_type, core_type)


def core_type(wire: str | None) -> str | None:
    return CORE_TYPES.get(wire, wire) if wire is not None else None


def render_note(note: PlannerNote) -> dict[str, Any]:
    # Canvas documents the details as `description` and sends them as `details`: both are given
    return {
        "id": note.id, "title": note.title, "description": note.details, "details": note.details,
        "user_id": note.user_id, "workflow_state": note.workflow_state, "course_id": note.course_id,
        "todo_date": iso(note.todo_date), "linked_object_type": None, "linked_object_id": None,
        "linked_object_html_url": None, "linked_object_url": None,
        "created_at": iso(note.created_at), "updated_at": iso(note.updated_at),
    }


def render_override(row: PlannerOverride) -> dict[str, Any]:
    return {
        "id": row.id, "plannable_type": wire_type(row.plannable_type), "plannable_id": row.plannable_id,
        "user_id": row.user_id, "assignment_id": row.plannable_id if row.plannable_type == "assignment" else None,
        "workflow_state": row.workflow_state, "marked_complete": row.marked_complete, "dismissed": row.dismissed,
        "created_at": iso(row.created_at), "updated_at": iso(row.updated_at), "deleted_at": iso(row.deleted_at),
    }
