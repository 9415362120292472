"""Grades in core: posted grades to scores per grading type, scores to grades, and course totals."""

from __future__ import annotations

import pytest

from courseport.core.courses.grading_standards import DEFAULT_SCHEME
from courseport.core.coursework import grades
from courseport.core.coursework.submissions import GradeChange, grade
from courseport.core.kit.errors import InvalidInput
from courseport.schema import Course, User
from courseport.schema.content import ContentItem


def _assignment(points: float | None, grading_type: str = "points") -> ContentItem:
    return ContentItem(points=points, data={"grading_type": grading_type})


@pytest.mark.parametrize("grading_type, points, posted, score", [
    ("points", 10, "7", 7.0), ("points", 10, "7.25", 7.25), ("points", 10, "40%", 4.0), ("points", 10, "120%", 12.0),
    ("points", 10, "complete", 10.0), ("points", 10, "fail", 0.0), ("percent", 50, "90%", 45.0),
    ("letter_grade", 10, "A", 10.0), ("letter_grade", 10, "a-", 9.3), ("letter_grade", 10, "B", 8.6),
    ("letter_grade", 10, "F", 6.0), ("gpa_scale", 20, "C", 15.2), ("pass_fail", 4, "pass", 4.0),
    ("pass_fail", 4, "0", 0.0),
])
def test_score_for_posted_grade(grading_type, points, posted, score):
    assert grades.score_for_posted_grade(_assignment(points, grading_type), posted, DEFAULT_SCHEME) == score


@pytest.mark.parametrize("grading_type, posted", [
    ("points", "B"), ("points", ""), ("letter_grade", "Z"), ("pass_fail", "2"), ("pass_fail", "50%"),
])
def test_invalid_posted_grades_name_the_parameter(grading_type, posted):
    with pytest.raises(InvalidInput) as caught:
        grades.score_for_posted_grade(_assignment(4, grading_type), posted, DEFAULT_SCHEME)
    assert caught.value.field == "submission[posted_grade]"


@pytest.mark.parametrize("grading_type, points, score, grade", [
    ("points", 10, 7.0, "7"), ("points", 10, 7.5, "7.5"), ("percent", 8, 6.0, "75%"),
    ("letter_grade", 10, 9.0, "A-"), ("letter_grade", 10, 5.0, "F"), ("gpa_scale", 10, 8.7, "B+"),
    ("pass_fail", 10, 10.0, "complete"), ("pass_fail", 10, 0.0, "incomplete"), ("not_graded", 10, 1.0, None),
])
def test_grade_for_score(grading_type, points, score, grade):
    assert grades.grade_for_score(_assignment(points, grading_type), score, DEFAULT_SCHEME) == grade


def test_scheme_edges():
    assert [grades.scheme_grade(p, DEFAULT_SCHEME) for p in (100, 94, 93.99, 61, 60.9)] == ["A", "A", "A-", "D-", "F"]
    assert grades.scheme_percent("nope", DEFAULT_SCHEME) is None


def _grade(world, teacher, course, assignment, student, posted=None, excuse=None):
    with world.tx() as db:
        grade(db, db.get(User, teacher.id), course.id, str(assignment.id), str(student.id),
              GradeChange(posted_grade=posted, excuse=excuse))


def _scores(world, course, *students):
    with world.tx() as db:
        found = grades.course_scores(db, [(db.get(Course, course.id), [s.id for s in students])])
    return [found[(course.id, s.id)] for s in students]


@pytest.fixture
def weighted(world):
    course = world.course("Weighted", apply_assignment_group_weights=True, post_manually=True)
    teacher, ann, bob = world.user("tina"), world.user("ann"), world.user("bob")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(ann, course)
    world.enroll(bob, course)
    quizzes, project = world.assignment_group(course, "Quizzes", 30), world.assignment_group(course, "Project", 50)
    q1 = world.assignment(course, "Q1", group=quizzes, points=5)
    q2 = world.assignment(course, "Q2", group=quizzes, points=5)
    p1 = world.assignment(course, "P1", group=project, points=100)
    world.assignment(course, "Hidden", group=project, points=100, state="unpublished")
    return course, teacher, ann, bob, (q1, q2, p1)


def test_weighted_totals_scale_partial_weights_and_count_unposted_separately(world, weighted):
    course, teacher, ann, bob, (q1, q2, p1) = weighted
    _grade(world, teacher, course, q1, ann, "5")
    _grade(world, teacher, course, q2, ann, "3")
    _grade(world, teacher, course, p1, ann, "60")
    [scores, nothing] = _scores(world, course, ann, bob)
    # post_manually: nothing is posted, so only the unposted totals count these grades
    assert (scores.current_score, scores.final_score) == (None, 0.0)
    # quizzes 8/10 (30) and project 60% (50) -> (24 + 30) * 100 / 80
    assert (scores.unposted_current_score, scores.unposted_final_score) == (67.5, 67.5)
    assert (nothing.unposted_current_score, nothing.unposted_final_score) == (None, 0.0)


def test_excused_and_ungraded_work_in_current_and_final(world, weighted):
    course, teacher, ann, _, (q1, q2, p1) = weighted
    with world.tx() as db:
        db.get(Course, course.id).post_manually = False
    _grade(world, teacher, course, q1, ann, "4")
    _grade(world, teacher, course, q2, ann, excuse=True)
    [scores] = _scores(world, course, ann)
    # current: only quizzes count (4/5 = 80%); final: quizzes 80% * 30 + project 0 * 50 over 80
    assert (scores.current_score, scores.final_score) == (80.0, 30.0)
    assert (scores.current_grade, scores.final_grade) == (None, None)
    del p1
