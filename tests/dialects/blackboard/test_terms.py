"""Learn Terms API over HTTP: create, get by id forms, patch, list, delete, and a course made in a term."""

from __future__ import annotations

import pytest

TERMS = "/learn/api/public/v1/terms"
COURSES = "/learn/api/public/v3/courses"


@pytest.fixture
def learn(world):
    with world.client(world.blackboard_token()) as http:
        yield http


def create(learn, external_id="2026-FA", **body):
    answer = learn.post(TERMS, json={"externalId": external_id, "name": "Fall 2026", **body})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_create_answers_the_term(learn):
    body = create(learn, description="The fall term", availability={
        "available": "No", "duration": {"type": "DateRange", "start": "2026-09-01T00:00:00Z",
                                        "end": "2026-12-20T00:00:00Z"}})
    assert body == {"id": body["id"], "externalId": "2026-FA", "dataSourceId": "_2_1", "name": "Fall 2026",
                    "description": "The fall term", "availability": {"available": "No", "duration": {
                        "type": "DateRange", "start": "2026-09-01T00:00:00.000Z",
                        "end": "2026-12-20T00:00:00.000Z"}}}
    assert body["id"].startswith("_") and body["id"].endswith("_1")


def test_get_by_id_forms_and_patch(learn):
    body = create(learn)
    assert body["availability"] == {"available": "Yes", "duration": {"type": "Continuous"}}
    for ref in (body["id"], "externalId:2026-FA"):
        assert learn.get(f"{TERMS}/{ref}").json() == body, ref
    for ref in ("2026-FA", "uuid:x", "_99999999_1"):
        assert learn.get(f"{TERMS}/{ref}").status_code == 404, ref
    answer = learn.patch(f"{TERMS}/externalId:2026-FA", json={
        "name": "Autumn", "availability": {"duration": {"type": "FixedNumDays", "daysOfUse": 90}}})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["name"], answer.json()["availability"]["duration"]) == (
        "Autumn", {"type": "FixedNumDays", "daysOfUse": 90})


def test_create_refuses_bad_bodies(learn):
    answer = learn.post(TERMS, json={"name": "No id"})
    assert (answer.status_code, answer.json()) == (400, {"status": 400, "message": "externalId is required"})
    answer = learn.post(TERMS, json={"externalId": "x", "name": "y", "availability": {"available": "Maybe"}})
    assert answer.json() == {"status": 400, "message": "availability.available must be Yes or No"}
    create(learn)
    answer = learn.post(TERMS, json={"externalId": "2026-FA", "name": "Again"})
    assert answer.json() == {"status": 409, "message": "A term with the same externalId already exists"}


def test_list_pages_and_filters(learn):
    for n in range(3):
        create(learn, f"T{n}", availability={"available": "Yes" if n else "No"})
    first = learn.get(TERMS, params={"externalId": "T", "limit": 2}).json()
    assert [t["externalId"] for t in first["results"]] == ["T0", "T1"]
    assert first["paging"]["nextPage"] == f"{TERMS}?externalId=T&offset=2&limit=2"
    hidden = learn.get(TERMS, params={"availability.available": "No"}).json()["results"]
    assert [t["externalId"] for t in hidden] == ["T0"]


def test_course_in_the_term_then_delete_rules(learn):
    term = create(learn)
    course = learn.post(COURSES, json={"courseId": "bio", "name": "Bio", "termId": term["id"]})
    assert course.status_code == 201, course.text
    assert course.json()["termId"] == term["id"]
    listed = learn.get(COURSES, params={"termId": term["id"]}).json()["results"]
    assert [c["courseId"] for c in listed] == ["bio"]
    by_external = learn.post(COURSES, json={"courseId": "chem", "name": "Chem", "termId": "externalId:2026-FA"})
    assert by_external.json()["termId"] == term["id"]
    answer = learn.post(COURSES, json={"courseId": "x", "name": "X", "termId": "fall"})
    assert answer.json() == {"status": 400, "message": "termId 'fall' names no term"}
    assert learn.delete(f"{TERMS}/{term['id']}").status_code == 400  # a term with live courses stays
    empty = create(learn, "EMPTY")
    assert learn.delete(f"{TERMS}/{empty['id']}").status_code == 204
    assert learn.get(f"{TERMS}/{empty['id']}").status_code == 404
