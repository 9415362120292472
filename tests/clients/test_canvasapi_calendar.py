"""canvasapi 3.6.0, unmodified, against the live server: course calendar events."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist

from courseport.schema import ContentItem


def _item(world, item_id: int) -> ContentItem:
    with world.tx() as db:
        return db.get(ContentItem, item_id)


def test_create_list_get_edit_delete_event(world):
    course = world.course("Chemistry")
    canvas = world.canvas()
    code = f"course_{course.id}"
    event = canvas.create_calendar_event({"context_code": code, "title": "Lab", "description": "<p>Goggles</p>",
                                          "start_at": "2030-01-10T14:00:00Z", "end_at": "2030-01-10T16:00:00Z",
                                          "location_name": "Room 4"})
    assert (event.title, event.context_code, event.context_name, event.location_name, event.workflow_state) == (
        "Lab", code, "Chemistry", "Room 4", "active")
    canvas.create_calendar_event({"context_code": code, "title": "Exam", "start_at": "2030-01-20T09:00:00Z"})
    listed = canvas.get_calendar_events(context_codes=[code], start_date="2030-01-01", end_date="2030-01-15")
    assert [e.title for e in listed] == ["Lab"]
    assert [e.title for e in canvas.get_calendar_events(context_codes=[code], all_events=True)] == ["Lab", "Exam"]
    fetched = canvas.get_calendar_event(event.id)
    assert (fetched.id, fetched.description) == (event.id, "<p>Goggles</p>")
    edited = event.edit(calendar_event={"title": "Lab (moved)", "start_at": "2030-01-11T14:00:00Z",
                                        "end_at": "2030-01-11T15:00:00Z"})
    assert (edited.title, event.title, edited.start_at) == ("Lab (moved)", "Lab (moved)", "2030-01-11T14:00:00Z")
    assert _item(world, event.id).title == "Lab (moved)"
    deleted = event.delete(cancel_reason="Snow")
    assert (deleted.id, deleted.workflow_state) == (event.id, "deleted")
    assert _item(world, event.id).data["cancel_reason"] == "Snow"
    with pytest.raises(ResourceDoesNotExist):
        canvas.get_calendar_event(event.id)
    assert [e.title for e in canvas.get_calendar_events(context_codes=[code], all_events=True)] == ["Exam"]


def test_students_read_and_bad_input(world):
    course = world.course()
    cast = world.cast(course)
    code = f"course_{course.id}"
    teacher = world.canvas(cast["teacher"])
    event = teacher.create_calendar_event({"context_code": code, "title": "Review",
                                           "start_at": "2030-03-01T10:00:00Z"})
    student = world.canvas(cast["student"])
    assert [e.id for e in student.get_calendar_events(context_codes=[code], all_events=True)] == [event.id]
    mine = student.get_calendar_event(event.id)
    with pytest.raises(Forbidden):
        mine.edit(calendar_event={"title": "Party"})
    with pytest.raises(Forbidden):
        student.create_calendar_event({"context_code": code, "title": "Party"})
    with pytest.raises(BadRequest):
        teacher.create_calendar_event({"context_code": code, "start_at": "2030-03-02T10:00:00Z",
                                       "end_at": "2030-03-01T10:00:00Z"})
    assert _item(world, event.id).title == "Review"
