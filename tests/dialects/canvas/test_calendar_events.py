"""Canvas Calendar Events API (course calendars) over raw HTTP: exact bodies, date ranges, rights, errors."""

from __future__ import annotations

import pytest

from courseport.schema import ContentItem
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _event_body(e, origin: str, course, **overrides):
    code = f"course_{course.id}"
    body = {
        "id": e["id"], "title": "Lab", "start_at": "2030-01-10T14:00:00Z", "end_at": "2030-01-10T16:00:00Z",
        "description": "<b>Bring goggles</b>", "location_name": "Room 4", "location_address": "1 Main St",
        "context_code": code, "effective_context_code": None, "context_name": course.name, "context_color": None,
        "all_context_codes": code, "workflow_state": "active", "hidden": False, "parent_event_id": None,
        "child_events_count": 0, "child_events": [], "all_day": False, "all_day_date": "2030-01-10",
        "comments": None, "series_uuid": None, "rrule": None, "blackout_date": False, "important_dates": False,
        "created_at": e["created_at"], "updated_at": e["updated_at"],
        "url": f"{origin}/api/v1/calendar_events/{e['id']}",
        "html_url": f"{origin}/calendar?event_id={e['id']}&include_contexts={code}", "duplicates": [],
        "type": "event",
    }
    body.update(overrides)
    return body


_LAB = {"calendar_event[title]": "Lab", "calendar_event[description]": "<b>Bring goggles</b><script>x()</script>",
        "calendar_event[start_at]": "2030-01-10T15:00:00+01:00", "calendar_event[end_at]": "2030-01-10T16:00:00Z",
        "calendar_event[location_name]": "Room 4", "calendar_event[location_address]": "1 Main St"}


def _create(c, course, **fields):
    data = {**_LAB, "calendar_event[context_code]": f"course_{course.id}",
            **{f"calendar_event[{k}]": v for k, v in fields.items()}}
    r = c.post("/api/v1/calendar_events", data=data)
    assert r.status_code == 201, r.text
    return r.json()


def _item(world, item_id: int) -> ContentItem:
    with world.tx() as db:
        return db.get(ContentItem, item_id)


def test_create_exact_body_and_stored_item(world):
    course = world.course("Chemistry 101")
    with world.client(world.admin_token) as c:
        body = _create(c, course)
        assert body == _event_body(body, world.base_url, course)
        assert c.get(f"/api/v1/calendar_events/{body['id']}").json() == body
    item = _item(world, body["id"])
    assert (item.type, item.course_id, item.workflow_state, item.body) == (
        "calendar_event", course.id, "active", "<b>Bring goggles</b>")
    assert item.data == {"location_name": "Room 4", "location_address": "1 Main St", "all_day": False}


def test_defaults_missing_end_and_all_day(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/calendar_events", data={"calendar_event[context_code]": f"course_{course.id}",
                                                    "calendar_event[start_at]": "2030-02-01T00:00:00Z"})
        body = r.json()
        assert (body["title"], body["end_at"], body["all_day"], body["all_day_date"]) == (
            "Course Event", "2030-02-01T00:00:00Z", True, "2030-02-01")
        flagged = c.post("/api/v1/calendar_events", data={
            "calendar_event[context_code]": f"course_{course.id}", "calendar_event[all_day]": "true",
            "calendar_event[start_at]": "2030-02-03T13:30:00Z",
            "calendar_event[end_at]": "2030-02-03T15:00:00Z"}).json()
        assert (flagged["start_at"], flagged["end_at"], flagged["all_day"]) == (
            "2030-02-03T00:00:00Z", "2030-02-03T00:00:00Z", True)
        undated = c.post("/api/v1/calendar_events", data={"calendar_event[context_code]": f"course_{course.id}"}).json()
        assert (undated["start_at"], undated["end_at"], undated["all_day"], undated["all_day_date"]) == (
            None, None, False, None)


