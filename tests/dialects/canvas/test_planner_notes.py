"""Canvas Planner Notes and Planner Overrides over raw HTTP: exact bodies, ownership, errors, stored rows."""

from __future__ import annotations

import pytest

from courseport.schema import PlannerNote, PlannerOverride
from tests.dialects.canvas.errors import NOT_FOUND


def _note(world, note_id: int) -> PlannerNote:
    with world.tx() as db:
        return db.get(PlannerNote, note_id)


def _override(world, override_id: int) -> PlannerOverride:
    with world.tx() as db:
        return db.get(PlannerOverride, override_id)


def _note_body(b, user_id: int, **fields):
    body = {"id": b["id"], "title": "Read ch. 3", "description": "pages 40-60", "details": "pages 40-60",
            "user_id": user_id, "workflow_state": "active", "course_id": None, "todo_date": "2030-02-01T10:00:00Z",
            "linked_object_type": None, "linked_object_id": None, "linked_object_html_url": None,
            "linked_object_url": None, "created_at": b["created_at"], "updated_at": b["updated_at"]}
    body.update(fields)
    return body


def test_note_create_exact_body_update_delete(world):
    course = world.course()
    student, token = world.user_with_token("ns1")
    world.enroll(student, course)
    with world.client(token) as c:
        r = c.post("/api/v1/planner_notes", data={"title": "Read ch. 3", "details": "pages 40-60",
                                                   "todo_date": "2030-02-01T11:00:00+01:00"})
        assert r.status_code == 201, r.text
        body = r.json()
        assert body == _note_body(body, student.id)
        assert c.get(f"/api/v1/planner_notes/{body['id']}").json() == body
        r = c.put(f"/api/v1/planner_notes/{body['id']}", data={"title": "Read ch. 4", "course_id": str(course.id)})
        assert r.json() == _note_body(r.json(), student.id, title="Read ch. 4", course_id=course.id)
        stored = _note(world, body["id"])
        assert (stored.title, stored.details, stored.course_id, stored.user_id) == (
            "Read ch. 4", "pages 40-60", course.id, student.id)
        r = c.delete(f"/api/v1/planner_notes/{body['id']}")
        assert (r.status_code, r.json()["workflow_state"]) == (200, "deleted")
        assert _note(world, body["id"]).workflow_state == "deleted"
        assert (c.get(f"/api/v1/planner_notes/{body['id']}").status_code, c.get("/api/v1/planner_notes").json()) == (
            404, [])


def test_notes_list_by_dates_and_contexts(world):
    course = world.course()
    student, token = world.user_with_token("ns2")
    world.enroll(student, course)
    with world.client(token) as c:
        for title, day, course_id in (("a", "2030-01-01", None), ("b", "2030-01-05", course.id),
                                      ("c", "2030-01-09", None)):
            data = {"title": title, "todo_date": f"{day}T12:00:00Z", **({"course_id": course_id} if course_id else {})}
            assert c.post("/api/v1/planner_notes", data=data).status_code == 201

        def titles(**params):
            return [n["title"] for n in c.get("/api/v1/planner_notes", params=params).json()]

        assert titles() == ["a", "b", "c"]
        assert titles(start_date="2030-01-05", end_date="2030-01-09") == ["b", "c"]
        assert titles(end_date="2030-01-05") == ["a", "b"]
        assert titles(**{"context_codes[]": f"course_{course.id}"}) == ["b"]
        assert titles(**{"context_codes[]": [f"user_{student.id}"]}) == ["a", "c"]
        r = c.get("/api/v1/planner_notes", params={"per_page": 2})
        assert [n["title"] for n in r.json()] == ["a", "b"] and 'rel="next"' in r.headers["Link"]


