"""Canvas quiz assignment overrides (each quiz's dates for the caller) over canvasapi and raw HTTP."""

from __future__ import annotations

import pytest

from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

DUE, LATER, UNLOCK = "2030-03-01T12:00:00Z", "2030-03-08T12:00:00Z", "2030-02-01T00:00:00Z"


@pytest.fixture
def quizzed(world):
    course = world.course("Quizzes 101")
    cast = world.cast(course)
    late_student, late_token = world.user_with_token("latecomer")
    world.enroll(late_student, course)
    with world.client(cast["teacher"]) as c:
        graded = c.post(f"/api/v1/courses/{course.id}/quizzes", data={
            "quiz[title]": "Graded", "quiz[due_at]": DUE, "quiz[published]": "true"}).json()
        practice = c.post(f"/api/v1/courses/{course.id}/quizzes", data={
            "quiz[title]": "Practice", "quiz[quiz_type]": "practice_quiz", "quiz[unlock_at]": UNLOCK,
            "quiz[published]": "true"}).json()
        draft = c.post(f"/api/v1/courses/{course.id}/quizzes", data={"quiz[title]": "Draft"}).json()
        made = c.post(f"/api/v1/courses/{course.id}/assignments/{graded['assignment_id']}/overrides", data={
            "assignment_override[student_ids][]": str(late_student.id), "assignment_override[title]": "Late",
            "assignment_override[due_at]": LATER})
        assert made.status_code == 201, made.text
    cast["latecomer"] = late_token
    return course, cast, graded, practice, draft, made.json()


def test_staff_see_every_set_students_their_own(world, quizzed):
    course, cast, graded, practice, draft, override = quizzed
    base = {"due_at": DUE, "unlock_at": None, "lock_at": None, "base": True}
    late = {"id": override["id"], "due_at": LATER, "unlock_at": None, "lock_at": None, "title": "Late"}
    practice_own = {"due_at": None, "unlock_at": UNLOCK, "lock_at": None, "base": True}
    with world.client(cast["teacher"]) as c:
        staff = c.get(f"/api/v1/courses/{course.id}/quizzes/assignment_overrides")
    assert staff.status_code == 200
    assert staff.json() == {"quiz_assignment_overrides": [
        {"quiz_id": graded["id"], "due_dates": [base, late], "all_dates": [base, late]},
        {"quiz_id": practice["id"], "due_dates": [practice_own], "all_dates": [practice_own]},
        {"quiz_id": draft["id"], "due_dates": [{"due_at": None, "unlock_at": None, "lock_at": None, "base": True}],
         "all_dates": [{"due_at": None, "unlock_at": None, "lock_at": None, "base": True}]}]}
    with world.client(cast["latecomer"]) as c:
        mine = c.get(f"/api/v1/courses/{course.id}/quizzes/assignment_overrides")
    assert mine.json() == {"quiz_assignment_overrides": [
        {"quiz_id": graded["id"], "due_dates": [late], "all_dates": None},
        {"quiz_id": practice["id"], "due_dates": [practice_own], "all_dates": None}]}
    with world.client(cast["student"]) as c:
        other = c.get(f"/api/v1/courses/{course.id}/quizzes/assignment_overrides",
                      params={"quiz_assignment_overrides[][quiz_ids][]": [graded["id"], draft["id"], 999999]})
    assert other.json() == {"quiz_assignment_overrides": [
        {"quiz_id": graded["id"], "due_dates": [base], "all_dates": None}]}


def test_through_canvasapi_with_quiz_ids(world, quizzed):
    course, cast, graded, practice, draft, override = quizzed
    sets = list(world.canvas(cast["latecomer"]).get_course(course.id).get_quiz_overrides(
        quiz_assignment_overrides=[{"quiz_ids": [graded["id"]]}]))
    assert [(s.quiz_id, s.due_dates, s.all_dates) for s in sets] == [(graded["id"], [
        {"id": override["id"], "due_at": LATER, "unlock_at": None, "lock_at": None, "title": "Late"}], None)]
    every = world.canvas(cast["teacher"]).get_course(course.id).get_quiz_overrides()
    assert [s.quiz_id for s in every] == [graded["id"], practice["id"], draft["id"]]


def test_refusals(world, quizzed):
    course, cast, *_ = quizzed
    with world.client(cast["outsider"]) as c:
        outsider = c.get(f"/api/v1/courses/{course.id}/quizzes/assignment_overrides")
    with world.client(cast["teacher"]) as c:
        unknown = c.get("/api/v1/courses/999999/quizzes/assignment_overrides")
    assert (outsider.status_code, outsider.json()) == (403, FORBIDDEN)
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
