"""canvasapi's grading period calls against the live server: a set made over raw HTTP (canvasapi has no set
calls) for the course's term, then the course's and the account's periods listed, shown, updated and deleted
through canvasapi, with the stored rows after each call, and the course and assignment JSON that follow them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from canvasapi.exceptions import Forbidden, ResourceDoesNotExist
from canvasapi.grading_period import GradingPeriod
from sqlalchemy import select

from courseport.core.identity import accounts
from courseport.schema import Course
from courseport.schema import GradingPeriod as Row

_NOW = datetime.now(UTC).replace(microsecond=0)


def _at(days: int) -> str:
    return (_NOW + timedelta(days=days)).isoformat().replace("+00:00", "Z")


@pytest.fixture
def cls(world):
    course = world.course("Geography")
    with world.tx() as db:
        term = accounts.create_term(db, 1, "Autumn")
        db.get(Course, course.id).enrollment_term_id = term.id
        term_id = term.id
    tina, tina_token = world.user_with_token("tina")
    ann, ann_token = world.user_with_token("ann")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    with world.client(world.admin_token) as c:
        made = c.post("/api/v1/accounts/1/grading_period_sets", json={
            "grading_period_set": {"title": "Year"}, "enrollment_term_ids": [term_id]}).json()["grading_period_set"]
        r = c.patch(f"/api/v1/grading_period_sets/{made['id']}/grading_periods/batch_update", json={"grading_periods": [
            {"title": "Past", "start_date": _at(-60), "end_date": _at(-30), "close_date": _at(-20)},
            {"title": "Now", "start_date": _at(-30), "end_date": _at(30), "weight": 50}]})
        assert r.status_code == 200, r.text
    return course, tina_token, ann_token


def _stored(world) -> list[tuple]:
    with world.tx() as db:
        return [(p.title, p.weight) for p in db.scalars(select(Row).order_by(Row.start_date))]


def test_course_and_account_periods_through_canvasapi(world, cls):
    course, _, ann_token = cls
    student_course = world.canvas(ann_token).get_course(course.id)
    listed = list(student_course.get_grading_periods())
    assert all(isinstance(p, GradingPeriod) for p in listed)
    assert [(p.title, p.is_closed, p.course_id) for p in listed] == [
        ("Past", True, course.id), ("Now", False, course.id)]
    shown = student_course.get_grading_period(listed[1].id)
    assert (shown.id, shown.title, shown.weight, shown.is_last) == (listed[1].id, "Now", 50.0, True)
    with pytest.raises(ResourceDoesNotExist):
        student_course.get_grading_period(999999)
    with pytest.raises(Forbidden):
        listed[1].delete()  # canvasapi's period keeps the student's requester
    assert _stored(world) == [("Past", None), ("Now", 50.0)]

    admin_course = world.canvas().get_course(course.id)
    period = admin_course.get_grading_period(listed[1].id)
    changed = period.update([{"title": "Current", "start_date": _at(-30), "end_date": _at(40),
                             "close_date": _at(45), "weight": 60}])
    assert (changed.title, changed.weight, changed.end_date, changed.course_id) == ("Current", 60.0, _at(40), course.id)
    assert _stored(world) == [("Past", None), ("Current", 60.0)]
    account_periods = list(world.canvas().get_account(1).get_grading_periods())
    assert [p.title for p in account_periods] == ["Past", "Current"]
    assert period.delete() == 204
    assert _stored(world) == [("Past", None)]
    assert [p.title for p in admin_course.get_grading_periods()] == ["Past"]


def test_course_and_assignment_json_follow_the_periods(world, cls):
    course, tina_token, ann_token = cls
    teacher = world.canvas(tina_token).get_course(course.id)
    closed = teacher.create_assignment({"name": "Old essay", "points_possible": 10, "due_at": _at(-40),
                                        "published": True})
    open_now = teacher.create_assignment({"name": "New essay", "points_possible": 10, "due_at": _at(-5),
                                          "published": True})
    assert (closed.in_closed_grading_period, open_now.in_closed_grading_period) == (True, False)
    student = world.canvas(ann_token)
    assert student.get_course(course.id).get_assignment(closed.id).in_closed_grading_period is True
    groups = list(teacher.get_assignment_groups(include=["assignments"]))
    assert [g.any_assignment_in_closed_grading_period for g in groups] == [True]
    closed.edit(assignment={"due_at": _at(-10)})
    assert [g.any_assignment_in_closed_grading_period for g in teacher.get_assignment_groups(
        include=["assignments"])] == [False]
    with_periods = student.get_course(course.id, include=["grading_periods"])
    assert [(p["title"], p["workflow_state"]) for p in with_periods.grading_periods] == [
        ("Past", "active"), ("Now", "active")]
    assert student.get_course(course.id).grading_periods is None
    scored = student.get_course(course.id, include=["total_scores", "current_grading_period_scores"])
    assert scored.has_grading_periods is True
    (enrollment,) = scored.enrollments
    assert (enrollment["has_grading_periods"], enrollment["current_grading_period_title"]) == (True, "Now")
    listed = [c for c in student.get_courses(include=["grading_periods"]) if c.id == course.id]
    assert [p["title"] for p in listed[0].grading_periods] == ["Past", "Now"]
