"""canvasapi 3.6.0, unmodified, against the live server: planner notes, planner overrides, planner items."""

from __future__ import annotations

from datetime import timedelta

import pytest
from canvasapi.exceptions import BadRequest, ResourceDoesNotExist

from courseport.schema import PlannerNote, PlannerOverride
from courseport.schema.base import utcnow


def test_planner_note_flow(world):
    course = world.course("Biology")
    student, token = world.user_with_token("pn1")
    world.enroll(student, course)
    canvas = world.canvas(token)
    note = canvas.create_planner_note(title="Bring books", details="for biology", todo_date="2030-05-09T10:12:00Z",
                                      course_id=course.id)
    assert (note.title, note.details, note.course_id, note.todo_date, note.workflow_state) == (
        "Bring books", "for biology", course.id, "2030-05-09T10:12:00Z", "active")
    canvas.create_planner_note(title="Call home", todo_date="2030-05-01T09:00:00Z")
    assert [n.title for n in canvas.get_planner_notes()] == ["Call home", "Bring books"]
    assert [n.title for n in canvas.get_planner_notes(start_date="2030-05-05")] == ["Bring books"]
    assert canvas.get_planner_note(note.id).title == "Bring books"
    updated = note.update(title="Bring two books")
    assert updated.title == "Bring two books"
    with world.tx() as db:
        assert db.get(PlannerNote, note.id).title == "Bring two books"
    assert note.delete().workflow_state == "deleted"
    with pytest.raises(ResourceDoesNotExist):
        canvas.get_planner_note(note.id)
    with pytest.raises(BadRequest):
        canvas.create_planner_note(title="No date")
    assert [n.title for n in canvas.get_planner_notes()] == ["Call home"]


def test_planner_override_flow(world):
    course = world.course()
    student, token = world.user_with_token("po1")
    world.enroll(student, course)
    assignment = world.assignment(course, "Essay")
    canvas = world.canvas(token)
    override = canvas.create_planner_override("assignment", assignment.id, marked_complete=True)
    assert (override.plannable_type, override.plannable_id, override.marked_complete, override.dismissed) == (
        "assignment", assignment.id, True, False)
    assert [o.id for o in canvas.get_planner_overrides()] == [override.id]
    assert canvas.get_planner_override(override.id).marked_complete is True
    assert override.update(dismissed=True).dismissed is True
    with world.tx() as db:
        assert db.get(PlannerOverride, override.id).dismissed is True
    with pytest.raises(BadRequest):
        canvas.create_planner_override("assignment", assignment.id)
    assert override.delete().workflow_state == "deleted"
    with pytest.raises(ResourceDoesNotExist):
        canvas.get_planner_override(override.id)
    assert list(canvas.get_planner_overrides()) == []


def test_upcoming_events(world):
    course = world.course("Art")
    student, token = world.user_with_token("pu1")
    world.enroll(student, course)
    soon = utcnow() + timedelta(days=3)
    world.assignment(course, "Sketch", due_at=soon)
    world.canvas().create_calendar_event({"context_code": f"course_{course.id}", "title": "Gallery",
                                          "start_at": (soon + timedelta(hours=1)).isoformat()})
    world.canvas().create_calendar_event({"context_code": f"course_{course.id}", "title": "Next month",
                                          "start_at": (soon + timedelta(days=30)).isoformat()})
    events = world.canvas(token).get_upcoming_events()
    assert [(e["type"], e["title"]) for e in events] == [("assignment", "Sketch"), ("event", "Gallery")]
