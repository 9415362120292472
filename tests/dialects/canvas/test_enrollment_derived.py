"""What courses derive from enrollments agrees with what the Enrollments API writes: course counts,
teachers and sections, course lists by enrollment type, course users and students, each role's
permissions, todo items and effective due dates (issue 13, item 7)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from courseport.schema.base import utcnow


@pytest.fixture
def enrolled(world):
    """A course staffed and peopled only through POST /courses/:id/enrollments and /sections/:id/enrollments."""
    course = world.course("Derived 101")
    base = f"/api/v1/courses/{course.id}"
    with world.client(world.admin_token) as c:
        lab = c.post(f"{base}/sections", json={"course_section": {"name": "Lab"}}).json()
    tokens, ids, enrollment_ids = {}, {}, {}
    for login, etype, state, section in (("tess", "TeacherEnrollment", "active", None),
                                         ("tia", "TaEnrollment", "active", lab["id"]),
                                         ("ann", "StudentEnrollment", "active", lab["id"]),
                                         ("bob", "StudentEnrollment", "active", None),
                                         ("ivy", "StudentEnrollment", "invited", None)):
        user, tokens[login] = world.user_with_token(login, name=f"{login.title()} Person")
        ids[login] = user.id
        path = f"/api/v1/sections/{section}/enrollments" if section else f"{base}/enrollments"
        with world.client(world.admin_token) as c:
            r = c.post(path, json={"enrollment": {"user_id": user.id, "type": etype, "enrollment_state": state}})
        assert r.status_code == 200, r.text
        enrollment_ids[login] = r.json()["id"]
    parent, tokens["pat"] = world.user_with_token("pat", name="Pat Person")
    with world.client(world.admin_token) as c:
        c.post(f"{base}/enrollments", json={"enrollment": {
            "user_id": parent.id, "type": "ObserverEnrollment", "associated_user_id": ids["ann"],
            "enrollment_state": "active"}})
    ids["pat"] = parent.id
    return course, lab, tokens, ids, enrollment_ids


def test_course_includes_count_and_name_what_was_enrolled(world, enrolled):
    course, lab, tokens, ids, _ = enrolled
    with world.client(tokens["tess"]) as c:
        body = c.get(f"/api/v1/courses/{course.id}", params={
            "include[]": ["total_students", "teachers", "sections"]}).json()
        sections = c.get(f"/api/v1/courses/{course.id}/sections", params={"include[]": "total_students"}).json()
    assert body["total_students"] == 3  # ann, bob and the invited ivy
    assert [t["id"] for t in body["teachers"]] == [ids["tess"]]
    assert {s["id"] for s in sections} == {lab["id"], *(s["id"] for s in sections if s["name"] == "Derived 101")}
    assert {s["name"]: s["total_students"] for s in sections} == {"Derived 101": 2, "Lab": 1}
    with world.client(tokens["ann"]) as c:
        mine = c.get(f"/api/v1/courses/{course.id}", params={"include[]": "sections"}).json()
    assert [(s["id"], s["enrollment_role"]) for s in mine["sections"]] == [(lab["id"], "StudentEnrollment")]


def test_course_lists_filter_by_the_written_enrollment_types(world, enrolled):
    course, _, tokens, _, _ = enrolled
    for login, etype, listed in (("tess", "teacher", True), ("tess", "student", False), ("tia", "ta", True),
                                 ("ann", "student", True), ("pat", "observer", True), ("ivy", "student", True)):
        with world.client(tokens[login]) as c:
            r = c.get("/api/v1/courses", params={"enrollment_type": etype})
        assert (course.id in [x["id"] for x in r.json()]) is listed, (login, etype)
    with world.client(tokens["ivy"]) as c:
        [invited] = c.get("/api/v1/courses", params={"enrollment_state": "invited_or_pending"}).json()
    assert invited["enrollments"][0]["enrollment_state"] == "invited"


def test_course_users_and_students_follow_enrollment_writes(world, enrolled):
    course, _, tokens, ids, enrollment_ids = enrolled
    base = f"/api/v1/courses/{course.id}"

    def students() -> list[int]:
        with world.client(tokens["tess"]) as c:
            return sorted(u["id"] for u in c.get(f"{base}/students").json())

    with world.client(tokens["tess"]) as c:
        users = c.get(f"{base}/users", params={"enrollment_type[]": "student"}).json()
        staff = c.get(f"{base}/users", params={"enrollment_type[]": ["teacher", "ta"]}).json()
    assert sorted(u["id"] for u in users) == sorted([ids["ann"], ids["bob"], ids["ivy"]])
    assert sorted(u["id"] for u in staff) == sorted([ids["tess"], ids["tia"]])
    assert students() == sorted([ids["ann"], ids["bob"], ids["ivy"]])
    with world.client(tokens["tess"]) as c:
        assert c.delete(f"{base}/enrollments/{enrollment_ids['bob']}", params={"task": "delete"}).status_code == 200
        assert c.delete(f"{base}/enrollments/{enrollment_ids['ann']}",
                        params={"task": "deactivate"}).status_code == 200
    assert students() == [ids["ivy"]]
    with world.client(tokens["tess"]) as c:
        assert c.put(f"{base}/enrollments/{enrollment_ids['ann']}/reactivate").status_code == 200
        total = c.get(base, params={"include[]": "total_students"}).json()["total_students"]
    assert students() == sorted([ids["ann"], ids["ivy"]]) and total == 2


def test_each_written_role_holds_its_permissions(world, enrolled):
    course, _, tokens, _, _ = enrolled
    asked = ["manage_students", "manage_admin_users", "manage_grades", "read_roster", "update"]
    expected = {
        "tess": {n: True for n in asked},
        "tia": {"manage_students": True, "manage_admin_users": False, "manage_grades": True, "read_roster": True,
                "update": False},
        "ann": {"manage_students": False, "manage_admin_users": False, "manage_grades": False, "read_roster": True,
                "update": False},
        "pat": {n: False for n in asked},
    }
    for login, rights in expected.items():
        with world.client(tokens[login]) as c:
            r = c.get(f"/api/v1/courses/{course.id}/permissions", params={"permissions[]": asked})
        assert r.json() == rights, login


def test_todo_and_effective_due_dates_count_the_enrolled_students(world, enrolled):
    course, lab, tokens, ids, enrollment_ids = enrolled
    due = utcnow() + timedelta(days=1)
    essay = world.assignment(course, "Essay", due_at=due)
    with world.client(tokens["ann"]) as c:
        todo = c.get("/api/v1/users/self/todo").json()
    assert [t["assignment"]["id"] for t in todo] == [essay.id]
    with world.client(tokens["tess"]) as c:
        dates = c.get(f"/api/v1/courses/{course.id}/effective_due_dates").json()
        c.delete(f"/api/v1/courses/{course.id}/enrollments/{enrollment_ids['bob']}", params={"task": "conclude"})
        concluded = c.get(f"/api/v1/courses/{course.id}/effective_due_dates").json()
        c.delete(f"/api/v1/courses/{course.id}/enrollments/{enrollment_ids['ann']}", params={"task": "deactivate"})
        c.delete(f"/api/v1/courses/{course.id}/enrollments/{enrollment_ids['ivy']}", params={"task": "delete"})
        after = c.get(f"/api/v1/courses/{course.id}/effective_due_dates").json()
    assert set(dates[str(essay.id)]) == {str(ids["ann"]), str(ids["bob"]), str(ids["ivy"])}
    assert set(concluded[str(essay.id)]) == set(dates[str(essay.id)])  # concluded students keep their dates
    assert set(after[str(essay.id)]) == {str(ids["bob"])}  # inactive and deleted ones are not assigned
    with world.client(tokens["ann"]) as c:
        assert c.get("/api/v1/users/self/todo").json() == []  # an inactive student has nothing to do
    del lab
