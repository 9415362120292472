"""Submissions in core: submit and grade rules, who reads what, and needs-grading counts per course."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from courseport.core.coursework import grades, submissions
from courseport.core.coursework.submissions import GradeChange, SubmissionEntry, SubmissionsQuery
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Window
from courseport.schema import User
from courseport.schema.content import Submission

TEXT = SubmissionEntry("online_text_entry", body="<b>hi</b><img src=x onerror=alert(1)>")


@pytest.fixture
def cls(world):
    course = world.course("Core submissions")
    teacher, ta, ann, bob = world.user("tina"), world.user("tom"), world.user("ann"), world.user("bob")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(ta, course, "TaEnrollment")
    world.enroll(ann, course)
    world.enroll(bob, course)
    return course, teacher, ta, ann, bob


def _as(world, user, fn, *args):
    with world.tx() as db:
        return fn(db, db.get(User, user.id), *args)


def test_submit_sanitises_and_counts_attempts(world, cls):
    course, _, _, ann, _ = cls
    assignment = world.assignment(course)
    first = _as(world, ann, submissions.submit, course.id, str(assignment.id), TEXT)
    second = _as(world, ann, submissions.submit, course.id, str(assignment.id), TEXT)
    assert (first.submission.attempt, second.submission.attempt) == (1, 2)
    assert second.submission.body == '<b>hi</b><img src="x">'
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(Submission)) == 1


@pytest.mark.parametrize("entry, field", [
    (SubmissionEntry("online_url", url="ftp://files.test/x"), "submission[submission_type]"),
    (SubmissionEntry(None), "submission[submission_type]"),
])
def test_submit_rejects_types_the_assignment_does_not_take(world, cls, entry, field):
    course, _, _, ann, _ = cls
    assignment = world.assignment(course)
    with pytest.raises(InvalidInput) as caught:
        _as(world, ann, submissions.submit, course.id, str(assignment.id), entry)
    assert caught.value.field == field


def test_submit_rejects_non_http_urls(world, cls):
    course, _, _, ann, _ = cls
    assignment = world.assignment(course, data={"submission_types": ["online_url"]})
    with pytest.raises(InvalidInput) as caught:
        _as(world, ann, submissions.submit, course.id, str(assignment.id),
            SubmissionEntry("online_url", url="ftp://files.test/x"))
    assert caught.value.field == "submission[url]"


def test_only_graders_grade_and_students_must_be_in_the_course(world, cls):
    course, teacher, ta, ann, bob = cls
    assignment = world.assignment(course)
    with pytest.raises(NotAllowed):
        _as(world, bob, submissions.grade, course.id, str(assignment.id), str(ann.id), GradeChange("5"))
    with pytest.raises(NotFound):
        _as(world, teacher, submissions.grade, course.id, str(assignment.id), str(ta.id), GradeChange("5"))
    view = _as(world, ta, submissions.grade, course.id, str(assignment.id), str(ann.id), GradeChange("5"))
    assert (view.submission.score, view.submission.grader_id, view.grade_visible) == (5.0, ta.id, True)


def test_students_query_self_by_default_and_graders_everyone(world, cls):
    course, teacher, _, ann, bob = cls
    a1 = world.assignment(course)
    mine = _as(world, ann, submissions.student_submissions, course.id, SubmissionsQuery(), Window(0, 10))
    assert [(v.assignment.id, v.submission.user_id) for v in mine.items] == [(a1.id, ann.id)]
    with pytest.raises(NotAllowed):
        _as(world, ann, submissions.student_submissions, course.id, SubmissionsQuery(student_ids=(str(bob.id),)),
            Window(0, 10))
    # "all" means every student the caller may read: for a student, themselves
    everything = _as(world, ann, submissions.student_submissions, course.id, SubmissionsQuery(student_ids=("all",)),
                     Window(0, 10))
    assert [v.submission.user_id for v in everything.items] == [ann.id]
    everyone = _as(world, teacher, submissions.assignment_submissions, course.id, str(a1.id), Window(0, 1))
    assert ([v.submission.user_id for v in everyone.items], everyone.has_more) == ([ann.id], True)


def test_needs_grading_counts_per_course_for_graders_only(world, cls):
    course, teacher, _, ann, bob = cls
    other = world.course("Other")
    world.enroll(ann, other)
    a1, a2 = world.assignment(course), world.assignment(other)
    _as(world, ann, submissions.submit, course.id, str(a1.id), TEXT)
    _as(world, bob, submissions.submit, course.id, str(a1.id), TEXT)
    _as(world, ann, submissions.submit, other.id, str(a2.id), TEXT)
    with world.tx() as db:
        by_teacher = grades.needs_grading_counts(db, [course.id, other.id], db.get(User, teacher.id))
        by_admin = grades.needs_grading_counts(db, [course.id, other.id], db.get(User, world.admin.id))
        by_student = grades.needs_grading_counts(db, [course.id, other.id], db.get(User, ann.id))
    assert (by_teacher, by_admin, by_student) == ({course.id: 2}, {course.id: 2, other.id: 1}, {})
    _as(world, teacher, submissions.grade, course.id, str(a1.id), str(bob.id), GradeChange(excuse=True))
    with world.tx() as db:
        assert grades.needs_grading_counts(db, [course.id], db.get(User, teacher.id)) == {course.id: 1}