def test_notes_are_their_owners_alone(world):
    owner, owner_token = world.user_with_token("ns3")
    _, other_token = world.user_with_token("ns4")
    with world.client(owner_token) as c:
        note = c.post("/api/v1/planner_notes", data={"title": "Mine", "todo_date": "2030-01-01"}).json()
    with world.client(other_token) as c:
        assert c.get("/api/v1/planner_notes").json() == []
        for r in (c.get(f"/api/v1/planner_notes/{note['id']}"),
                  c.put(f"/api/v1/planner_notes/{note['id']}", data={"title": "Theirs"}),
                  c.delete(f"/api/v1/planner_notes/{note['id']}"),
                  c.get("/api/v1/planner_notes/99999999")):
            assert (r.status_code, r.json()) == (404, NOT_FOUND)
    stored = _note(world, note["id"])
    assert (stored.title, stored.workflow_state) == ("Mine", "active")


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"todo_date": "2030-01-01"}, "title", "title is required"),
    ({"title": "x"}, "todo_date", "todo_date is required"),
    ({"title": "x", "todo_date": "soon"}, "todo_date", "todo_date must be an ISO 8601 date, got 'soon'"),
    ({"title": "x", "todo_date": "2030-01-01", "course_id": "abc"}, "course_id",
     "course_id must be an integer, got 'abc'"),
    ({"title": "x", "todo_date": "2030-01-01", "course_id": "99999999"}, "course_id",
     "course_id 99999999 must name a course you are enrolled in"),
])
def test_bad_note_input_is_400_naming_the_field(world, data, field, message):
    user, token = world.user_with_token("ns5")
    with world.client(token) as c:
        r = c.post("/api/v1/planner_notes", data=data)
    assert (r.status_code, r.json()) == (400, {"errors": [{"field": field, "message": message}]})
    with world.tx() as db:
        assert db.query(PlannerNote).filter_by(user_id=user.id).count() == 0


def test_note_in_a_course_not_enrolled_in_is_400(world):
    course = world.course()
    _, token = world.user_with_token("ns6")
    with world.client(token) as c:
        r = c.post("/api/v1/planner_notes", data={"title": "x", "todo_date": "2030-01-01", "course_id": course.id})
    assert (r.status_code, r.json()["errors"][0]["field"]) == (400, "course_id")


def _override_body(b, user_id: int, **fields):
    body = {"id": b["id"], "plannable_type": "assignment", "plannable_id": b["plannable_id"], "user_id": user_id,
            "assignment_id": b["plannable_id"], "workflow_state": "active", "marked_complete": True,
            "dismissed": False, "created_at": b["created_at"], "updated_at": b["updated_at"], "deleted_at": None}
    body.update(fields)
    return body


def test_override_create_exact_body_update_delete(world):
    course = world.course()
    student, token = world.user_with_token("os1")
    world.enroll(student, course)
    assignment = world.assignment(course, "Essay")
    with world.client(token) as c:
        r = c.post("/api/v1/planner/overrides", data={"plannable_type": "assignment", "plannable_id": assignment.id,
                                                       "marked_complete": "true"})
        assert r.status_code == 201, r.text
        body = r.json()
        assert body == _override_body(body, student.id) and body["plannable_id"] == assignment.id
        assert c.get(f"/api/v1/planner/overrides/{body['id']}").json() == body
        assert c.get("/api/v1/planner/overrides").json() == [body]
        r = c.put(f"/api/v1/planner/overrides/{body['id']}", data={"marked_complete": "false", "dismissed": "true"})
        assert r.json() == _override_body(r.json(), student.id, marked_complete=False, dismissed=True)
        row = _override(world, body["id"])
        assert (row.plannable_type, row.plannable_id, row.marked_complete, row.dismissed) == (
            "assignment", assignment.id, False, True)
        again = c.post("/api/v1/planner/overrides", data={"plannable_type": "assignment",
                                                          "plannable_id": assignment.id})
        assert (again.status_code, again.json()["errors"][0]["field"]) == (400, "plannable_id")
        r = c.delete(f"/api/v1/planner/overrides/{body['id']}")
        assert (r.json()["workflow_state"], r.json()["deleted_at"] is not None) == ("deleted", True)
        assert _override(world, body["id"]).workflow_state == "deleted"
        assert c.get(f"/api/v1/planner/overrides/{body['id']}").status_code == 404
        assert c.get("/api/v1/planner/overrides").json() == []
        revived = c.post("/api/v1/planner/overrides", data={"plannable_type": "assignment",
                                                            "plannable_id": assignment.id})
        assert (revived.status_code, revived.json()["id"], revived.json()["marked_complete"]) == (
            201, body["id"], False)


