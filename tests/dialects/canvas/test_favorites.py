"""Canvas favourite courses (Favorites API) over raw HTTP: the list (starred courses, else the current
ones) as the course list renders it, starring and unstarring with the stored rows after each call, reset,
refusals and their bodies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.schema import Course, Favorite
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

BASE = "/api/v1/users/self/favorites/courses"


@pytest.fixture
def student(world):
    """A student of three published courses, and a course of which they are no member:
    (user, token, [courses], elsewhere)."""
    user, token = world.user_with_token("fav_student")
    courses = [world.course(f"Fav {n}", sis_course_id=f"FAV-{n}") for n in "ABC"]
    for course in courses:
        world.enroll(user, course)
    return user, token, courses, world.course("Elsewhere")


def _starred(world, user) -> list[int]:
    with world.tx() as db:
        return sorted(db.scalars(select(Favorite.course_id).where(Favorite.user_id == user.id)))


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()]


def test_with_nothing_starred_the_list_is_the_current_courses_as_the_course_list_renders_them(world, student):
    _, token, courses, _ = student
    with world.client(token) as c:
        listed = c.get(BASE)
        assert _ids(listed) == [course.id for course in courses]
        assert listed.json() == c.get("/api/v1/courses").json()
        includes = {"include[]": ["favorites", "term"]}
        assert c.get(BASE, params=includes).json() == c.get("/api/v1/courses", params=includes).json()


def test_starring_answers_the_favorite_and_the_list_shows_only_starred_courses(world, student):
    user, token, courses, _ = student
    with world.client(token) as c:
        r = c.post(f"{BASE}/{courses[1].id}")
        assert (r.status_code, r.json()) == (200, {"context_id": courses[1].id, "context_type": "Course"})
        assert _starred(world, user) == [courses[1].id]
        again = c.post(f"{BASE}/{courses[1].id}")
        assert (again.status_code, again.json()) == (200, {"context_id": courses[1].id, "context_type": "Course"})
        assert _starred(world, user) == [courses[1].id]  # starring again adds nothing
        assert _ids(c.get(BASE)) == [courses[1].id]
        listed = c.get("/api/v1/courses", params={"include[]": "favorites"}).json()
        flags = {row["id"]: row["is_favorite"] for row in listed}
        assert flags == {courses[0].id: False, courses[1].id: True, courses[2].id: False}


def test_starring_by_sis_id(world, student):
    user, token, courses, _ = student
    with world.client(token) as c:
        r = c.post(f"{BASE}/sis_course_id:FAV-C")
    assert (r.status_code, r.json()) == (200, {"context_id": courses[2].id, "context_type": "Course"})
    assert _starred(world, user) == [courses[2].id]


def test_only_courses_the_caller_reads_can_be_starred(world, student):
    user, token, _, elsewhere = student
    with world.client(token) as c:
        r = c.post(f"{BASE}/{elsewhere.id}")
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
        r = c.post(f"{BASE}/999999")
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
    with world.client() as c:
        assert c.post(f"{BASE}/{elsewhere.id}").status_code == 401
        assert c.get(BASE).status_code == 401
    assert _starred(world, user) == []


def test_unstarring_answers_the_favorite_and_an_empty_list_falls_back(world, student):
    user, token, courses, _ = student
    with world.client(token) as c:
        c.post(f"{BASE}/{courses[0].id}")
        c.post(f"{BASE}/{courses[2].id}")
        r = c.delete(f"{BASE}/{courses[0].id}")
        assert (r.status_code, r.json()) == (200, {"context_id": courses[0].id, "context_type": "Course"})
        assert _starred(world, user) == [courses[2].id]
        not_starred = c.delete(f"{BASE}/{courses[1].id}")
        assert (not_starred.status_code, not_starred.json()) == (200, {})  # Canvas: no 404 here
        assert _starred(world, user) == [courses[2].id]
        c.delete(f"{BASE}/{courses[2].id}")
        assert _starred(world, user) == []
        assert _ids(c.get(BASE)) == [course.id for course in courses]
        r = c.delete(f"{BASE}/999999")
        assert (r.status_code, r.json()) == (404, NOT_FOUND)


def test_unstarring_with_nothing_starred_keeps_the_other_current_courses_starred(world, student):
    user, token, courses, elsewhere = student
    with world.client(token) as c:
        r = c.delete(f"{BASE}/{courses[1].id}")
        assert (r.status_code, r.json()) == (200, {"context_id": courses[1].id, "context_type": "Course"})
        assert _starred(world, user) == [courses[0].id, courses[2].id]
        assert _ids(c.get(BASE)) == [courses[0].id, courses[2].id]
    # A course the caller never had is not made a favourite: it answers the empty object.
    other, other_token = world.user_with_token("fav_other")
    world.enroll(other, courses[0])
    with world.client(other_token) as c:
        assert c.delete(f"{BASE}/{elsewhere.id}").json() == {}
    assert _starred(world, other) == [courses[0].id]


def test_reset_unstars_everything_of_the_caller_only(world, student):
    user, token, courses, _ = student
    other, other_token = world.user_with_token("fav_other")
    world.enroll(other, courses[0])
    with world.client(other_token) as c:
        c.post(f"{BASE}/{courses[0].id}")
    with world.client(token) as c:
        c.post(f"{BASE}/{courses[0].id}")
        r = c.delete(BASE)
        assert (r.status_code, r.json()) == (200, {"message": "OK", "status": "ok"})
        assert _starred(world, user) == []
        assert _ids(c.get(BASE)) == [course.id for course in courses]
    assert _starred(world, other) == [courses[0].id]


def test_starred_courses_no_longer_current_are_not_listed(world, student):
    user, token, courses, _ = student
    with world.client(token) as c:
        c.post(f"{BASE}/{courses[0].id}")
        c.post(f"{BASE}/{courses[1].id}")
        with world.tx() as db:
            db.get(Course, courses[0].id).workflow_state = "unpublished"  # students see it no more
        assert _ids(c.get(BASE)) == [courses[1].id]
        with world.tx() as db:
            db.get(Course, courses[1].id).workflow_state = "unpublished"
        assert _ids(c.get(BASE)) == [courses[2].id]  # no starred course left in the list: the current ones
    assert _starred(world, user) == [courses[0].id, courses[1].id]


def test_the_list_is_paged_and_can_leave_blueprints_out(world, student):
    user, token, courses, _ = student
    blueprint = world.course("Fav blueprint", blueprint=True)
    world.enroll(user, blueprint, "TeacherEnrollment")
    with world.client(token) as c:
        for course in [*courses, blueprint]:
            c.post(f"{BASE}/{course.id}")
        first = c.get(BASE, params={"per_page": 3})
        assert _ids(first) == [course.id for course in courses]
        assert first.links["next"]["url"].endswith("page=2&per_page=3")
        second = c.get(first.links["next"]["url"])
        assert _ids(second) == [blueprint.id] and "next" not in second.links
        assert _ids(c.get(BASE, params={"exclude_blueprint_courses": "true"})) == [course.id for course in courses]


def test_a_page_past_the_starred_courses_is_empty_not_the_fallback(world, student):
    _, token, courses, _ = student
    with world.client(token) as c:
        c.post(f"{BASE}/{courses[2].id}")
        assert _ids(c.get(BASE, params={"per_page": 1})) == [courses[2].id]
        assert _ids(c.get(BASE, params={"page": 2, "per_page": 1})) == []
