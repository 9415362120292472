"""Learn course memberships over HTTP: put, get, list by course and by user (paged), patch, delete, and
the same rows read through the Canvas face."""

from __future__ import annotations

import pytest

from tests.dialects.blackboard.test_users import USERS, create

V1 = "/learn/api/public/v1"
COURSES = "/learn/api/public/v3/courses"


@pytest.fixture
def learn(world):
    with world.client(world.blackboard_token()) as http:
        yield http


@pytest.fixture
def course(learn):
    answer = learn.post(COURSES, json={"courseId": "bio101", "name": "Biology 101"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def put(learn, course_ref, user_ref, **body):
    answer = learn.put(f"{V1}/courses/{course_ref}/users/{user_ref}", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_put_answers_the_membership(learn, course):
    user = create(learn)
    body = put(learn, "courseId:bio101", "userName:jdoe", courseRoleId="Instructor")
    assert body.pop("created") and body.pop("modified")
    assert body == {"id": body["id"], "userId": user["id"], "courseId": course["id"], "dataSourceId": "_2_1",
                    "availability": {"available": "Yes"}, "courseRoleId": "Instructor"}
    again = learn.put(f"{V1}/courses/{course['id']}/users/{user['id']}", json={})
    assert (again.status_code, again.json()) == (409, {"status": 409, "message": "User already enrolled"})


def test_get_by_every_id_form_and_expand(learn, course):
    user = create(learn, externalId="SIS-7")
    put(learn, course["id"], user["id"])
    for course_ref in (course["id"], "courseId:bio101", f"uuid:{course['uuid']}"):
        for user_ref in (user["id"], "userName:jdoe", "externalId:SIS-7", f"uuid:{user['uuid']}"):
            answer = learn.get(f"{V1}/courses/{course_ref}/users/{user_ref}")
            assert answer.status_code == 200 and answer.json()["courseRoleId"] == "Student", (course_ref, user_ref)
    expanded = learn.get(f"{V1}/courses/{course['id']}/users/{user['id']}", params={"expand": "user"}).json()
    assert expanded["user"]["userName"] == "jdoe"
    other = create(learn, "other")
    answer = learn.get(f"{V1}/courses/{course['id']}/users/{other['id']}")
    assert (answer.status_code, answer.json()) == (404, {"status": 404, "message": "Membership not found"})


def test_patch_role_and_availability_then_delete(learn, course):
    user = create(learn)
    put(learn, course["id"], user["id"])
    path = f"{V1}/courses/{course['id']}/users/{user['id']}"
    answer = learn.patch(path, json={"courseRoleId": "TeachingAssistant", "availability": {"available": "No"}})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["courseRoleId"], answer.json()["availability"]) == ("TeachingAssistant",
                                                                              {"available": "No"})
    answer = learn.patch(path, json={"availability": {"available": "Yes"}})
    assert answer.json()["availability"] == {"available": "Yes"}
    answer = learn.patch(path, json={"courseRoleId": "Dean"})
    assert answer.json() == {"status": 400, "message": (
        "courseRoleId must be one of Student, Instructor, TeachingAssistant, CourseBuilder, Grader, got 'Dean'")}
    assert learn.delete(path).status_code == 204
    assert learn.get(path).status_code == 404
    assert learn.delete(path).status_code == 404


def test_lists_for_course_and_user_page(learn, course):
    for n in range(3):
        create(learn, f"pupil{n}")
        put(learn, course["id"], f"userName:pupil{n}")
    create(learn, "teacher")
    put(learn, course["id"], "userName:teacher", courseRoleId="Instructor")
    first = learn.get(f"{V1}/courses/{course['id']}/users", params={"limit": 2, "role": "Student"}).json()
    assert len(first["results"]) == 2
    assert first["paging"]["nextPage"] == f"{V1}/courses/{course['id']}/users?role=Student&offset=2&limit=2"
    second = learn.get(first["paging"]["nextPage"]).json()
    assert len(second["results"]) == 1 and "paging" not in second
    listed = first["results"] + second["results"]
    assert {m["courseRoleId"] for m in listed} == {"Student"}
    other = learn.post(COURSES, json={"courseId": "chem", "name": "Chemistry"}).json()
    put(learn, other["id"], "userName:pupil0", courseRoleId="Grader")
    mine = learn.get(f"{V1}/users/userName:pupil0/courses", params={"limit": 1}).json()
    assert [m["courseId"] for m in mine["results"]] == [course["id"]]
    rest = learn.get(mine["paging"]["nextPage"]).json()
    assert [(m["courseId"], m["courseRoleId"]) for m in rest["results"]] == [(other["id"], "TeachingAssistant")]


def test_a_student_may_not_enroll_others(world, learn, course):
    create(learn)
    student, _ = world.user_with_token("kid")
    put(learn, course["id"], "userName:kid")
    with world.client(world.blackboard_token(student)) as http:
        answer = http.put(f"{V1}/courses/{course['id']}/users/userName:jdoe", json={})
        assert answer.json() == {"status": 403, "message": "User is not authorized to perform this operation"}


def test_learn_user_and_membership_read_through_canvas(world, learn, course):
    user = create(learn, contact={"email": "jane@example.test"})
    put(learn, course["id"], user["id"], courseRoleId="Instructor")
    number, course_number = user["id"].split("_")[1], course["id"].split("_")[1]
    with world.client(world.admin_token) as canvas:
        seen = canvas.get(f"/api/v1/users/{number}").json()
        assert (seen["id"], seen["name"], seen["login_id"]) == (int(number), "Jane Doe", "jdoe")
        listed = canvas.get(f"/api/v1/courses/{course_number}/enrollments").json()
        assert [(e["user_id"], e["type"], e["enrollment_state"]) for e in listed] == [
            (int(number), "TeacherEnrollment", "active")]
    assert learn.get(f"{USERS}/{user['id']}").status_code == 200
