"""Learn Courses API over HTTP: exact bodies, id forms, fields=, filters, paging, errors."""

from __future__ import annotations

import re

import pytest

from courseport.db import transaction
from courseport.schema import Course

V3 = "/learn/api/public/v3/courses"
_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
def learn(world):
    with world.client(world.blackboard_token()) as http:
        yield http


def _create(learn, **body):
    answer = learn.post(V3, json={"courseId": "bio101", "name": "Biology 101", **body})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_create_answers_the_whole_course_object(world, learn):
    body = _create(learn, description="Cells and more", externalId="SIS-BIO-101", dataSourceId="_7_1")
    number = int(body["id"].split("_")[1])
    with transaction(world.engine, write=False) as db:
        course = db.get(Course, number)
        uuid, term = course.uuid, course.enrollment_term_id
    assert _STAMP.match(body.pop("created")) and _STAMP.match(body.pop("modified"))
    assert body == {
        "id": f"_{number}_1", "uuid": uuid, "externalId": "SIS-BIO-101", "dataSourceId": "_7_1",
        "courseId": "bio101", "name": "Biology 101", "description": "Cells and more", "organization": False,
        "ultraStatus": "Undecided", "allowGuests": False, "allowObservers": False, "closedComplete": False,
        "termId": f"_{term}_1", "availability": {"available": "Yes", "duration": {"type": "Continuous"}},
        "enrollment": {"type": "InstructorLed"}, "locale": {"force": False}, "hasChildren": False,
        "externalAccessUrl": f"{world.base_url}/courses/{number}",
    }
    assert course.workflow_state == "available" and course.course_code == "bio101"


def test_create_defaults_external_id_and_data_source(learn):
    body = _create(learn, ultraStatus="Classic", availability={"available": "No"})
    assert (body["externalId"], body["dataSourceId"]) == ("bio101", "_2_1")
    assert body["allowGuests"] is True and body["guestAccessUrl"] == body["externalAccessUrl"]
    assert body["availability"]["available"] == "No"


def test_every_id_form_reaches_the_course(learn):
    body = _create(learn, externalId="ext-1")
    for ref in (body["id"], "courseId:bio101", "externalId:ext-1", f"uuid:{body['uuid']}"):
        answer = learn.get(f"{V3}/{ref}")
        assert answer.status_code == 200, ref
        assert answer.json()["id"] == body["id"]
    for ref in ("bio101", "_99999999_1", "courseId:nope", "name:bio101", "_1_2"):
        answer = learn.get(f"{V3}/{ref}")
        assert answer.status_code == 404, ref
        assert answer.json() == {"status": 404, "message": "Course not found"}


def test_fields_selects_top_level_and_nested_parts(learn):
    body = _create(learn)
    answer = learn.get(f"{V3}/{body['id']}", params={"fields": "id,name,availability.available,nope"})
    assert answer.json() == {"id": body["id"], "name": "Biology 101", "availability": {"available": "Yes"}}


def test_patch_changes_record_fields_and_course_state(world, learn):
    body = _create(learn)
    answer = learn.patch(f"{V3}/courseId:bio101", json={
        "externalId": "mbk-target", "name": "Biology (copy)", "description": "my copied course",
        "availability": {"available": "Disabled", "duration": {"type": "DateRange", "start": "2027-01-10T00:00:00Z",
                                                               "end": "2027-05-01T00:00:00.000Z"}},
        "enrollment": {"type": "SelfEnrollment", "accessCode": "joinme"}, "locale": {"id": "fr", "force": True},
        "allowGuests": True, "allowObservers": True})
    assert answer.status_code == 200, answer.text
    got = answer.json()
    assert (got["externalId"], got["name"], got["description"]) == ("mbk-target", "Biology (copy)", "my copied course")
    assert got["availability"] == {"available": "Disabled", "duration": {
        "type": "DateRange", "start": "2027-01-10T00:00:00.000Z", "end": "2027-05-01T00:00:00.000Z"}}
    assert got["enrollment"] == {"type": "SelfEnrollment", "accessCode": "joinme"}
    assert got["locale"] == {"id": "fr", "force": True}
    assert (got["allowGuests"], got["allowObservers"]) == (True, True)
    with transaction(world.engine, write=False) as db:
        course = db.get(Course, int(body["id"].split("_")[1]))
    assert (course.workflow_state, course.self_enrollment, course.public_description) == (
        "unpublished", True, "my copied course")
    assert learn.get(f"{V3}/externalId:mbk-target").json()["courseId"] == "bio101"


def test_patch_duration_kinds_and_closed_complete(learn):
    _create(learn)
    fixed = learn.patch(f"{V3}/courseId:bio101", json={
        "availability": {"duration": {"type": "FixedNumDays", "daysOfUse": 30}}, "closedComplete": True})
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["availability"] == {"available": "Yes", "duration": {"type": "FixedNumDays", "daysOfUse": 30}}
    assert fixed.json()["closedComplete"] is True
    back = learn.patch(f"{V3}/courseId:bio101", json={
        "availability": {"duration": {"type": "Continuous"}}, "closedComplete": False})
    assert back.json()["availability"] == {"available": "Yes", "duration": {"type": "Continuous"}}
    assert back.json()["closedComplete"] is False


