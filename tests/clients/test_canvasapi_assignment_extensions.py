"""canvasapi's Assignment.set_extensions and Assignment.submit against the live server: attempts run out at
allowed_attempts, a teacher's extra attempts give more, students may not extend, and bad counts are refused."""

from __future__ import annotations

import pytest
from canvasapi.assignment import Assignment, AssignmentExtension
from canvasapi.exceptions import BadRequest, Forbidden
from sqlalchemy import select

from courseport.schema.content import Submission


def _assignment(canvas, course_id: int, assignment_id: int) -> Assignment:
    return canvas.get_course(course_id).get_assignment(assignment_id)


@pytest.fixture
def cls(world):
    course = world.course("Rhetoric")
    tina, tina_token = world.user_with_token("tina")
    ann, ann_token = world.user_with_token("ann")
    bob, _ = world.user_with_token("bob")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    world.enroll(bob, course)
    made = world.canvas(tina_token).get_course(course.id).create_assignment({
        "name": "Speech", "submission_types": ["online_text_entry"], "allowed_attempts": 1, "published": True})
    return course, made, tina_token, (ann, ann_token), bob


def _kept(world, assignment_id: int) -> list[tuple]:
    with world.tx() as db:
        return db.execute(select(Submission.user_id, Submission.attempt, Submission.extra_attempts)
                          .where(Submission.item_id == assignment_id).order_by(Submission.user_id)).all()


def test_extra_attempts_let_a_student_submit_past_allowed_attempts(world, cls):
    course, made, tina_token, (ann, ann_token), bob = cls
    mine = _assignment(world.canvas(ann_token), course.id, made.id)
    assert made.allowed_attempts == 1
    first = mine.submit({"submission_type": "online_text_entry", "body": "one"})
    assert (first.attempt, first.extra_attempts) == (1, None)
    with pytest.raises(BadRequest) as refused:
        mine.submit({"submission_type": "online_text_entry", "body": "two"})
    assert "maximum number of allowed attempts" in str(refused.value)

    extensions = _assignment(world.canvas(tina_token), course.id, made.id).set_extensions([
        {"user_id": ann.id, "extra_attempts": 1}, {"user_id": bob.id, "extra_attempts": 3}])
    assert all(isinstance(e, AssignmentExtension) for e in extensions)
    assert [(e.assignment_id, e.user_id, e.extra_attempts) for e in extensions] == [
        (made.id, ann.id, 1), (made.id, bob.id, 3)]
    assert [str(e) for e in extensions] == [f"{made.id} ({ann.id})", f"{made.id} ({bob.id})"]

    second = mine.submit({"submission_type": "online_text_entry", "body": "two"})
    assert (second.attempt, second.extra_attempts, second.body) == (2, 1, "two")
    with pytest.raises(BadRequest):
        mine.submit({"submission_type": "online_text_entry", "body": "three"})
    assert _kept(world, made.id) == [(ann.id, 2, 1), (bob.id, None, 3)]


def test_students_may_not_extend_and_negative_counts_are_refused(world, cls):
    course, made, tina_token, (ann, ann_token), bob = cls
    with pytest.raises(Forbidden):
        _assignment(world.canvas(ann_token), course.id, made.id).set_extensions(
            [{"user_id": ann.id, "extra_attempts": 5}])
    with pytest.raises(BadRequest) as refused:
        _assignment(world.canvas(tina_token), course.id, made.id).set_extensions(
            [{"user_id": bob.id, "extra_attempts": -1}])
    assert "Extra attempts must be greater than or equal to 0" in str(refused.value)
    assert _kept(world, made.id) == []
