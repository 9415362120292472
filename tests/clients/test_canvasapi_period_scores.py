"""canvasapi against the live server for grading period scores: course.get_enrollments(grading_period_id=...) gives
each period's grades, an id of no period of the course is refused (BadRequest), and Submission.edit on work in a
closed period is Forbidden to the teacher with the stored grade unchanged. The class and its hand-worked scores are
those of tests/dialects/canvas/test_grading_period_scores.py."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden
from sqlalchemy import select

from courseport.schema.content import Submission
from tests.grading_period_class import make_term_class


def _grades(enrollments) -> dict:
    return {e.user_id: (e.grades["current_score"], e.grades["final_score"]) for e in enrollments}


def test_enrollment_grades_per_period_through_canvasapi(world):
    course, people, _, (q1, q2) = make_term_class(world)
    (ann, _), (bob, _), tina_token = people["ann"], people["bob"], people["tina"][1]
    teacher_course = world.canvas(tina_token).get_course(course.id)
    students = {"type": ["StudentEnrollment"]}
    assert _grades(teacher_course.get_enrollments(grading_period_id=q1, **students)) == {
        ann.id: (68.0, 68.0), bob.id: (100.0, 40.0)}
    assert _grades(teacher_course.get_enrollments(grading_period_id=q2, **students)) == {
        ann.id: (84.0, 60.0), bob.id: (50.0, 20.0)}
    assert _grades(teacher_course.get_enrollments(**students)) == {ann.id: (74.0, 57.0), bob.id: (87.5, 35.0)}
    with pytest.raises(BadRequest) as refused:
        list(teacher_course.get_enrollments(grading_period_id=q2 + 1000))
    assert "grading_period_id" in str(refused.value)


def test_teacher_edit_in_a_closed_period_is_forbidden_through_canvasapi(world):
    course, people, work, _ = make_term_class(world)
    (ann, _), tina_token = people["ann"], people["tina"][1]
    submission = world.canvas(tina_token).get_course(course.id).get_assignment(work["hw1"].id).get_submission(ann.id)
    assert (submission.score, submission.grade) == (8.0, "8")
    with pytest.raises(Forbidden):
        submission.edit(submission={"posted_grade": "2"})
    with world.tx() as db:
        row = db.scalar(select(Submission).where(Submission.item_id == work["hw1"].id, Submission.user_id == ann.id))
        assert (row.score, row.grade) == (8.0, "8")
    open_work = world.canvas(tina_token).get_course(course.id).get_assignment(work["hw2"].id).get_submission(ann.id)
    open_work.edit(submission={"posted_grade": "7"})
    assert (open_work.score, open_work.grade) == (7.0, "7")
