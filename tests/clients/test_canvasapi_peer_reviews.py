"""canvasapi's peer review and read-state calls against the live server: a teacher turns peer reviews on and
assigns a review, the reviewer finds it, reads the submission (not its grade), comments and so completes it;
the teacher removes a review; the student marks their graded submission read and unread."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import Forbidden
from canvasapi.peer_review import PeerReview
from sqlalchemy import select

from courseport.schema import PeerReview as PeerReviewRow


@pytest.fixture
def cls(world):
    course = world.course("Writing")
    people = {}
    for login, etype in (("tina", "TeacherEnrollment"), ("ann", "StudentEnrollment"), ("bob", "StudentEnrollment")):
        user, token = world.user_with_token(login)
        world.enroll(user, course, etype)
        people[login] = (user, token)
    tina_course = world.canvas(people["tina"][1]).get_course(course.id)
    assignment = tina_course.create_assignment({
        "name": "Essay", "points_possible": 10, "submission_types": ["online_text_entry"], "published": True})
    world.canvas(people["ann"][1]).get_course(course.id).get_assignment(assignment.id).submit(
        {"submission_type": "online_text_entry", "body": "<p>Ann's essay</p>"})
    return course, assignment, people


def test_review_assigned_read_commented_completed_and_removed(world, cls):
    course, assignment, people = cls
    (ann, _), (bob, bob_token), (_, tina_token) = people["ann"], people["bob"], people["tina"]
    teacher_assignment = world.canvas(tina_token).get_course(course.id).get_assignment(assignment.id)
    teacher_assignment = teacher_assignment.edit(assignment={"peer_reviews": True})
    assert teacher_assignment.peer_reviews is True
    submission = teacher_assignment.get_submission(ann.id)
    submission.edit(submission={"posted_grade": "8"})

    review = submission.create_submission_peer_review(bob.id)
    assert isinstance(review, PeerReview)
    assert (review.assessor_id, review.asset_id, review.asset_type, review.user_id, review.workflow_state) == (
        bob.id, submission.id, "Submission", ann.id, "assigned")
    again = submission.create_submission_peer_review(bob.id)
    assert again.id == review.id

    bob_assignment = world.canvas(bob_token).get_course(course.id).get_assignment(assignment.id)
    mine = list(bob_assignment.get_peer_reviews())
    assert [(r.id, r.user_id, r.workflow_state) for r in mine] == [(review.id, ann.id, "assigned")]

    reviewed = bob_assignment.get_submission(ann.id)
    assert (reviewed.body, reviewed.score, reviewed.grade) == ("<p>Ann's essay</p>", None, None)
    reviewed.edit(comment={"text_comment": "Strong opening."})
    assert [c["comment"] for c in reviewed.submission_comments] == ["Strong opening."]
    done = list(submission.get_submission_peer_reviews(include=["submission_comments", "user"]))
    assert [(r.id, r.workflow_state, r.assessor["id"]) for r in done] == [(review.id, "completed", bob.id)]
    assert [c["comment"] for c in done[0].submission_comments] == ["Strong opening."]

    with pytest.raises(Forbidden):
        reviewed.create_submission_peer_review(bob.id)
    removed = submission.delete_submission_peer_review(bob.id)
    assert (removed.id, removed.workflow_state) == (review.id, "completed")
    assert list(teacher_assignment.get_peer_reviews()) == []
    with world.tx() as db:
        assert db.scalars(select(PeerReviewRow)).all() == []
    with pytest.raises(Forbidden):
        bob_assignment.get_submission(ann.id)


def test_student_marks_graded_submission_read_and_unread(world, cls):
    course, assignment, people = cls
    (ann, ann_token), (_, tina_token) = people["ann"], people["tina"]
    world.canvas(tina_token).get_course(course.id).get_assignment(assignment.id).get_submission(ann.id).edit(
        submission={"posted_grade": "9"})
    own = world.canvas(ann_token).get_course(course.id).get_assignment(assignment.id)
    assert own.get_submission("self", include=["read_status"]).read_status == "unread"
    submission = own.get_submission(ann.id)
    assert submission.mark_read() is True
    assert own.get_submission("self", include=["read_status"]).read_status == "read"
    assert submission.mark_unread() is True
    assert own.get_submission("self", include=["read_status"]).read_status == "unread"
    teacher_view = world.canvas(tina_token).get_course(course.id).get_assignment(assignment.id).get_submission(ann.id)
    with pytest.raises(Forbidden):
        teacher_view.mark_read()
