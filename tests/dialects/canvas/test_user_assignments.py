"""A user's missing submissions and a user's view of a course's assignments, over canvasapi and raw HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from canvasapi.exceptions import Forbidden
from canvasapi.user import User as CanvasUser

from courseport.core.views import assignment_views
from courseport.dialects.canvas.assignment_json import render_assignment
from courseport.schema import Submission, User
from courseport.schema.base import utcnow
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def canvas_user(world, token: str, user_id: int) -> CanvasUser:
    """canvasapi's User for `user_id` without reading it first (observers may not read the user itself)."""
    canvas = world.canvas(token)
    return CanvasUser(canvas._Canvas__requester, {"id": user_id})


def submit(world, assignment, user, **fields) -> None:
    with world.tx() as db:
        db.add(Submission(item_id=assignment.id, course_id=assignment.course_id, user_id=user.id,
                          submission_type="online_text_entry", body="done", **fields))


def as_seen_by(world, a, user: User) -> dict:
    with world.tx() as db:
        view = assignment_views.show_assignment(db, db.get(User, user.id), a.course_id, str(a.id))
        return render_assignment(view, world.base_url)


@pytest.fixture
def school(world):
    course, other = world.course("Missing 101"), world.course("Missing 202")
    student, student_token = world.user_with_token("stu")
    teacher, teacher_token = world.user_with_token("teach")
    parent, parent_token = world.user_with_token("parent")
    outsider, outsider_token = world.user_with_token("outsider")
    for c in (course, other):
        world.enroll(student, c)
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(parent, course, "ObserverEnrollment", associated_user_id=student.id)
    return course, other, student, {"student": student_token, "teacher": teacher_token, "parent": parent_token,
                                    "outsider": outsider_token}


def test_missing_is_past_due_and_unsubmitted_by_the_late_rules(world, school):
    course, other, student, tokens = school
    now = utcnow()
    missing = world.assignment(course, "Missing", due_at=now - timedelta(days=2))
    locked = world.assignment(course, "Locked", due_at=now - timedelta(days=3), lock_at=now - timedelta(days=1))
    graded_zero = world.assignment(course, "Marked", due_at=now - timedelta(days=1))
    submit(world, graded_zero, student, workflow_state="submitted", submitted_at=now, late_policy_status="missing")
    elsewhere = world.assignment(other, "Elsewhere", due_at=now - timedelta(days=1))
    done = world.assignment(course, "Done", due_at=now - timedelta(days=1))
    submit(world, done, student, workflow_state="submitted", submitted_at=now)
    excused = world.assignment(course, "Excused", due_at=now - timedelta(days=1))
    submit(world, excused, student, workflow_state="unsubmitted", excused=True)
    world.assignment(course, "Future", due_at=now + timedelta(days=1))
    world.assignment(course, "Undated")
    world.assignment(course, "Paper", due_at=now - timedelta(days=1), data={"submission_types": ["on_paper"]})
    world.assignment(course, "Draft", due_at=now - timedelta(days=1), state="unpublished")

    me = world.canvas(tokens["student"]).get_current_user()
    assert [a.id for a in me.get_missing_submissions()] == [locked.id, missing.id, graded_zero.id, elsewhere.id]
    assert [a.id for a in me.get_missing_submissions(filter=["submittable"])] == [
        missing.id, graded_zero.id, elsewhere.id]
    assert [a.id for a in me.get_missing_submissions(course_ids=[other.id])] == [elsewhere.id]
    with world.client(tokens["parent"]) as c:
        first = c.get(f"/api/v1/users/{student.id}/missing_submissions",
                      params={"per_page": 1, "include[]": "planner_overrides"})
        rest = c.get(first.links["next"]["url"])
    assert first.status_code == 200
    assert first.json() == [as_seen_by(world, locked, student) | {"planner_override": None}]
    assert [a["id"] for a in rest.json()] == [missing.id]
    assert "next" in rest.links


def test_who_may_read_missing_submissions(world, school):
    course, _, student, tokens = school
    world.assignment(course, "Missing", due_at=utcnow() - timedelta(days=2))
    for who in ("teacher", "outsider"):
        with world.client(tokens[who]) as c:
            refused = c.get(f"/api/v1/users/{student.id}/missing_submissions")
        assert (refused.status_code, refused.json()) == (403, FORBIDDEN), who
    with world.client(tokens["student"]) as c:
        unknown = c.get("/api/v1/users/999999/missing_submissions")
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
    with world.client(world.admin_token) as c:
        assert len(c.get(f"/api/v1/users/{student.id}/missing_submissions").json()) == 1
    with world.client(tokens["outsider"]) as c:  # the outsider's own list is empty: no student courses
        assert c.get("/api/v1/users/self/missing_submissions").json() == []
    with pytest.raises(Forbidden):
        list(canvas_user(world, tokens["outsider"], student.id).get_missing_submissions())


def test_a_users_view_of_a_course_assignments(world, school):
    course, other, student, tokens = school
    now = utcnow()
    shown = world.assignment(course, "Shown", due_at=now + timedelta(days=1))
    draft = world.assignment(course, "Hidden draft", state="unpublished")
    expected = [as_seen_by(world, shown, student)]
    for who in ("student", "parent", "teacher"):
        with world.client(tokens[who]) as c:
            got = c.get(f"/api/v1/users/{student.id}/courses/{course.id}/assignments")
        assert (got.status_code, got.json()) == (200, expected), who
    user = canvas_user(world, tokens["parent"], student.id)
    assert [a.id for a in user.get_assignments(course.id)] == [shown.id]
    with world.client(tokens["outsider"]) as c:
        refused = c.get(f"/api/v1/users/{student.id}/courses/{course.id}/assignments")
        no_course = c.get(f"/api/v1/users/{student.id}/courses/999999/assignments")
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    assert (no_course.status_code, no_course.json()) == (404, NOT_FOUND)
    with world.client(tokens["teacher"]) as c:  # the teacher grades no course the student has in `other`
        elsewhere = c.get(f"/api/v1/users/{student.id}/courses/{other.id}/assignments")
        own = c.get(f"/api/v1/users/self/courses/{course.id}/assignments")
    assert (elsewhere.status_code, elsewhere.json()) == (403, FORBIDDEN)
    assert [a["id"] for a in own.json()] == [shown.id, draft.id]  # the teacher's own view holds drafts
