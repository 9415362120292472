"""canvasapi's late policy calls against the live server: create, get, edit (True on Canvas's 204), the refusals
it raises, a grader's late status through Submission.edit, the grades the policy gives, and a course copy
carrying the policy with the course's settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from canvasapi.course import LatePolicy
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist
from sqlalchemy import select

from courseport.core.coursework import submissions as core_submissions
from courseport.schema.content import Submission

DUE = datetime.now(UTC).replace(microsecond=0) - timedelta(days=5)


@pytest.fixture
def cls(world):
    course = world.course("Geography")
    tina, tina_token = world.user_with_token(f"tina{course.id}")
    ann, ann_token = world.user_with_token(f"ann{course.id}")
    bob, _ = world.user_with_token(f"bob{course.id}")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    world.enroll(bob, course)
    return course, (tina, tina_token), (ann, ann_token), bob


def _fields(policy: LatePolicy) -> tuple:
    return (policy.missing_submission_deduction_enabled, policy.missing_submission_deduction,
            policy.late_submission_deduction_enabled, policy.late_submission_deduction,
            policy.late_submission_interval, policy.late_submission_minimum_percent_enabled,
            policy.late_submission_minimum_percent)


def test_create_get_edit_and_refusals(world, cls):
    course, (_, tina_token), (_, ann_token), _ = cls
    teacher_course = world.canvas(tina_token).get_course(course.id)
    with pytest.raises(ResourceDoesNotExist):
        teacher_course.get_late_policy()
    with pytest.raises(ResourceDoesNotExist):
        teacher_course.edit_late_policy(late_policy={"late_submission_deduction": 5})
    made = teacher_course.create_late_policy(late_policy={
        "late_submission_deduction_enabled": True, "late_submission_deduction": 15, "late_submission_interval": "day"})
    assert isinstance(made, LatePolicy)
    assert (made.course_id, _fields(made)) == (course.id, (False, 0.0, True, 15.0, "day", False, 0.0))
    with pytest.raises(BadRequest, match="only one late policy per course is allowed"):
        teacher_course.create_late_policy(late_policy={"late_submission_deduction": 1})
    assert teacher_course.edit_late_policy(late_policy={"missing_submission_deduction_enabled": True,
                                                        "missing_submission_deduction": 40}) is True
    shown = teacher_course.get_late_policy()
    assert (shown.id, _fields(shown)) == (made.id, (True, 40.0, True, 15.0, "day", False, 0.0))
    with pytest.raises(BadRequest, match=r"late_policy\[late_submission_interval\] must be day or hour"):
        teacher_course.edit_late_policy(late_policy={"late_submission_interval": "minute"})
    student_course = world.canvas(ann_token).get_course(course.id)
    with pytest.raises(Forbidden):
        student_course.get_late_policy()
    with pytest.raises(Forbidden):
        student_course.edit_late_policy(late_policy={"late_submission_deduction": 0})
    assert _fields(teacher_course.get_late_policy()) == (True, 40.0, True, 15.0, "day", False, 0.0)


def test_grades_follow_the_policy_and_a_graders_late_status(world, cls, monkeypatch):
    course, (_, tina_token), (ann, ann_token), bob = cls
    teacher_course = world.canvas(tina_token).get_course(course.id)
    essay = teacher_course.create_assignment({"name": "Map", "points_possible": 20, "published": True,
                                              "submission_types": ["online_text_entry"], "due_at": DUE.isoformat()})
    monkeypatch.setattr(core_submissions, "utcnow", lambda: DUE + timedelta(days=1, hours=1))
    world.canvas(ann_token).get_course(course.id).get_assignment(essay.id).submit(
        {"submission_type": "online_text_entry", "body": "two days started"})
    monkeypatch.undo()
    teacher_course.create_late_policy(late_policy={"late_submission_deduction_enabled": True,
                                                   "late_submission_deduction": 10})
    graded = essay.get_submission(ann.id)
    graded.edit(submission={"posted_grade": "18"})  # two days started: 20% of 20 points
    assert (graded.score, graded.entered_score, graded.points_deducted, graded.grade, graded.entered_grade) == (
        14.0, 18.0, 4.0, "14", "18")
    assert (graded.late, graded.seconds_late, graded.late_policy_status) == (True, 90000, None)
    graded.edit(submission={"late_policy_status": "late", "seconds_late_override": 3600})
    assert (graded.score, graded.points_deducted, graded.seconds_late, graded.late_policy_status) == (
        16.0, 2.0, 3600, "late")
    graded.edit(submission={"late_policy_status": "none"})
    assert (graded.score, graded.points_deducted, graded.late, graded.missing) == (18.0, None, False, False)
    with pytest.raises(BadRequest, match=r"submission\[late_policy_status\] must be one of"):
        graded.edit(submission={"late_policy_status": "early"})
    assert essay.get_submission(ann.id).late_policy_status == "none"

    teacher_course.edit_late_policy(late_policy={"missing_submission_deduction_enabled": True,
                                                 "missing_submission_deduction": 30})
    missing = essay.get_submission(bob.id)
    assert (missing.score, missing.missing, missing.workflow_state, missing.submitted_at) == (14.0, True, "graded",
                                                                                               None)


def test_grades_follow_a_due_date_moved_by_edit_and_by_an_override(world, cls, monkeypatch):
    course, (_, tina_token), (ann, ann_token), bob = cls
    teacher_course = world.canvas(tina_token).get_course(course.id)
    essay = teacher_course.create_assignment({"name": "Atlas", "points_possible": 10, "published": True,
                                              "submission_types": ["online_text_entry"], "due_at": DUE.isoformat()})
    teacher_course.create_late_policy(late_policy={
        "late_submission_deduction_enabled": True, "late_submission_deduction": 10, "late_submission_interval": "hour",
        "missing_submission_deduction_enabled": True, "missing_submission_deduction": 50})
    monkeypatch.setattr(core_submissions, "utcnow", lambda: DUE + timedelta(hours=3))
    world.canvas(ann_token).get_course(course.id).get_assignment(essay.id).submit(
        {"submission_type": "online_text_entry", "body": "three hours late"})
    monkeypatch.undo()
    essay.get_submission(ann.id).edit(submission={"posted_grade": "10"})
    assert _grading(essay.get_submission(ann.id)) == (7.0, 10.0, 3.0, True, False, 10800)
    assert _grading(essay.get_submission(bob.id)) == (5.0, 5.0, None, False, True, 0)

    essay.edit(assignment={"due_at": (DUE + timedelta(hours=1)).isoformat()})  # two hours late now
    assert _grading(essay.get_submission(ann.id)) == (8.0, 10.0, 2.0, True, False, 7200)
    override = essay.create_override(assignment_override={"student_ids": [ann.id, bob.id],
                                                          "due_at": (DUE + timedelta(days=30)).isoformat()})
    assert _grading(essay.get_submission(ann.id)) == (10.0, 10.0, None, False, False, 0)
    assert _grading(essay.get_submission(bob.id)) == (None, None, None, False, False, 0)  # not due yet
    override.delete()
    assert _grading(essay.get_submission(ann.id)) == (8.0, 10.0, 2.0, True, False, 7200)
    assert _grading(essay.get_submission(bob.id)) == (5.0, 5.0, None, False, True, 0)
    with world.tx() as db:
        rows = {r.user_id: (r.score, r.entered_score, r.points_deducted, r.late, r.workflow_state)
                for r in db.scalars(select(Submission).where(Submission.item_id == essay.id))}
    assert rows == {ann.id: (8.0, 10.0, 2.0, True, "graded"), bob.id: (5.0, 5.0, None, False, "graded")}


def _grading(submission) -> tuple:
    return (submission.score, submission.entered_score, submission.points_deducted, submission.late,
            submission.missing, submission.seconds_late)


def test_a_course_copy_carries_the_late_policy(world, cls):
    source, (tina, tina_token), _, _ = cls
    canvas = world.canvas(tina_token)
    canvas.get_course(source.id).create_late_policy(late_policy={
        "late_submission_deduction_enabled": True, "late_submission_deduction": 7.5, "late_submission_interval": "hour",
        "late_submission_minimum_percent_enabled": True, "late_submission_minimum_percent": 60})
    target = world.course("Geography copy")
    world.enroll(tina, target, "TeacherEnrollment")
    copy = canvas.get_course(target.id)
    copy.create_late_policy(late_policy={"missing_submission_deduction_enabled": True,
                                         "missing_submission_deduction": 100})
    copy.create_content_migration("course_copy_importer", settings={"source_course_id": source.id})
    assert world.run_jobs() == 1
    carried = copy.get_late_policy()
    assert (carried.course_id, _fields(carried)) == (target.id, (False, 0.0, True, 7.5, "hour", True, 60.0))
    assert carried.id != canvas.get_course(source.id).get_late_policy().id
    untouched = world.course("No policy")
    world.enroll(tina, untouched, "TeacherEnrollment")
    canvas.get_course(untouched.id).create_content_migration(
        "course_copy_importer", settings={"source_course_id": target.id}, selective_import=False)
    assert world.run_jobs() == 1
    assert _fields(canvas.get_course(untouched.id).get_late_policy()) == _fields(carried)