def test_override_of_a_page_and_a_note_use_canvas_type_names(world):
    course = world.course()
    student, token = world.user_with_token("os2")
    world.enroll(student, course)
    with world.client(world.admin_token) as c:
        page = c.post(f"/api/v1/courses/{course.id}/pages",
                      data={"wiki_page[title]": "Intro", "wiki_page[published]": "true"}).json()
    with world.client(token) as c:
        note = c.post("/api/v1/planner_notes", data={"title": "x", "todo_date": "2030-01-01"}).json()
        on_page = c.post("/api/v1/planner/overrides",
                         data={"plannable_type": "wiki_page", "plannable_id": page["page_id"]}).json()
        on_note = c.post("/api/v1/planner/overrides",
                         data={"plannable_type": "planner_note", "plannable_id": note["id"]}).json()
    assert (on_page["plannable_type"], on_page["assignment_id"], on_note["plannable_type"]) == (
        "wiki_page", None, "planner_note")
    assert _override(world, on_page["id"]).plannable_type == "page"


@pytest.mark.parametrize(("data", "field"), [
    ({"plannable_id": "1"}, "plannable_type"),
    ({"plannable_type": "sub_assignment", "plannable_id": "1"}, "plannable_type"),
    ({"plannable_type": "assignment"}, "plannable_id"),
    ({"plannable_type": "assignment", "plannable_id": "x"}, "plannable_id"),
    ({"plannable_type": "assignment", "plannable_id": "99999999"}, "plannable_id"),
    ({"plannable_type": "planner_note", "plannable_id": "99999999"}, "plannable_id"),
    ({"plannable_type": "assignment", "plannable_id": "1", "marked_complete": "maybe"}, "marked_complete"),
])
def test_bad_override_input_is_400_naming_the_field(world, data, field):
    user, token = world.user_with_token("os3")
    with world.client(token) as c:
        r = c.post("/api/v1/planner/overrides", data=data)
    assert (r.status_code, r.json()["errors"][0]["field"]) == (400, field), r.text
    with world.tx() as db:
        assert db.query(PlannerOverride).filter_by(user_id=user.id).count() == 0


def test_overrides_of_unreadable_items_and_of_others_are_refused(world):
    course = world.course()
    assignment = world.assignment(course, "Secret")
    owner, owner_token = world.user_with_token("os4")
    world.enroll(owner, course)
    _, outsider_token = world.user_with_token("os5")
    with world.client(outsider_token) as c:
        r = c.post("/api/v1/planner/overrides", data={"plannable_type": "assignment", "plannable_id": assignment.id})
        assert (r.status_code, r.json()["errors"][0]["field"]) == (400, "plannable_id")
    with world.client(owner_token) as c:
        mine = c.post("/api/v1/planner/overrides",
                      data={"plannable_type": "assignment", "plannable_id": assignment.id}).json()
    with world.client(outsider_token) as c:
        assert c.get("/api/v1/planner/overrides").json() == []
        for r in (c.get(f"/api/v1/planner/overrides/{mine['id']}"),
                  c.put(f"/api/v1/planner/overrides/{mine['id']}", data={"dismissed": "true"}),
                  c.delete(f"/api/v1/planner/overrides/{mine['id']}")):
            assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert (_override(world, mine["id"]).dismissed, _override(world, mine["id"]).workflow_state) == (False, "active")
