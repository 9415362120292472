"""canvasapi's submission calls against the live server: submit, read, grade, and across students."""

from __future__ import annotations

import pytest
from canvasapi.assignment import Assignment
from canvasapi.exceptions import BadRequest, Forbidden
from canvasapi.submission import GroupedSubmission, Submission


def _assignment(canvas, course_id: int, assignment_id: int) -> Assignment:
    return canvas.get_course(course_id).get_assignment(assignment_id)


@pytest.fixture
def cls(world):
    course = world.course("Physics")
    tina, tina_token = world.user_with_token("tina")
    ann, ann_token = world.user_with_token("ann")
    bob, bob_token = world.user_with_token("bob")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    world.enroll(bob, course)
    assignment = world.canvas(tina_token).get_course(course.id).create_assignment({
        "name": "Lab report", "points_possible": 20, "submission_types": ["online_text_entry", "online_url"],
        "published": True})
    return course, assignment, (tina, tina_token), (ann, ann_token), (bob, bob_token)


def test_submit_read_and_grade(world, cls):
    course, item, (tina, tina_token), (ann, ann_token), _ = cls
    mine = _assignment(world.canvas(ann_token), course.id, item.id)
    submission = mine.submit({"submission_type": "online_text_entry", "body": "<p>Results</p>"},
                             comment={"text_comment": "see table 2"})
    assert isinstance(submission, Submission)
    assert (submission.user_id, submission.attempt, submission.workflow_state, submission.body) == (
        ann.id, 1, "submitted", "<p>Results</p>")
    assert [c["comment"] for c in submission.submission_comments] == ["see table 2"]

    graded = _assignment(world.canvas(tina_token), course.id, item.id).get_submission(ann.id)
    assert (graded.id, graded.course_id) == (submission.id, course.id)
    graded.edit(submission={"posted_grade": "75%"}, comment={"text_comment": "good"})
    assert (graded.score, graded.grade, graded.grader_id, graded.workflow_state) == (15.0, "15", tina.id, "graded")
    assert [c["comment"] for c in graded.submission_comments] == ["see table 2", "good"]

    again = mine.get_submission("self")
    assert (again.score, again.grade, again.grade_matches_current_submission) == (15.0, "15", True)


def test_teacher_lists_submissions_and_students_cannot(world, cls):
    course, item, (_, tina_token), (ann, ann_token), (bob, _) = cls
    _assignment(world.canvas(ann_token), course.id, item.id).submit(
        {"submission_type": "online_url", "url": "https://lab.test/ann"})
    listed = list(_assignment(world.canvas(tina_token), course.id, item.id).get_submissions())
    assert [(s.user_id, s.workflow_state, s.url) for s in listed] == [
        (ann.id, "submitted", "https://lab.test/ann"), (bob.id, "unsubmitted", None)]
    with pytest.raises(Forbidden):
        list(_assignment(world.canvas(ann_token), course.id, item.id).get_submissions())
    with pytest.raises(Forbidden):
        _assignment(world.canvas(ann_token), course.id, item.id).get_submission(bob.id)


def test_student_cannot_grade(world, cls):
    course, item, _, (ann, ann_token), _ = cls
    submission = _assignment(world.canvas(ann_token), course.id, item.id).get_submission("self")
    with pytest.raises(Forbidden):
        submission.edit(submission={"posted_grade": 20})


