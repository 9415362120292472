"""Canvas course nicknames (Users API) over raw HTTP: exact bodies, the stored rows after each call, the
nickname as the caller's course reads show it (and nobody else's), refusals and their error bodies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.schema import Course, CourseNickname
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

BASE = "/api/v1/users/self/course_nicknames"


@pytest.fixture
def cls(world):
    """A course with two students: (course, (student, token), (classmate, token))."""
    course = world.course("S1048576 Intro to Newtonian Mechanics", sis_course_id="PHYS-1")
    people = []
    for login in ("nick_s1", "nick_s2"):
        user, token = world.user_with_token(f"{login}_{course.id}")
        world.enroll(user, course)
        people.append((user, token))
    return course, people[0], people[1]


def _stored(world, user=None) -> dict:
    """{(user_id, course_id): nickname} of every row, or of `user`'s."""
    with world.tx() as db:
        stmt = select(CourseNickname)
        if user is not None:
            stmt = stmt.where(CourseNickname.user_id == user.id)
        return {(n.user_id, n.course_id): n.nickname for n in db.scalars(stmt)}


def _put(world, token, ref, **body):
    with world.client(token) as c:
        return c.put(f"{BASE}/{ref}", data=body)


def test_set_answers_the_nickname_and_every_read_shows_it(world, cls):
    course, (me, token), _ = cls
    r = _put(world, token, course.id, nickname="Physics")
    expected = {"course_id": course.id, "name": "S1048576 Intro to Newtonian Mechanics", "nickname": "Physics"}
    assert (r.status_code, r.json()) == (200, expected)
    assert _stored(world) == {(me.id, course.id): "Physics"}
    with world.client(token) as c:
        assert c.get(f"{BASE}/{course.id}").json() == expected
        listed = c.get(BASE)
        assert (listed.status_code, listed.json()) == (200, [expected])
        shown = c.get(f"/api/v1/courses/{course.id}").json()
        assert (shown["name"], shown["original_name"]) == ("Physics", "S1048576 Intro to Newtonian Mechanics")
        [row] = c.get("/api/v1/courses").json()
        assert (row["id"], row["name"], row["original_name"]) == (course.id, "Physics", course.name)


def test_a_nickname_is_its_owners_alone(world, cls):
    course, (_, token), (_, classmate) = cls
    assert _put(world, token, course.id, nickname="Physics").status_code == 200
    with world.client(classmate) as c:
        r = c.get(f"{BASE}/{course.id}")
        assert (r.status_code, r.json()) == (200, {"course_id": course.id, "name": course.name, "nickname": None})
        assert c.get(BASE).json() == []
        shown = c.get(f"/api/v1/courses/{course.id}").json()
        assert shown["name"] == course.name and "original_name" not in shown
        [row] = c.get("/api/v1/courses").json()
        assert row["name"] == course.name and "original_name" not in row
        # Removing is of one's own nickname: the classmate has none to remove, the owner's stays.
        r = c.delete(f"{BASE}/{course.id}")
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert list(_stored(world).values()) == ["Physics"]


def test_setting_again_replaces_the_nickname(world, cls):
    course, (me, token), _ = cls
    _put(world, token, course.id, nickname="Physics")
    r = _put(world, token, course.id, nickname="Mechanics")
    assert (r.status_code, r.json()["nickname"]) == (200, "Mechanics")
    assert _stored(world) == {(me.id, course.id): "Mechanics"}


def test_the_course_id_takes_the_other_id_forms_and_json(world, cls):
    course, (me, token), _ = cls
    with world.client(token) as c:
        r = c.put(f"{BASE}/sis_course_id:PHYS-1", json={"nickname": "Phys"})
        assert (r.status_code, r.json()["course_id"]) == (200, course.id)
        assert c.get(f"{BASE}/sis_course_id:PHYS-1").json()["nickname"] == "Phys"
        assert c.get(f"{BASE}/sis_course_id:NOPE").status_code == 404
    assert _stored(world) == {(me.id, course.id): "Phys"}


@pytest.mark.parametrize("body", [{}, {"nickname": ""}, {"nickname": "   "}])
def test_a_blank_nickname_is_refused_naming_it(world, cls, body):
    course, (_, token), _ = cls
    r = _put(world, token, course.id, **body)
    assert (r.status_code, r.json()) == (400, {"errors": [{"message": "nickname is required", "field": "nickname"}]})
    assert _stored(world) == {}


def test_the_nickname_must_be_shorter_than_60_characters(world, cls):
    course, (me, token), _ = cls
    r = _put(world, token, course.id, nickname="x" * 60)
    assert (r.status_code, r.json()) == (400, {"errors": [
        {"message": "nickname must be shorter than 60 characters", "field": "nickname"}]})
    assert _stored(world) == {}
    assert _put(world, token, course.id, nickname="y" * 59).status_code == 200
    assert _stored(world) == {(me.id, course.id): "y" * 59}


