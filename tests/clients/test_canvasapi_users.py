"""canvasapi 3.6.0, unmodified, against the live server: course users and the current user."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from canvasapi.current_user import CurrentUser
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist
from canvasapi.user import User as CanvasUser

from courseport.schema import User


def _class(world):
    course = world.course("Client roster")
    teacher, token = world.user_with_token("tina", name="Tina Teach")
    world.enroll(teacher, course, "TeacherEnrollment")
    students = [world.user(f"s{i}", f"Student {chr(65 + i)}", sis_user_id=f"SIS{i}") for i in range(5)]
    for s in students:
        world.enroll(s, course)
    return course, teacher, token, students


def test_get_users_pages_through_everything_with_filters(world):
    course, teacher, token, students = _class(world)
    remote = world.canvas(token).get_course(course.id)
    got = list(remote.get_users(enrollment_type=["student"], include=["enrollments"], per_page=2))
    assert all(isinstance(u, CanvasUser) for u in got)
    assert [u.id for u in got] == [s.id for s in students]
    assert [u.sis_user_id for u in got] == [f"SIS{i}" for i in range(5)]
    assert {e["type"] for u in got for e in u.enrollments} == {"StudentEnrollment"}
    assert [u.id for u in remote.get_users(search_term="student c")] == [students[2].id]
    assert [u.id for u in remote.get_users(enrollment_type="teacher")] == [teacher.id]
    assert [u.email for u in remote.get_users(user_ids=[students[1].id])] == ["s1@example.test"]


def test_get_users_errors(world):
    course, _, token, _ = _class(world)
    remote = world.canvas(token).get_course(course.id)
    with pytest.raises(BadRequest):
        list(remote.get_users(search_term="s"))
    with pytest.raises(BadRequest):
        list(remote.get_users(sort="shoe_size"))


def test_student_may_list_users_but_not_recent_students(world):
    course, _, _, students = _class(world)
    remote = world.canvas(world.token(students[0])).get_course(course.id)
    assert [u.id for u in remote.get_users(enrollment_type=["student"])] == [s.id for s in students]
    assert not hasattr(next(iter(remote.get_users())), "email")
    with pytest.raises(Forbidden):
        list(remote.get_recent_students())


def test_recent_students(world):
    course, _, token, students = _class(world)
    with world.tx() as db:
        db.get(User, students[3].id).last_login = datetime(2030, 1, 2, tzinfo=UTC)
    got = list(world.canvas(token).get_course(course.id).get_recent_students())
    assert got[0].id == students[3].id
    assert got[0].last_login == "2030-01-02T00:00:00Z"
    assert [u.id for u in got[1:]] == [s.id for i, s in enumerate(students) if i != 3]


def test_course_get_user_by_id_and_sis_id(world):
    course, _, token, students = _class(world)
    remote = world.canvas(token).get_course(course.id)
    user = remote.get_user(students[1].id, include=["enrollments"])
    assert (user.id, user.name, user.enrollments[0]["role"]) == (students[1].id, "Student B", "StudentEnrollment")
    assert remote.get_user("SIS2", "sis_user_id").id == students[2].id
    with pytest.raises(ResourceDoesNotExist):
        remote.get_user(world.admin.id)


def test_current_user_and_get_user(world):
    _, teacher, token, students = _class(world)
    canvas = world.canvas(token)
    me = canvas.get_current_user()
    assert isinstance(me, CurrentUser)
    assert (me.id, me.name, me.login_id, me.email, me.effective_locale) == (
        teacher.id, "Tina Teach", "tina", "tina@example.test", "en")
    assert canvas.get_user("self").id == teacher.id
    with pytest.raises(Forbidden):
        canvas.get_user(students[0].id)
    admin = world.canvas()
    assert admin.get_user(students[0].id).sis_user_id == "SIS0"
    assert admin.get_user("SIS4", "sis_user_id").id == students[4].id
    with pytest.raises(ResourceDoesNotExist):
        admin.get_user(987654)