def test_multiple_submissions_flat_and_grouped(world, cls):
    course, item, (_, tina_token), (ann, ann_token), (bob, _) = cls
    second = world.canvas(tina_token).get_course(course.id).create_assignment({
        "name": "Quiz prep", "submission_types": ["online_text_entry"], "published": True})
    _assignment(world.canvas(ann_token), course.id, item.id).submit(
        {"submission_type": "online_text_entry", "body": "done"})
    teacher_course = world.canvas(tina_token).get_course(course.id)
    flat = list(teacher_course.get_multiple_submissions(student_ids="all", workflow_state="submitted"))
    assert [(s.assignment_id, s.user_id) for s in flat] == [(item.id, ann.id)]
    grouped = list(teacher_course.get_multiple_submissions(student_ids=["all"], grouped=True,
                                                           assignment_ids=[item.id, second.id]))
    assert all(isinstance(g, GroupedSubmission) for g in grouped)
    assert [(g.user_id, [(s.assignment_id, s.workflow_state) for s in g.submissions]) for g in grouped] == [
        (ann.id, [(item.id, "submitted"), (second.id, "unsubmitted")]),
        (bob.id, [(item.id, "unsubmitted"), (second.id, "unsubmitted")])]
    own = list(world.canvas(ann_token).get_course(course.id).get_multiple_submissions())
    assert [(s.assignment_id, s.user_id) for s in own] == [(item.id, ann.id), (second.id, ann.id)]
    with pytest.raises(Forbidden):
        list(world.canvas(ann_token).get_course(course.id).get_multiple_submissions(student_ids=[bob.id]))


def test_letter_grades_and_course_totals(world, cls):
    course, _, (_, tina_token), (ann, ann_token), _ = cls
    letter = world.canvas(tina_token).get_course(course.id).create_assignment({
        "name": "Essay", "points_possible": 10, "grading_type": "letter_grade", "published": True,
        "submission_types": ["online_text_entry"]})
    graded = letter.get_submission(ann.id).edit(submission={"posted_grade": "B"})
    assert (graded.score, graded.grade) == (8.6, "B")
    seen = world.canvas(ann_token).get_course(course.id, include=["total_scores"])
    [enrollment] = seen.enrollments
    # graded: 8.6 of 10 (the ungraded 20-point lab counts as zero in the final score)
    assert (enrollment["computed_current_score"], enrollment["computed_final_score"]) == (86.0, 28.67)
    teacher_view = world.canvas(tina_token).get_course(course.id, include=["needs_grading_count"])
    assert teacher_view.needs_grading_count == 0


def test_a_student_uploads_a_file_and_submits_it(world, cls, tmp_path):
    course, _, (tina, tina_token), (ann, ann_token), (bob, bob_token) = cls
    upload = world.canvas(tina_token).get_course(course.id).create_assignment({
        "name": "Essay", "points_possible": 10, "submission_types": ["online_upload"],
        "allowed_extensions": ["txt"], "published": True})
    essay = tmp_path / "essay.txt"
    essay.write_bytes(b"It was a dark and stormy night.\n")
    mine = _assignment(world.canvas(ann_token), course.id, upload.id)
    done, uploaded = mine.upload_to_submission(str(essay))
    assert done is True and (uploaded["display_name"], uploaded["size"]) == ("essay.txt", 32)
    submission = mine.submit({"submission_type": "online_upload", "file_ids": [uploaded["id"]]})
    assert (submission.submission_type, [a.id for a in submission.attachments]) == (
        "online_upload", [uploaded["id"]])

    graded = _assignment(world.canvas(tina_token), course.id, upload.id).get_submission(ann.id)
    [attachment] = graded.attachments
    with world.client() as anonymous:  # the attachment URL carries its verifier, as Canvas's does
        fetched = anonymous.get(attachment.url, follow_redirects=True)
    assert (fetched.status_code, fetched.content) == (200, b"It was a dark and stormy night.\n")
    with world.client(ann_token) as c:
        assert c.get(f"/api/v1/files/{uploaded['id']}").json()["display_name"] == "essay.txt"
    with world.client(bob_token) as c:  # a classmate cannot read it
        assert c.get(f"/api/v1/files/{uploaded['id']}").status_code == 404
    bobs = _assignment(world.canvas(bob_token), course.id, upload.id)
    with pytest.raises(BadRequest):  # another student's file is no file of Bob's
        bobs.submit({"submission_type": "online_upload", "file_ids": [uploaded["id"]]})
