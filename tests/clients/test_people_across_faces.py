"""One user and one enrollment made through each people face (Canvas via canvasapi, Learn over raw
HTTP with an OAuth token, D2L signed by d2lvalence) and read back through the other two: the same
user, the same enrollment, the right role.

Each face finds the course by its own lookups (`course_ids`): the Valence OrgUnitId is the one the
Valence face answered when the course was made through it, Learn's id comes from `courseId:`, Canvas's
from an account course search. No face's id is assumed to equal another's.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.clients.test_d2lvalence import SignedSession

LP = "/d2l/api/lp/1.4"
LEARN = "/learn/api/public"
CODE = "XF-101"


@dataclass(frozen=True)
class CourseIds:
    canvas: int  # the Canvas course id
    learn: str  # Learn's primary id, _N_1
    valence: int  # the Valence OrgUnitId


def make_course_through_valence(valence: SignedSession) -> int:
    """A template and an offering made through the Valence face; its OrgUnitId as Valence answered it.
    The template's parent is the organization `organization/info` names, where that route is served."""
    org = valence.get(f"{LP}/organization/info")
    parents = [int(org.json()["Identifier"])] if org.status_code == 200 else []
    template = valence.post(f"{LP}/coursetemplates/", json={"Name": "Cross faces", "Code": f"{CODE}-T", "Path": "",
                                                           "ParentOrgUnitIds": parents})
    assert template.status_code == 200, template.text
    offering = valence.post(f"{LP}/courses/", json={
        "Name": "Cross faces 101", "Code": CODE, "Path": "", "CourseTemplateId": int(template.json()["Identifier"]),
        "SemesterId": None, "StartDate": None, "EndDate": None, "LocaleId": None, "ForceLocale": False,
        "ShowAddressBook": False})
    assert offering.status_code == 200, offering.text
    return int(offering.json()["Identifier"])


def course_ids(canvas, learn, valence_id: int) -> CourseIds:
    """Each face's id of the course coded CODE, found through that face's own lookups."""
    [found] = [c for c in canvas.get_account(1).get_courses(search_term=CODE) if c.course_code == CODE]
    by_code = learn.get(f"{LEARN}/v3/courses/courseId:{CODE}")
    assert by_code.status_code == 200, by_code.text
    return CourseIds(canvas=found.id, learn=by_code.json()["id"], valence=valence_id)


@dataclass(frozen=True)
class Person:
    login: str
    canvas_type: str  # Canvas enrollment type
    learn_role: str  # Learn courseRoleId
    valence_role: str  # Valence role DisplayName


CANVAS_MADE = Person("cara", "StudentEnrollment", "Student", "Student")
LEARN_MADE = Person("lena", "TeacherEnrollment", "Instructor", "Teacher")
VALENCE_MADE = Person("vito", "TaEnrollment", "TeachingAssistant", "TA")


@pytest.fixture
def faces(world):
    canvas = world.canvas()
    learn = world.client(world.blackboard_token())
    valence = SignedSession(world.base_url, world.d2l())
    yield canvas, learn, valence
    learn.close()


def valence_role_ids(valence: SignedSession) -> dict[str, int]:
    return {r["DisplayName"]: int(r["Identifier"]) for r in valence.get(f"{LP}/roles/").json()}


def make_through_canvas(canvas, ids: CourseIds) -> None:
    login = {"unique_id": "cara", "sis_user_id": "SIS-cara", "password": "pw-123456"}
    user = canvas.get_account(1).create_user(user={"name": "Cara Canvas"}, pseudonym=login)
    canvas.get_course(ids.canvas).enroll_user(user, CANVAS_MADE.canvas_type, enrollment={"enrollment_state": "active"})


def make_through_learn(learn, ids: CourseIds) -> None:
    body = {"userName": "lena", "password": "s3cret-pass", "externalId": "SIS-lena",
            "name": {"given": "Lena", "family": "Learn"}}
    made = learn.post(f"{LEARN}/v1/users", json=body)
    assert made.status_code == 201, made.text
    member = learn.put(f"{LEARN}/v1/courses/{ids.learn}/users/userName:lena",
                       json={"courseRoleId": LEARN_MADE.learn_role})
    assert member.status_code == 201, member.text


