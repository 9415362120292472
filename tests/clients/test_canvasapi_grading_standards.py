"""canvasapi's grading standard calls against the live server: create on a course and an account, list, show,
set on the course and on an assignment, and letter grades that follow the standard."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden
from canvasapi.grading_standard import GradingStandard

from courseport.schema import GradingStandard as Row

_COURSE_SCHEME = [{"name": "Great", "value": 90}, {"name": "Good", "value": 75}, {"name": "Poor", "value": 0}]


@pytest.fixture
def cls(world):
    course = world.course("Chemistry")
    tina, tina_token = world.user_with_token("tina")
    ann, ann_token = world.user_with_token("ann")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    return course, (tina, tina_token), (ann, ann_token)


def _scheme(standard: GradingStandard) -> list[tuple[str, float]]:
    return [(e["name"], e["value"]) for e in standard.grading_scheme]


def test_create_list_show_and_grade_by_standards(world, cls):
    course, (_, tina_token), (ann, ann_token) = cls
    account = world.canvas().get_account(1)
    house = account.add_grading_standards("House scale", [{"name": "Top", "value": 80}, {"name": "Rest", "value": 0}])
    assert isinstance(house, GradingStandard)
    assert (house.title, house.context_type, house.context_id, _scheme(house)) == (
        "House scale", "Account", 1, [("Top", 0.8), ("Rest", 0.0)])

    teacher_course = world.canvas(tina_token).get_course(course.id)
    own = teacher_course.add_grading_standards("Lab scale", _COURSE_SCHEME)
    assert (own.title, own.context_type, own.context_id, _scheme(own)) == (
        "Lab scale", "Course", course.id, [("Great", 0.9), ("Good", 0.75), ("Poor", 0.0)])
    assert [s.id for s in teacher_course.get_grading_standards()] == [house.id, own.id]
    assert [s.id for s in account.get_grading_standards()] == [house.id]
    shown = teacher_course.get_single_grading_standard(own.id)
    assert (shown.id, shown.title, _scheme(shown)) == (own.id, "Lab scale", _scheme(own))

    teacher_course.update(course={"grading_standard_id": own.id})
    assert world.canvas(tina_token).get_course(course.id).grading_standard_id == own.id

    lab = teacher_course.create_assignment({"name": "Titration", "points_possible": 10,
                                            "grading_type": "letter_grade", "published": True})
    graded = lab.get_submission(ann.id)
    graded.edit(submission={"posted_grade": "Good"})  # the top of Good: just below Great (89%)
    assert (graded.score, graded.grade) == (8.9, "Good")
    graded.edit(submission={"posted_grade": "7.6"})
    assert (graded.score, graded.grade) == (7.6, "Good")

    quiz = teacher_course.create_assignment({"name": "Quiz", "points_possible": 10, "grading_type": "letter_grade",
                                             "grading_standard_id": house.id, "published": True})
    assert quiz.grading_standard_id == house.id
    on_quiz = quiz.get_submission(ann.id)
    on_quiz.edit(submission={"posted_grade": "7.6"})
    assert (on_quiz.score, on_quiz.grade) == (7.6, "Rest")
    with pytest.raises(BadRequest):
        on_quiz.edit(submission={"posted_grade": "Good"})  # not a letter of the quiz's own standard

    with pytest.raises(Forbidden):
        world.canvas(ann_token).get_course(course.id).add_grading_standards("Mine", _COURSE_SCHEME)
    with world.tx() as db:
        assert db.query(Row).count() == 2


def test_course_refuses_a_standard_of_another_course(world, cls):
    course, (_, tina_token), _ = cls
    other = world.course("Other")
    foreign = world.canvas().get_course(other.id).add_grading_standards("Theirs", _COURSE_SCHEME)
    with pytest.raises(BadRequest) as caught:
        world.canvas(tina_token).get_course(course.id).update(course={"grading_standard_id": foreign.id})
    assert "course[grading_standard_id]" in str(caught.value)
    assert world.canvas(tina_token).get_course(course.id).grading_standard_id is None


def test_a_course_copy_carries_its_own_standard_and_keeps_account_ones(world, cls):
    source, (tina, tina_token), _ = cls
    target = world.course("Chemistry copy")
    world.enroll(tina, target, "TeacherEnrollment")
    canvas = world.canvas(tina_token)
    house = world.canvas().get_account(1).add_grading_standards("House", [{"name": "Top", "value": 80},
                                                                          {"name": "Rest", "value": 0}])
    original = canvas.get_course(source.id)
    own = original.add_grading_standards("Lab scale", _COURSE_SCHEME)
    original.update(course={"grading_standard_id": own.id})
    original.create_assignment({"name": "Quiz", "points_possible": 10, "grading_type": "letter_grade",
                                "grading_standard_id": house.id, "published": True})
    original.create_assignment({"name": "Lab", "points_possible": 10, "grading_type": "letter_grade",
                                "grading_standard_id": own.id, "published": True})
    copy = canvas.get_course(target.id)
    for _ in range(2):  # a second copy reuses the copied standard
        copy.create_content_migration("course_copy_importer", settings={"source_course_id": source.id})
        assert world.run_jobs() == 1
    [copied] = [s for s in copy.get_grading_standards() if s.context_type == "Course"]
    assert (copied.context_id, copied.title, _scheme(copied)) == (target.id, "Lab scale", _scheme(own))
    assert copied.id != own.id
    assert canvas.get_course(target.id).grading_standard_id == copied.id
    assert {a.name: a.grading_standard_id for a in copy.get_assignments()} == {"Quiz": house.id, "Lab": copied.id}
