"""Learn roles over HTTP: course roles (list, one by either id form), system and institution roles (an
administrator's), exact bodies, filters, sort, paging, errors and entitlements."""

from __future__ import annotations

import pytest

from tests.dialects.blackboard.test_entitlements import REFUSED, app_token

V1 = "/learn/api/public/v1"


@pytest.fixture
def learn(world):
    with world.client(world.blackboard_token()) as http:
        yield http


def test_course_roles_list_filters_and_sorts(learn):
    body = learn.get(f"{V1}/courseRoles").json()
    assert [r["roleId"] for r in body["results"]] == ["Instructor", "TeachingAssistant", "CourseBuilder",
                                                       "Grader", "Student", "Guest"]
    assert "paging" not in body
    assert body["results"][0] == {"id": "_1_1", "roleId": "Instructor", "nameForCourses": "Instructor",
                                  "nameForOrganizations": "Leader", "custom": False, "actAsInstructor": True,
                                  "availability": {"available": "Yes"}}
    assert learn.get(f"{V1}/courseRoles", params={"roleId": "Student"}).json()["results"][0]["id"] == "_5_1"
    assert learn.get(f"{V1}/courseRoles", params={"custom": "true"}).json() == {"results": []}
    assert len(learn.get(f"{V1}/courseRoles", params={"custom": "false"}).json()["results"]) == 6
    ordered = learn.get(f"{V1}/courseRoles", params={"sort": "roleId(desc)", "limit": 2}).json()
    assert [r["roleId"] for r in ordered["results"]] == ["TeachingAssistant", "Student"]
    rest = learn.get(ordered["paging"]["nextPage"]).json()
    assert [r["roleId"] for r in rest["results"]] == ["Instructor", "Guest"]
    answer = learn.get(f"{V1}/courseRoles", params={"sort": "name"})
    assert (answer.status_code, answer.json()) == (400, {"status": 400,
                                                         "message": "sort may name only roleId, custom, got 'name'"})


def test_one_course_role_by_either_id_form(learn):
    by_id = learn.get(f"{V1}/courseRoles/_6_1").json()
    assert by_id == {"id": "_6_1", "roleId": "Guest", "nameForCourses": "Guest", "nameForOrganizations": "Guest",
                     "custom": False, "actAsInstructor": False, "availability": {"available": "Yes"}}
    assert learn.get(f"{V1}/courseRoles/roleId:Guest").json() == by_id
    assert learn.get(f"{V1}/courseRoles/roleId:Grader", params={"fields": "id,roleId"}).json() == {
        "id": "_4_1", "roleId": "Grader"}
    for ref in ("_99999999_1", "roleId:Dean", "Guest", "externalId:Guest", "_1_2"):
        answer = learn.get(f"{V1}/courseRoles/{ref}")
        assert (answer.status_code, answer.json()) == (404, {"status": 404, "message": "Course role not found"}), ref


def test_system_roles(learn):
    body = learn.get(f"{V1}/systemRoles").json()
    assert [r["roleId"] for r in body["results"]] == [
        "AccountAdmin", "CourseCreator", "CourseSupport", "Guest", "Integration", "Observer", "Portal",
        "SystemAdmin", "SystemSupport", "User"]
    admin = learn.get(f"{V1}/systemRoles/roleId:SystemAdmin").json()
    assert admin == {"id": "_8_1", "roleId": "SystemAdmin", "name": "System Administrator",
                     "description": "Administers the whole system.", "custom": False}
    assert learn.get(f"{V1}/systemRoles/_8_1").json() == admin
    assert learn.get(f"{V1}/systemRoles", params={"roleId": "User"}).json()["results"][0]["id"] == "_10_1"
    assert learn.get(f"{V1}/systemRoles", params={"custom": "true"}).json() == {"results": []}
    page = learn.get(f"{V1}/systemRoles", params={"offset": 8, "limit": 5}).json()
    assert [r["roleId"] for r in page["results"]] == ["SystemSupport", "User"] and "paging" not in page
    answer = learn.get(f"{V1}/systemRoles/roleId:Dean")
    assert (answer.status_code, answer.json()) == (404, {"status": 404, "message": "System role not found"})


def test_institution_roles(learn):
    body = learn.get(f"{V1}/institutionRoles", params={"sort": "roleId"}).json()
    assert [r["roleId"] for r in body["results"]] == [
        "ALUMNI", "FACULTY", "GUEST", "OBSERVER", "OTHER", "PROSPECTIVE_STUDENT", "STAFF", "STUDENT"]
    student = learn.get(f"{V1}/institutionRoles/roleId:STUDENT").json()
    assert student == {"id": "_1_1", "roleId": "STUDENT", "name": "Student",
                       "description": "Students of the institution.", "custom": False}
    assert learn.get(f"{V1}/institutionRoles/_1_1").json() == student
    for ref in ("roleId:student", "_99999999_1"):
        answer = learn.get(f"{V1}/institutionRoles/{ref}")
        assert (answer.status_code, answer.json()) == (404, {"status": 404,
                                                             "message": "Institution role not found"}), ref
    answer = learn.get(f"{V1}/institutionRoles", params={"limit": 0})
    assert (answer.status_code, answer.json()) == (400, {"status": 400, "message": "limit must be at least 1"})


def test_system_and_institution_roles_are_an_administrators(world):
    student, _ = world.user_with_token("kid")
    with world.client(world.blackboard_token(student)) as learn:
        for path in ("systemRoles", "systemRoles/_1_1", "institutionRoles", "institutionRoles/_1_1"):
            answer = learn.get(f"{V1}/{path}")
            assert (answer.status_code, answer.json()) == (403, REFUSED), path
        assert learn.get(f"{V1}/courseRoles/_1_1").status_code == 200  # course roles: any caller
    with world.client(app_token(world, ["system.institutionrole.VIEW"])) as learn:
        assert learn.get(f"{V1}/institutionRoles").status_code == 200
        assert learn.get(f"{V1}/systemRoles").json() == REFUSED
    with world.client(app_token(world, ["system.systemrole.manager.VIEW"])) as learn:
        assert learn.get(f"{V1}/systemRoles/_1_1").status_code == 200
        assert learn.get(f"{V1}/institutionRoles/_1_1").json() == REFUSED


def test_roles_need_a_token(world):
    with world.client() as anonymous:
        for path in ("courseRoles", "courseRoles/_1_1", "systemRoles", "institutionRoles/_1_1"):
            assert anonymous.get(f"{V1}/{path}").status_code == 401, path