def make_through_valence(valence: SignedSession, ids: CourseIds) -> None:
    made = valence.post(f"{LP}/users/", json={
        "OrgDefinedId": "SIS-vito", "FirstName": "Vito", "MiddleName": None, "LastName": "Valence",
        "ExternalEmail": "vito@example.edu", "UserName": "vito", "RoleId": None, "IsActive": True,
        "SendCreationEmail": False})
    assert made.status_code == 200, made.text
    role = valence_role_ids(valence)[VALENCE_MADE.valence_role]
    enrolled = valence.post(f"{LP}/enrollments/", json={"OrgUnitId": ids.valence, "UserId": made.json()["UserId"],
                                                       "RoleId": role})
    assert enrolled.status_code == 200, enrolled.text


def read_through_canvas(canvas, ids: CourseIds, person: Person) -> tuple[int, str]:
    user = canvas.get_user(person.login, "sis_login_id")
    [enrollment] = list(canvas.get_course(ids.canvas).get_enrollments(user_id=user.id))
    assert (enrollment.type, enrollment.enrollment_state) == (person.canvas_type, "active"), person
    assert user.sis_user_id == f"SIS-{person.login}"
    return user.id, enrollment.type


def read_through_learn(learn, ids: CourseIds, person: Person) -> int:
    user = learn.get(f"{LEARN}/v1/users/userName:{person.login}")
    assert user.status_code == 200, user.text
    assert user.json()["externalId"] == f"SIS-{person.login}"
    member = learn.get(f"{LEARN}/v1/courses/{ids.learn}/users/{user.json()['id']}")
    assert member.status_code == 200, member.text
    assert (member.json()["courseRoleId"], member.json()["availability"]["available"]) == (person.learn_role, "Yes")
    mine = learn.get(f"{LEARN}/v1/users/userName:{person.login}/courses").json()["results"]
    assert [m["courseId"] for m in mine] == [ids.learn]
    return int(user.json()["id"].split("_")[1])


def read_through_valence(valence: SignedSession, ids: CourseIds, person: Person) -> int:
    user = valence.get(f"{LP}/users/", params={"userName": person.login})
    assert user.status_code == 200, user.text
    uid = user.json()["UserId"]
    assert user.json()["OrgDefinedId"] == f"SIS-{person.login}"
    enrollment = valence.get(f"{LP}/enrollments/orgUnits/{ids.valence}/users/{uid}")
    assert enrollment.status_code == 200, enrollment.text
    assert enrollment.json()["RoleId"] == valence_role_ids(valence)[person.valence_role], person
    theirs = valence.get(f"{LP}/enrollments/users/{uid}/orgUnits/").json()["Items"]
    assert [i["OrgUnit"]["Id"] for i in theirs] == [ids.valence]
    return uid


def test_people_made_through_each_face_read_back_through_the_others(world, faces):
    canvas, learn, valence = faces
    ids = course_ids(canvas, learn, make_course_through_valence(valence))
    make_through_canvas(canvas, ids)
    make_through_learn(learn, ids)
    make_through_valence(valence, ids)
    for person in (CANVAS_MADE, LEARN_MADE, VALENCE_MADE):
        canvas_id, _ = read_through_canvas(canvas, ids, person)
        assert read_through_learn(learn, ids, person) == canvas_id  # the same user row behind every face
        assert read_through_valence(valence, ids, person) == canvas_id
    roster = learn.get(f"{LEARN}/v1/courses/{ids.learn}/users", params={"sort": "created"}).json()["results"]
    assert sorted(m["courseRoleId"] for m in roster) == ["Instructor", "Student", "TeachingAssistant"]
    assert len(list(canvas.get_course(ids.canvas).get_enrollments())) == 3


def test_an_enrollment_removed_through_one_face_is_gone_from_the_others(world, faces):
    canvas, learn, valence = faces
    ids = course_ids(canvas, learn, make_course_through_valence(valence))
    make_through_learn(learn, ids)
    uid = read_through_valence(valence, ids, LEARN_MADE)
    assert valence.delete(f"{LP}/enrollments/orgUnits/{ids.valence}/users/{uid}").status_code == 200
    assert learn.get(f"{LEARN}/v1/courses/{ids.learn}/users/userName:lena").status_code == 404
    assert list(canvas.get_course(ids.canvas).get_enrollments(user_id=uid)) == []
    make_through_canvas(canvas, ids)
    cara = canvas.get_user("cara", "sis_login_id")
    assert learn.delete(f"{LEARN}/v1/courses/{ids.learn}/users/userName:cara").status_code == 204
    assert valence.get(f"{LP}/enrollments/orgUnits/{ids.valence}/users/{cara.id}").status_code == 404
    assert list(canvas.get_course(ids.canvas).get_enrollments(user_id=cara.id)) == []