def test_update_changes_given_fields_and_state(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        body = _create(c, course)
        r = c.put(f"/api/v1/calendar_events/{body['id']}", data={
            "calendar_event[title]": "Lab moved", "calendar_event[start_at]": "2030-01-11T09:00:00Z",
            "calendar_event[end_at]": "2030-01-11T10:00:00Z", "calendar_event[location_name]": ""})
        assert r.status_code == 200
        changed = r.json()
        assert changed == _event_body(body, world.base_url, course, title="Lab moved", location_name=None,
                                      start_at="2030-01-11T09:00:00Z", end_at="2030-01-11T10:00:00Z",
                                      all_day_date="2030-01-11", updated_at=changed["updated_at"])
    item = _item(world, body["id"])
    assert (item.title, item.data["location_name"], item.data["location_address"]) == ("Lab moved", None, "1 Main St")
    assert set(item.local_edits) >= {"title", "start_at", "end_at", "data"}


def test_delete_returns_the_deleted_event_with_its_reason(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        body = _create(c, course)
        r = c.request("DELETE", f"/api/v1/calendar_events/{body['id']}", data={"cancel_reason": "Snow day"})
        assert r.status_code == 200
        assert r.json() == _event_body(body, world.base_url, course, workflow_state="deleted",
                                       updated_at=r.json()["updated_at"])
        assert c.get(f"/api/v1/calendar_events/{body['id']}").json() == NOT_FOUND
        assert c.delete(f"/api/v1/calendar_events/{body['id']}").status_code == 404
        listed = c.get("/api/v1/calendar_events", params={"context_codes[]": f"course_{course.id}",
                                                          "all_events": "true"})
        assert listed.json() == []
    assert _item(world, body["id"]).data["cancel_reason"] == "Snow day"


def test_list_by_range_undated_and_all(world):
    course, other = world.course("A"), world.course("B")
    with world.client(world.admin_token) as c:
        ids = {}
        for name, start, end in (("jan10", "2030-01-10T10:00:00Z", "2030-01-10T11:00:00Z"),
                                 ("jan09", "2030-01-09T23:00:00Z", "2030-01-10T01:00:00Z"),
                                 ("jan12", "2030-01-12T10:00:00Z", "2030-01-12T11:00:00Z")):
            ids[name] = _create(c, course, title=name, start_at=start, end_at=end)["id"]
        ids["undated"] = c.post("/api/v1/calendar_events", data={
            "calendar_event[context_code]": f"course_{course.id}", "calendar_event[title]": "undated"}).json()["id"]
        _create(c, other, title="elsewhere", start_at="2030-01-10T09:30:00Z", end_at="2030-01-10T09:30:00Z")

        def titles(**params):
            r = c.get("/api/v1/calendar_events", params={"context_codes[]": f"course_{course.id}", **params})
            assert r.status_code == 200, r.text
            return [e["title"] for e in r.json()]

        assert titles(start_date="2030-01-10", end_date="2030-01-10") == ["jan09", "jan10"]
        assert titles(start_date="2030-01-10", end_date="2030-01-12") == ["jan09", "jan10", "jan12"]
        assert titles(start_date="2030-01-10T10:30:00Z", end_date="2030-01-12T09:00:00Z") == ["jan10"]
        assert titles(start_date="2030-01-11", end_date="2030-01-01") == []  # an earlier end means the start's day
        assert titles(undated="true") == ["undated"]
        assert titles(all_events="true") == ["jan09", "jan10", "jan12", "undated"]
        assert titles() == []  # today only
        assert titles(all_events="true", type="assignment") == []
        paged = c.get("/api/v1/calendar_events", params={"context_codes[]": f"course_{course.id}",
                                                         "all_events": "true", "per_page": 3})
        assert len(paged.json()) == 3 and 'rel="next"' in paged.headers["Link"]
        both = c.get("/api/v1/calendar_events", params=[("context_codes[]", f"course_{course.id}"),
                                                        ("context_codes[]", f"course_{other.id}"),
                                                        ("start_date", "2030-01-10"), ("end_date", "2030-01-10")])
        assert [e["title"] for e in both.json()] == ["jan09", "elsewhere", "jan10"]
        assert c.get("/api/v1/calendar_events", params={"all_events": "true"}).json() == []  # own calendar


@pytest.mark.parametrize("params, field, message", [
    ({"start_date": "soon"}, "start_date", "Invalid date or invalid datetime for start_date"),
    ({"end_date": "2030-13-01"}, "end_date", "Invalid date or invalid datetime for end_date"),
    ({"type": "meeting"}, "type", "type must be one of: event, assignment, sub_assignment"),
    ({"all_events": "sometimes"}, "all_events", "all_events must be a boolean (true or false), got 'sometimes'"),
])
def test_bad_list_parameters_are_400(world, params, field, message):
    course = world.course()
    with world.client(world.admin_token) as c:
        r = c.get("/api/v1/calendar_events", params={"context_codes[]": f"course_{course.id}", **params})
    assert (r.status_code, r.json()) == (400, {"errors": [{"field": field, "message": message}]})


def test_members_read_managers_write(world):
    course = world.course()
    cast = world.cast(course)
    with world.client(world.admin_token) as c:
        body = _create(c, course)
    url = f"/api/v1/calendar_events/{body['id']}"
    for role in ("student", "observer"):
        with world.client(cast[role]) as m:
            assert m.get(url).json()["title"] == "Lab"
            listed = m.get("/api/v1/calendar_events", params={"context_codes[]": f"course_{course.id}",
                                                              "all_events": "true"})
            assert [e["id"] for e in listed.json()] == [body["id"]]
            for r in (m.post("/api/v1/calendar_events", data={**_LAB, "calendar_event[context_code]":
                                                              f"course_{course.id}"}),
                      m.put(url, data={"calendar_event[title]": "Mine"}), m.delete(url)):
                assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.client(cast["outsider"]) as o:
        assert (o.get(url).status_code, o.put(url, data={"calendar_event[title]": "X"}).status_code) == (403, 403)
        hidden = o.get("/api/v1/calendar_events", params={"context_codes[]": f"course_{course.id}",
                                                          "all_events": "true"})
        assert (hidden.status_code, hidden.json()) == (200, [])
    for role in ("teacher", "ta", "designer"):
        with world.client(cast[role]) as staff:
            assert staff.put(url, data={"calendar_event[title]": role}).json()["title"] == role
    assert _item(world, body["id"]).title == "designer"


@pytest.mark.parametrize("fields, field, message", [
    ({"calendar_event[context_code]": ""}, "calendar_event[context_code]",
     "calendar_event[context_code] is required (course_<id>)"),
    ({"calendar_event[context_code]": "user_1"}, "calendar_event[context_code]",
     "calendar_event[context_code] 'user_1' must name a course calendar (course_<id>)"),
    ({"calendar_event[end_at]": "2030-01-10T13:00:00Z"}, "calendar_event[end_at]",
     "calendar_event[end_at] must not be before start_at"),
    ({"calendar_event[start_at]": "next week"}, "calendar_event[start_at]",
     "calendar_event[start_at] must be an ISO 8601 date, got 'next week'"),
    ({"calendar_event[all_day]": "maybe"}, "calendar_event[all_day]",
     "calendar_event[all_day] must be a boolean (true or false), got 'maybe'"),
    ({"calendar_event[title]": "x" * 256}, "calendar_event[title]",
     "calendar_event[title] is too long (at most 255 characters)"),
])
def test_bad_event_input_is_400_naming_the_field(world, fields, field, message):
    course = world.course()
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/calendar_events", data={**_LAB, "calendar_event[context_code]": f"course_{course.id}",
                                                     **fields})
        assert (r.status_code, r.json()) == (400, {"errors": [{"field": field, "message": message}]})
        listed = c.get("/api/v1/calendar_events", params={"context_codes[]": f"course_{course.id}",
                                                          "all_events": "true"})
        assert listed.json() == []


def test_update_cannot_end_before_start_or_change_calendar(world):
    course, other = world.course(), world.course("Other")
    with world.client(world.admin_token) as c:
        body = _create(c, course)
        url = f"/api/v1/calendar_events/{body['id']}"
        r = c.put(url, data={"calendar_event[end_at]": "2030-01-01T00:00:00Z"})
        assert r.json() == {"errors": [{"field": "calendar_event[end_at]",
                                        "message": "calendar_event[end_at] must not be before start_at"}]}
        r = c.put(url, data={"calendar_event[context_code]": f"course_{other.id}"})
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "calendar_event[context_code]"
        assert c.get(url).json() == body
        assert c.post("/api/v1/calendar_events", data={"calendar_event[context_code]": "course_999999"}).json() \
            == NOT_FOUND
        assert c.get("/api/v1/calendar_events/999999").status_code == 404
