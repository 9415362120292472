"""A single-course GET served from the read cache is never stale: every kind of change is seen."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, update

from courseport.core.identity import tokens
from courseport.schema import AccessToken, Course, Enrollment
from courseport.schema.base import utcnow


def _get(world, token: str, course_id: int):  # noqa: ANN202
    with world.client(token) as c:
        return c.get(f"/api/v1/courses/{course_id}")


def test_an_update_through_the_api_is_seen_at_once(world):
    course = world.course("Before")
    assert _get(world, world.admin_token, course.id).json()["name"] == "Before"
    with world.client(world.admin_token) as c:
        assert c.put(f"/api/v1/courses/{course.id}", data={"course[name]": "After"}).status_code == 200
    assert _get(world, world.admin_token, course.id).json()["name"] == "After"


def test_a_change_by_another_connection_is_seen_at_once(world):
    course = world.course("Before")
    assert _get(world, world.admin_token, course.id).json()["course_code"] == "Before"
    with world.tx() as db:  # another writer, as a worker process or a CLI command would be
        db.execute(update(Course).where(Course.id == course.id).values(course_code="CHANGED"))
    assert _get(world, world.admin_token, course.id).json()["course_code"] == "CHANGED"


def test_a_removed_enrollment_takes_the_course_away_at_once(world):
    course = world.course("Private", offer=False)
    student, token = world.user_with_token("student")
    world.enroll(student, course, "TeacherEnrollment")
    assert _get(world, token, course.id).status_code == 200
    with world.tx() as db:
        db.execute(delete(Enrollment).where(Enrollment.user_id == student.id))
    r = _get(world, token, course.id)
    assert r.status_code == 403
    assert r.json()["status"] == "unauthorized"


def test_a_deleted_token_is_refused_at_once(world):
    course = world.course()
    user, token = world.user_with_token("teacher")
    world.enroll(user, course, "TeacherEnrollment")
    assert _get(world, token, course.id).status_code == 200
    with world.tx() as db:
        db.execute(delete(AccessToken).where(AccessToken.token_hash == tokens.hash_token(token)))
    r = _get(world, token, course.id)
    assert r.status_code == 401
    assert r.json() == {"errors": [{"message": "Invalid access token."}]}


def test_a_token_that_expires_while_cached_is_refused(world, monkeypatch):
    course = world.course()
    user, token = world.user_with_token("teacher")
    world.enroll(user, course, "TeacherEnrollment")
    with world.tx() as db:
        db.execute(update(AccessToken).where(AccessToken.token_hash == tokens.hash_token(token))
                   .values(expires_at=utcnow() + timedelta(hours=1)))
    assert _get(world, token, course.id).status_code == 200
    assert _get(world, token, course.id).status_code == 200  # now from the cache, on SQLite
    later = utcnow() + timedelta(hours=2)
    monkeypatch.setattr(tokens, "utcnow", lambda: later)  # the clock moves; the store does not
    r = _get(world, token, course.id)
    assert r.status_code == 401
    assert r.json() == {"errors": [{"message": "Invalid access token."}]}


def test_each_caller_gets_their_own_view(world):
    course = world.course()
    teacher, teacher_token = world.user_with_token("teacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    student, student_token = world.user_with_token("student")
    world.enroll(student, course)
    as_teacher = _get(world, teacher_token, course.id).json()
    as_student = _get(world, student_token, course.id).json()
    assert [e["type"] for e in as_teacher["enrollments"]] == ["teacher"]
    assert [e["type"] for e in as_student["enrollments"]] == ["student"]
    assert _get(world, teacher_token, course.id).json()["enrollments"][0]["type"] == "teacher"
