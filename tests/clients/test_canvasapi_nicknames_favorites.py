"""canvasapi 3.6.0, unmodified, against the live server: course nicknames (Canvas) and favourite courses
(CurrentUser), with the stored rows after each call and the refusals canvasapi raises."""

from __future__ import annotations

import json

import pytest
from canvasapi.course import Course as CanvasCourse
from canvasapi.course import CourseNickname as CanvasNickname
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist
from canvasapi.favorite import Favorite as CanvasFavorite
from sqlalchemy import select

from courseport.schema import CourseNickname, Favorite


def _nicknames(world, user) -> dict[int, str]:
    with world.tx() as db:
        return {n.course_id: n.nickname for n in db.scalars(select(CourseNickname).where(
            CourseNickname.user_id == user.id))}


def _starred(world, user) -> list[int]:
    with world.tx() as db:
        return sorted(db.scalars(select(Favorite.course_id).where(Favorite.user_id == user.id)))


@pytest.fixture
def learner(world):
    """A student of two courses with a token, a classmate, and a course they are no member of."""
    user, token = world.user_with_token("client_fav")
    courses = [world.course("Intro to Newtonian Mechanics", sis_course_id="NEWTON"), world.course("Organic Chemistry")]
    for course in courses:
        world.enroll(user, course)
    classmate, classmate_token = world.user_with_token("client_fav_mate")
    world.enroll(classmate, courses[0])
    return user, token, courses, classmate_token, world.course("Elsewhere")


def test_nickname_flow(world, learner):
    user, token, courses, classmate_token, _ = learner
    canvas = world.canvas(token)
    first, second = courses

    set_ = canvas.set_course_nickname(first.id, "Physics")
    assert isinstance(set_, CanvasNickname)
    assert (set_.course_id, set_.name, set_.nickname) == (first.id, first.name, "Physics")
    assert _nicknames(world, user) == {first.id: "Physics"}
    canvas.set_course_nickname(canvas.get_course(second.id), "Chem")  # a Course object works too
    assert _nicknames(world, user) == {first.id: "Physics", second.id: "Chem"}

    assert canvas.get_course_nickname(first.id).nickname == "Physics"
    assert [(n.course_id, n.nickname) for n in canvas.get_course_nicknames()] == [(first.id, "Physics"),
                                                                                   (second.id, "Chem")]
    shown = canvas.get_course(first.id)
    assert (shown.name, shown.original_name) == ("Physics", first.name)
    assert [(c.id, c.name) for c in canvas.get_courses()] == [(first.id, "Physics"), (second.id, "Chem")]
    # The classmate sees the course's own name and no nickname of theirs.
    theirs = world.canvas(classmate_token)
    assert theirs.get_course(first.id).name == first.name
    assert not hasattr(theirs.get_course(first.id), "original_name")
    assert theirs.get_course_nickname(first.id).nickname is None
    assert list(theirs.get_course_nicknames()) == []

    removed = canvas.get_course_nickname(first.id).remove()
    assert isinstance(removed, CanvasNickname) and (removed.course_id, removed.nickname) == (first.id, "Physics")
    assert _nicknames(world, user) == {second.id: "Chem"}
    assert canvas.get_course(first.id).name == first.name
    assert canvas.get_course_nickname(first.id).nickname is None

    assert canvas.clear_course_nicknames() is True
    assert _nicknames(world, user) == {}
    assert list(canvas.get_course_nicknames()) == []


def test_nickname_refusals(world, learner):
    user, token, courses, _, elsewhere = learner
    canvas = world.canvas(token)
    with pytest.raises(BadRequest) as blank:
        canvas.set_course_nickname(courses[0].id, " ")
    assert json.loads(blank.value.message) == {"errors": [{"message": "nickname is required", "field": "nickname"}]}
    with pytest.raises(BadRequest) as too_long:
        canvas.set_course_nickname(courses[0].id, "x" * 60)
    assert json.loads(too_long.value.message) == {"errors": [
        {"message": "nickname must be shorter than 60 characters", "field": "nickname"}]}
    with pytest.raises(Forbidden):
        canvas.set_course_nickname(elsewhere.id, "Not mine")
    with pytest.raises(ResourceDoesNotExist):
        canvas.set_course_nickname(999999, "Nothing")
    assert _nicknames(world, user) == {}


def test_favorites_flow(world, learner):
    user, token, courses, _, _ = learner
    me = world.canvas(token).get_current_user()
    first, second = courses

    # Nothing starred: the current courses.
    listed = list(me.get_favorite_courses())
    assert all(isinstance(c, CanvasCourse) for c in listed)
    assert [c.id for c in listed] == [first.id, second.id]

    fav = me.add_favorite_course(second.id)
    assert isinstance(fav, CanvasFavorite) and (fav.context_id, fav.context_type) == (second.id, "Course")
    assert _starred(world, user) == [second.id]
    assert [c.id for c in me.get_favorite_courses()] == [second.id]
    assert me.add_favorite_course("NEWTON", use_sis_id=True).context_id == first.id
    assert _starred(world, user) == [first.id, second.id]

    removed = fav.remove()
    assert isinstance(removed, CanvasFavorite) and removed.context_id == second.id
    assert _starred(world, user) == [first.id]
    assert [c.id for c in me.get_favorite_courses(include=["favorites"])] == [first.id]
    assert [c.is_favorite for c in me.get_favorite_courses(include=["favorites"])] == [True]

    assert me.reset_favorite_courses() is True
    assert _starred(world, user) == []
    assert [c.id for c in me.get_favorite_courses()] == [first.id, second.id]


def test_favorite_refusals(world, learner):
    user, token, _, _, elsewhere = learner
    me = world.canvas(token).get_current_user()
    with pytest.raises(Forbidden):
        me.add_favorite_course(elsewhere.id)
    with pytest.raises(ResourceDoesNotExist):
        me.add_favorite_course("NO-SUCH", use_sis_id=True)
    assert _starred(world, user) == []