def test_courses_the_caller_cannot_read_are_refused(world, cls):
    course, _, _ = cls
    outsider, token = world.user_with_token(f"nick_outsider_{course.id}")
    unpublished = world.course("Not yet", offer=False)
    world.enroll(outsider, unpublished)  # a student sees no unpublished course
    r = _put(world, token, course.id, nickname="Mine")
    assert (r.status_code, r.json()) == (403, FORBIDDEN)
    assert _put(world, token, unpublished.id, nickname="Mine").status_code == 403
    r = _put(world, token, 999999, nickname="Mine")
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    with world.client(token) as c:
        r = c.get(f"{BASE}/{course.id}")
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.client() as c:
        assert c.put(f"{BASE}/{course.id}", data={"nickname": "x"}).status_code == 401
        assert c.get(BASE).status_code == 401
    assert _stored(world) == {}


def test_the_read_right_is_checked_before_the_nickname(world, cls):
    course, _, _ = cls
    _, token = world.user_with_token(f"nick_stranger_{course.id}")
    assert _put(world, token, course.id, nickname="").status_code == 403


def test_remove_answers_the_removed_nickname(world, cls):
    course, (me, token), (classmate, other) = cls
    _put(world, token, course.id, nickname="Physics")
    _put(world, other, course.id, nickname="Their physics")
    with world.client(token) as c:
        r = c.delete(f"{BASE}/{course.id}")
        assert (r.status_code, r.json()) == (200, {"course_id": course.id, "name": course.name, "nickname": "Physics"})
        assert _stored(world) == {(classmate.id, course.id): "Their physics"}
        shown = c.get(f"/api/v1/courses/{course.id}").json()
        assert shown["name"] == course.name and "original_name" not in shown
        again = c.delete(f"{BASE}/{course.id}")
        assert (again.status_code, again.json()) == (404, NOT_FOUND)
        assert c.get(f"{BASE}/{course.id}").json()["nickname"] is None


def test_a_nickname_can_be_removed_after_the_course_became_unreadable(world, cls):
    course, (me, token), _ = cls
    _put(world, token, course.id, nickname="Physics")
    with world.tx() as db:
        db.get(Course, course.id).workflow_state = "unpublished"  # students no longer read it
    with world.client(token) as c:
        assert c.get(f"{BASE}/{course.id}").status_code == 403
        assert c.delete(f"{BASE}/{course.id}").json()["nickname"] == "Physics"
    assert _stored(world) == {}


def test_clear_removes_every_nickname_of_the_caller_only(world, cls):
    course, (me, token), (classmate, other) = cls
    second = world.course("Chemistry")
    world.enroll(me, second)
    _put(world, token, course.id, nickname="Physics")
    _put(world, token, second.id, nickname="Chem")
    _put(world, other, course.id, nickname="Theirs")
    with world.client(token) as c:
        r = c.delete(BASE)
        assert (r.status_code, r.json()) == (200, {"message": "OK"})
        assert c.get(BASE).json() == []
        assert c.delete(BASE).json() == {"message": "OK"}  # nothing left: still OK
    assert _stored(world) == {(classmate.id, course.id): "Theirs"}


def test_the_list_is_paged_by_course_and_leaves_deleted_courses_out(world, cls):
    course, (me, token), _ = cls
    others = [world.course(f"Extra {i}") for i in range(3)]
    for other in others:
        world.enroll(me, other)
    for n, c in enumerate([course, *others]):
        _put(world, token, c.id, nickname=f"N{n}")
    with world.tx() as db:
        db.get(Course, others[2].id).workflow_state = "deleted"
    with world.client(token) as c:
        first = c.get(BASE, params={"per_page": 2})
        assert [n["nickname"] for n in first.json()] == ["N0", "N1"]
        assert first.links["next"]["url"].endswith("page=2&per_page=2")
        second = c.get(first.links["next"]["url"])
        assert [n["nickname"] for n in second.json()] == ["N2"]
        assert "next" not in second.links
    assert len(_stored(world, me)) == 4  # the deleted course's nickname is kept, not listed


def test_only_self_is_served_and_the_other_users_self_routes_still_answer(world, cls):
    course, (me, token), _ = cls
    _put(world, token, course.id, nickname="Physics")
    with world.client(token) as c:
        for path in (f"/api/v1/users/{me.id}/course_nicknames/{course.id}",
                     f"/api/v1/users/{me.id}/favorites/courses/{course.id}"):
            for method in ("GET", "PUT", "DELETE", "POST"):
                r = c.request(method, path, data={"nickname": "Other"})
                assert r.status_code in (404, 405), (method, path)
                if r.status_code == 404:
                    assert r.json() == NOT_FOUND
        # A literal `self` segment before a parameter would have sent these to a 404 (Litestar's router).
        assert c.get("/api/v1/users/self").json()["id"] == me.id
        assert [row["id"] for row in c.get("/api/v1/users/self/courses").json()] == [course.id]
        assert c.get("/api/v1/users/self/enrollments").status_code == 200
        assert c.get("/api/v1/users/self/profile").json()["id"] == me.id
    assert _stored(world) == {(me.id, course.id): "Physics"}
