"""canvasapi 3.6.0, unmodified, against the live server: bulk grade updates of a course and of one assignment
as a background job whose Progress the client polls; refusals name the grade and queue nothing."""

from __future__ import annotations

import json

import pytest
from canvasapi.exceptions import BadRequest, Forbidden
from canvasapi.progress import Progress
from sqlalchemy import select, update

from courseport.schema import Course, Enrollment, Job, Submission
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


@pytest.fixture
def cls(world):
    course = world.course("Physics")
    tina, tina_token = world.user_with_token("tina")
    ann, ann_token = world.user_with_token("ann")
    bob, _ = world.user_with_token("bob")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    world.enroll(bob, course)
    teacher = world.canvas(tina_token).get_course(course.id)
    lab = teacher.create_assignment({"name": "Lab", "points_possible": 20, "published": True})
    quiz = teacher.create_assignment({"name": "Quiz", "points_possible": 10, "published": True})
    world.tina_token = tina_token
    return teacher, lab, quiz, tina, ann, bob, world.canvas(ann_token).get_course(course.id)


def _grades(world, course_id: int) -> dict[tuple[int, int], tuple]:
    with world.tx() as db:
        rows = db.scalars(select(Submission).where(Submission.course_id == course_id))
        return {(r.item_id, r.user_id): (r.score, r.grade, r.excused) for r in rows}


def test_a_course_grades_many_students_on_many_assignments_in_one_job(world, cls):
    teacher, lab, quiz, tina, ann, bob, _ = cls
    progress = teacher.submissions_bulk_update(grade_data={
        lab.id: {ann.id: {"posted_grade": "18"}, bob.id: {"posted_grade": "50%", "text_comment": "redo part 2"}},
        quiz.id: {ann.id: {"excuse": True}}})
    assert isinstance(progress, Progress)
    assert (progress.workflow_state, progress.tag, progress.context_type, progress.context_id, progress.user_id) \
        == ("queued", "submissions_update", "Course", teacher.id, tina.id)
    assert _grades(world, teacher.id) == {}  # nothing graded before the job runs
    assert world.run_jobs() == 1
    done = progress.query()
    assert (done.workflow_state, done.completion, done.results) == ("completed", 100.0, {"graded": 3})
    assert _grades(world, teacher.id) == {(lab.id, ann.id): (18.0, "18", False), (lab.id, bob.id): (10.0, "10", False),
                                          (quiz.id, ann.id): (None, None, True)}
    bobs = lab.get_submission(bob.id, include=["submission_comments"])
    assert (bobs.grader_id, [c["comment"] for c in bobs.submission_comments]) == (tina.id, ["redo part 2"])


def test_an_assignment_grades_its_students(world, cls):
    teacher, lab, _, _, ann, bob, _ = cls
    progress = lab.submissions_bulk_update(grade_data={ann.id: {"posted_grade": "20"},
                                                       bob.id: {"posted_grade": "15"}})
    assert world.run_jobs() == 1
    assert progress.query().workflow_state == "completed"
    assert _grades(world, teacher.id) == {(lab.id, ann.id): (20.0, "20", False), (lab.id, bob.id): (15.0, "15", False)}


def test_refusals_queue_nothing(world, cls):
    teacher, lab, _, tina, ann, _, student_course = cls
    outsider, _ = world.user_with_token("outsider")
    with pytest.raises(BadRequest) as not_a_student:
        teacher.submissions_bulk_update(grade_data={lab.id: {outsider.id: {"posted_grade": "5"}}})
    with pytest.raises(BadRequest) as bad_grade:
        lab.submissions_bulk_update(grade_data={ann.id: {"posted_grade": "lots"}})
    with pytest.raises(BadRequest) as unsupported:
        lab.submissions_bulk_update(grade_data={ann.id: {"rubric_assessment": {"x": {"points": 1}}}})
    with pytest.raises(Forbidden) as student:
        student_course.submissions_bulk_update(grade_data={lab.id: {ann.id: {"posted_grade": "20"}}})
    assert [json.loads(e.value.message) for e in (not_a_student, bad_grade, unsupported, student)] == [
        {"errors": [{"message": f"user {outsider.id} is not a student of the course", "field": "grade_data"}]},
        {"errors": [{"message": f"user {ann.id}: invalid grade 'lots' for a points assignment",
                     "field": "grade_data"}]},
        {"errors": [{"message": f"grade_data[{ann.id}][rubric_assessment] is not supported (only posted_grade, "
                                "excuse, text_comment)", "field": f"grade_data[{ann.id}][rubric_assessment]"}]},
        FORBIDDEN]
    with world.tx() as db:
        assert db.scalars(select(Job)).all() == []
    assert _grades(world, teacher.id) == {}


