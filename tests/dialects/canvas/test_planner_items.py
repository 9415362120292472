"""Canvas Planner API planner items and upcoming events over raw HTTP: shapes, ranges, filters, observers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from courseport.schema import PlannerOverride
from courseport.schema.base import utcnow
from tests.dialects.canvas.errors import NOT_FOUND


def _setup(world):
    course = world.course("Physics")
    student, token = world.user_with_token("pi1")
    world.enroll(student, course)
    essay = world.assignment(course, "Essay", due_at=datetime(2030, 3, 5, 12, tzinfo=UTC))
    world.assignment(course, "Undated")
    with world.client(world.admin_token) as c:
        event = c.post("/api/v1/calendar_events", data={
            "calendar_event[context_code]": f"course_{course.id}", "calendar_event[title]": "Lab",
            "calendar_event[start_at]": "2030-03-03T09:00:00Z", "calendar_event[end_at]": "2030-03-03T10:00:00Z"})
        assert event.status_code == 201, event.text
    with world.client(token) as c:
        note = c.post("/api/v1/planner_notes", data={"title": "Revise", "todo_date": "2030-03-04T08:00:00Z"})
        assert note.status_code == 201
    return course, student, token, essay, event.json(), note.json()


def test_items_in_a_range_exact_shapes(world):
    course, student, token, essay, event, note = _setup(world)
    with world.client(token) as c:
        r = c.get("/api/v1/planner/items", params={"start_date": "2030-03-01", "end_date": "2030-03-31"})
    assert r.status_code == 200, r.text
    items = r.json()
    assert [(i["plannable_type"], i["plannable_id"]) for i in items] == [
        ("calendar_event", event["id"]), ("planner_note", note["id"]), ("assignment", essay.id)]
    lab, revise, work = items
    assert lab["plannable"] == event and lab["plannable_date"] == "2030-03-03T09:00:00Z"
    assert {k: v for k, v in revise.items() if k != "plannable"} == {
        "context_type": "User", "user_id": student.id, "plannable_id": note["id"], "planner_override": None,
        "plannable_type": "planner_note", "new_activity": False, "submissions": False,
        "plannable_date": "2030-03-04T08:00:00Z", "html_url": f"{world.base_url}/api/v1/planner_notes/{note['id']}",
        "context_name": None, "context_image": None}
    assert revise["plannable"]["title"] == "Revise"
    assert {k: v for k, v in work.items() if k != "plannable"} == {
        "context_type": "Course", "course_id": course.id, "plannable_id": essay.id, "planner_override": None,
        "plannable_type": "assignment", "new_activity": False,
        "submissions": {"submitted": False, "excused": False, "graded": False, "late": False, "missing": False,
                        "needs_grading": False, "has_feedback": False, "redo_request": False},
        "plannable_date": "2030-03-05T12:00:00Z",
        "html_url": f"{world.base_url}/courses/{course.id}/assignments/{essay.id}",
        "context_name": "Physics", "context_image": None}
    assert work["plannable"] == {"id": essay.id, "title": "Essay", "due_at": "2030-03-05T12:00:00Z",
                                 "points_possible": 10.0, "created_at": work["plannable"]["created_at"],
                                 "updated_at": work["plannable"]["updated_at"]}


def test_ranges_contexts_paging_and_overrides(world):
    course, student, token, essay, event, note = _setup(world)
    with world.client(token) as c:
        def kinds(**params):
            return [i["plannable_type"] for i in c.get("/api/v1/planner/items", params=params).json()]

        assert kinds(start_date="2030-03-04", end_date="2030-03-04") == ["planner_note"]
        assert kinds(**{"context_codes[]": f"course_{course.id}"}) == ["calendar_event", "assignment"]
        assert kinds(**{"context_codes[]": f"user_{student.id}"}) == ["planner_note"]
        r = c.get("/api/v1/planner/items", params={"per_page": 2})
        assert len(r.json()) == 2 and 'rel="next"' in r.headers["Link"]
        mark = c.post("/api/v1/planner/overrides", data={"plannable_type": "assignment", "plannable_id": essay.id,
                                                          "marked_complete": "true"}).json()
        items = c.get("/api/v1/planner/items").json()
        assert items[-1]["planner_override"] == mark
        assert kinds(filter="incomplete_items") == ["calendar_event", "planner_note"]
        c.put(f"/api/v1/planner/overrides/{mark['id']}", data={"marked_complete": "false"})
        assert kinds(filter="incomplete_items") == ["calendar_event", "planner_note", "assignment"]
        assert kinds(filter="new_activity") == []
    with world.tx() as db:
        assert db.get(PlannerOverride, mark["id"]).marked_complete is False


def test_announcements_are_new_activity_until_read(world):
    course = world.course()
    student, token = world.user_with_token("pi2")
    world.enroll(student, course)
    with world.client(world.admin_token) as c:
        topic = c.post(f"/api/v1/courses/{course.id}/discussion_topics",
                       data={"title": "News", "message": "hi", "is_announcement": "true"}).json()
    with world.client(token) as c:
        items = c.get("/api/v1/planner/items", params={"filter": "new_activity"}).json()
        assert [(i["plannable_type"], i["plannable_id"], i["new_activity"]) for i in items] == [
            ("announcement", topic["id"], True)]
        assert c.put(f"/api/v1/courses/{course.id}/discussion_topics/{topic['id']}/read").status_code == 204
        assert c.get("/api/v1/planner/items", params={"filter": "new_activity"}).json() == []
        assert [i["plannable"]["read_state"] for i in c.get("/api/v1/planner/items").json()] == ["read"]


def test_bad_parameters_are_400_naming_them(world):
    _, token = world.user_with_token("pi3")
    with world.client(token) as c:
        for params, field in (({"filter": "everything"}, "filter"), ({"start_date": "soon"}, "start_date"),
                              ({"end_date": "2030-13-01"}, "end_date")):
            r = c.get("/api/v1/planner/items", params=params)
            assert (r.status_code, r.json()["errors"][0]["field"]) == (400, field)


def test_observers_read_their_students_planner_only(world):
    course, student, token, essay, event, note = _setup(world)
    observer, observer_token = world.user_with_token("pi4")
    _, stranger_token = world.user_with_token("pi5")
    with world.client(world.admin_token) as c:
        assert c.put(f"/api/v1/users/{observer.id}/observees/{student.id}").status_code == 200
    with world.client(observer_token) as c:
        seen = c.get(f"/api/v1/users/{student.id}/planner/items").json()
        assert [i["plannable_id"] for i in seen] == [event["id"], note["id"], essay.id]
        own = c.get("/api/v1/planner/items").json()  # the course through the linked enrollment, not the note
        assert [i["plannable_id"] for i in own] == [event["id"], essay.id]
    with world.client(stranger_token) as c:
        r = c.get(f"/api/v1/users/{student.id}/planner/items")
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
        assert c.get("/api/v1/users/99999999/planner/items").status_code == 404


def test_upcoming_events_within_a_week(world):
    course = world.course("Art")
    student, token = world.user_with_token("pi6")
    world.enroll(student, course)
    soon = utcnow() + timedelta(days=2)
    world.assignment(course, "Sketch", due_at=soon)
    world.assignment(course, "Later", due_at=soon + timedelta(days=30))
    with world.client(world.admin_token) as c:
        event = c.post("/api/v1/calendar_events", data={
            "calendar_event[context_code]": f"course_{course.id}", "calendar_event[title]": "Gallery",
            "calendar_event[start_at]": (soon - timedelta(days=1)).isoformat()}).json()
    with world.client(token) as c:
        r = c.get("/api/v1/users/self/upcoming_events")
    assert r.status_code == 200, r.text
    body = r.json()
    assert [(e["type"], e["title"]) for e in body] == [("event", "Gallery"), ("assignment", "Sketch")]
    assert body[0] == event
    assert body[1]["assignment"]["name"] == "Sketch" and body[1]["context_code"] == f"course_{course.id}"