@pytest.mark.parametrize("body, status, message", [
    ({"name": "No id"}, 400, "courseId is required"),
    ({"courseId": "x"}, 400, "name is required"),
    ({"courseId": "x", "name": "X", "availability": {"available": "Maybe"}}, 400,
     "availability.available must be one of Yes, No, Disabled, Term, got 'Maybe'"),
    ({"courseId": "x", "name": "X", "colour": "red"}, 400, "colour is not a field that may be set"),
    ({"courseId": "x", "name": "X", "organization": "yes"}, 400, "organization must be true or false"),
    ({"courseId": "x", "name": "X", "availability": {"duration": {"type": "Continuous", "start": "2027-01-01"}}},
     400, "availability.duration.start and end may only be set when the type is DateRange"),
    ({"courseId": "bio101", "name": "Again"}, 409, "A course with courseId 'bio101' already exists"),
    ({"courseId": "y", "name": "Y", "externalId": "bio101"}, 409, "A course with externalId 'bio101' already exists"),
])
def test_create_errors_name_the_field(learn, body, status, message):
    _create(learn)
    answer = learn.post(V3, json=body)
    assert answer.status_code == status
    assert answer.json() == {"status": status, "message": message}
    assert learn.get(V3, params={"fields": "courseId"}).json() == {"results": [{"courseId": "bio101"}]}


def test_patch_errors(learn):
    _create(learn)
    _create(learn, courseId="chem1", name="Chemistry")
    cases = [({"externalId": "bio101"}, 409), ({"courseId": "new"}, 400), ({"name": ""}, 400),
             ({"availability": {"duration": {"type": "FixedNumDays"}}}, 400), ({"termId": "_99999999_1"}, 400)]
    for body, status in cases:
        answer = learn.patch(f"{V3}/courseId:chem1", json=body)
        assert answer.status_code == status, body
        assert answer.json()["status"] == status
    assert learn.patch(f"{V3}/_99999999_1", json={"name": "x"}).json() == {"status": 404, "message": "Course not found"}
    assert learn.get(f"{V3}/courseId:chem1").json()["externalId"] == "chem1"


def test_list_pages_by_offset_and_limit_with_next_page_absent_on_the_last(learn):
    for n in range(5):
        _create(learn, courseId=f"c{n}", name=f"Course {n}")
    first = learn.get(V3, params={"limit": 2, "fields": "courseId", "name": "course"})
    assert first.json() == {"results": [{"courseId": "c0"}, {"courseId": "c1"}], "paging": {
        "nextPage": "/learn/api/public/v3/courses?fields=courseId&name=course&offset=2&limit=2"}}
    second = learn.get(first.json()["paging"]["nextPage"])
    assert second.json()["results"] == [{"courseId": "c2"}, {"courseId": "c3"}]
    last = learn.get(second.json()["paging"]["nextPage"])
    assert last.json() == {"results": [{"courseId": "c4"}]}


def test_list_filters(world, learn):
    _create(learn, courseId="math-1", name="Algebra", dataSourceId="_9_1", availability={"available": "No"})
    _create(learn, courseId="math-2", name="Geometry", externalId="GEO")
    world.course("Made in Canvas")
    ids = lambda **params: [c["courseId"]  # noqa: E731
                            for c in learn.get(V3, params={"fields": "courseId", **params}).json()["results"]]
    assert ids(courseId="MATH") == ["math-1", "math-2"]
    assert ids(dataSourceId="_9_1") == ["math-1"]
    assert ids(dataSourceId="_2_1") == ["math-2", "Made"]
    assert ids(**{"availability.available": "No"}) == ["math-1"]
    assert ids(externalId="geo") == ["math-2"]
    assert ids(sort="courseId(desc)") == ["math-2", "math-1", "Made"]
    assert ids(created="2000-01-01T00:00:00Z", createdCompare="lessThan") == []
    bad = learn.get(V3, params={"limit": "ten"})
    assert bad.status_code == 400 and bad.json() == {"status": 400, "message": "limit must be an integer, got 'ten'"}
    assert learn.get(V3, params={"sort": "uuid"}).json()["status"] == 400


def test_delete_removes_the_course(learn):
    body = _create(learn)
    answer = learn.delete(f"{V3}/{body['id']}")
    assert answer.status_code == 202 and answer.content == b""
    assert learn.get(f"{V3}/{body['id']}").status_code == 404
    assert learn.delete(f"/learn/api/public/v1/courses/{body['id']}").status_code == 404
    assert learn.get(V3).json() == {"results": []}
    _create(learn)  # the courseId is free again


def test_older_version_paths_reach_the_same_handlers(learn):
    body = _create(learn)
    for version in ("v1", "v2"):
        assert learn.get(f"/learn/api/public/{version}/courses/{body['id']}").json()["courseId"] == "bio101"