def test_raw_bodies_and_a_job_that_finds_the_course_changed(world, cls):
    teacher, lab, _, tina, ann, bob, _ = cls
    base = f"/api/v1/courses/{teacher.id}"
    with world.client(world.tina_token) as c:
        missing = c.post(f"{base}/submissions/update_grades", data={})
        flat = c.post(f"{base}/submissions/update_grades", data={"grade_data": "5"})
        unknown = c.post(f"{base}/assignments/999999/submissions/update_grades",
                         data={f"grade_data[{ann.id}][posted_grade]": "1"})
        queued = c.post(f"{base}/assignments/{lab.id}/submissions/update_grades",
                        data={f"grade_data[{ann.id}][posted_grade]": "12", f"grade_data[{bob.id}][posted_grade]": "9"})
    assert (missing.status_code, missing.json()) == (400, {"errors": [
        {"message": "grade_data is required", "field": "grade_data"}]})
    assert (flat.status_code, flat.json()) == (400, {"errors": [
        {"message": "grade_data must be a hash keyed by id", "field": "grade_data"}]})
    assert (unknown.status_code, unknown.json()) == (404, {"errors": [
        {"message": "The specified resource does not exist."}]})
    body = queued.json()
    assert (queued.status_code, body["workflow_state"], body["url"]) == (
        200, "queued", f"{world.base_url}/api/v1/progress/{body['id']}")
    with world.tx() as db:  # bob leaves before the job runs: no grade of the batch is kept
        db.execute(update(Enrollment).where(Enrollment.user_id == bob.id).values(workflow_state="deleted"))
    world.run_jobs()
    with world.tx() as db:
        job = db.get(Job, body["id"])
        failed = (job.state, job.error)
    assert failed == ("failed", f"assignment {lab.id}, user {bob.id}: The specified user does not exist.")
    assert _grades(world, teacher.id) == {}


def test_a_section_grades_only_its_own_students(world, cls):
    teacher, lab, quiz, _, ann, _, _ = cls
    section = teacher.create_course_section(course_section={"name": "Evening"})
    cy, _ = world.user_with_token("cy")
    with world.tx() as db:
        course = db.get(Course, teacher.id)
    world.enroll(cy, course, section_id=section.id)
    progress = section.submissions_bulk_update(grade_data={lab.id: {cy.id: {"posted_grade": "16"}}})
    with pytest.raises(BadRequest) as other_section:
        section.submissions_bulk_update(grade_data={lab.id: {ann.id: {"posted_grade": "1"}}})
    with world.client(world.tina_token) as c:
        one = c.post(f"/api/v1/sections/{section.id}/assignments/{quiz.id}/submissions/update_grades",
                     data={f"grade_data[{cy.id}][excuse]": "true"})
        unknown = c.post("/api/v1/sections/999999/submissions/update_grades",
                         data={f"grade_data[{lab.id}][{cy.id}][posted_grade]": "1"})
    assert json.loads(other_section.value.message) == {"errors": [
        {"message": f"user {ann.id} is not a student of the section", "field": "grade_data"}]}
    assert (one.status_code, one.json()["tag"], one.json()["context_id"]) == (200, "submissions_update", teacher.id)
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
    assert world.run_jobs() == 2
    assert progress.query().workflow_state == "completed"
    assert _grades(world, teacher.id) == {(lab.id, cy.id): (16.0, "16", False), (quiz.id, cy.id): (None, None, True)}
