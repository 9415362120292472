"""Canvas todo items over raw HTTP: exact bodies computed from content made in the test."""

from __future__ import annotations

from datetime import timedelta

import pytest

from courseport.core.content import content
from courseport.core.views import assignment_views
from courseport.dialects.canvas.assignment_json import render_assignment
from courseport.dialects.canvas.protocol import iso
from courseport.schema import AssignmentOverride, OverrideStudent, Submission, User
from courseport.schema.base import utcnow


@pytest.fixture
def course_cast(world):
    course = world.course("Todo 101")
    return course, world.cast(course)


def submit(world, assignment, user, state: str = "submitted", **fields) -> None:
    with world.tx() as db:
        db.add(Submission(item_id=assignment.id, course_id=assignment.course_id, user_id=user.id,
                          workflow_state=state, submission_type="online_text_entry", body="done",
                          submitted_at=utcnow(), **fields))


def user_of(world, token: str) -> User:
    with world.client(token) as c:
        me = c.get("/api/v1/users/self").json()
    with world.tx() as db:
        return db.get(User, me["id"])


def assignment_json(world, a, viewer_token: str) -> dict:
    """The assignment as the assignments API shows this viewer (the todo embeds that very object)."""
    viewer = user_of(world, viewer_token)
    with world.tx() as db:
        view = assignment_views.show_assignment(db, db.get(User, viewer.id), a.course_id, str(a.id))
        return render_assignment(view, world.base_url)


def submitting(world, a, due_at, token: str) -> dict:
    ignore = f"{world.base_url}/api/v1/users/self/todo/assignment_{a.id}/submitting"
    embedded = assignment_json(world, a, token)
    assert (embedded["id"], embedded["name"], embedded["due_at"]) == (a.id, a.title, iso(due_at))
    return {"type": "submitting", "assignment": embedded, "ignore": f"{ignore}?permanent=0",
            "ignore_permanently": f"{ignore}?permanent=1",
            "html_url": f"{world.base_url}/courses/{a.course_id}/assignments/{a.id}#submit",
            "context_type": "Course", "course_id": a.course_id}


def test_student_sees_what_is_due_soon_and_unsubmitted(world, course_cast):
    course, cast = course_cast
    now = utcnow()
    soon = world.assignment(course, "Essay", due_at=now + timedelta(days=2))
    sooner = world.assignment(course, "Quiz prep", due_at=now + timedelta(days=1))
    world.assignment(course, "Far away", due_at=now + timedelta(days=20))
    world.assignment(course, "Long ago", due_at=now - timedelta(days=40))
    world.assignment(course, "Paper", due_at=now + timedelta(days=1), data={"submission_types": ["on_paper"]})
    world.assignment(course, "Draft", due_at=now + timedelta(days=1), state="unpublished")
    world.assignment(course, "Locked", due_at=now + timedelta(days=1), lock_at=now - timedelta(hours=1))
    done = world.assignment(course, "Done", due_at=now + timedelta(days=1))
    submit(world, done, user_of(world, cast["student"]))
    with world.client(cast["student"]) as c:
        r = c.get(f"/api/v1/courses/{course.id}/todo")
        mine = c.get("/api/v1/users/self/todo")
    assert r.status_code == 200, r.text
    assert r.json() == [submitting(world, sooner, sooner.due_at, cast["student"]),
                        submitting(world, soon, soon.due_at, cast["student"])]
    assert mine.json() == r.json()


def test_student_override_moves_the_due_date_into_the_window(world, course_cast):
    course, cast = course_cast
    now = utcnow()
    late = world.assignment(course, "Extended", due_at=now - timedelta(days=60))
    student = user_of(world, cast["student"])
    with world.tx() as db:
        override = AssignmentOverride(item_id=late.id, title="1 student", due_at=now + timedelta(days=3),
                                      due_at_set=True)
        db.add(override)
        db.flush()
        db.add(OverrideStudent(override_id=override.id, user_id=student.id))
    with world.client(cast["student"]) as c:
        body = c.get(f"/api/v1/courses/{course.id}/todo").json()
    assert body == [submitting(world, late, now + timedelta(days=3), cast["student"])]


def test_grader_sees_assignments_needing_grading(world, course_cast):
    course, cast = course_cast
    now = utcnow()
    a = world.assignment(course, "Lab", due_at=now - timedelta(days=1))
    b = world.assignment(course, "Nothing in", due_at=now + timedelta(days=1))
    student = user_of(world, cast["student"])
    other, _ = world.user_with_token("other")
    world.enroll(other, course)
    submit(world, a, student)
    submit(world, a, other)
    graded = world.assignment(course, "Graded", due_at=now)
    submit(world, graded, student, state="graded", score=5.0)
    del b
    ignore = f"{world.base_url}/api/v1/users/self/todo/assignment_{a.id}/grading"
    embedded = assignment_json(world, a, cast["teacher"])
    assert (embedded["id"], embedded["needs_grading_count"]) == (a.id, 2)
    expected = [{
        "type": "grading", "assignment": embedded, "needs_grading_count": 2,
        "ignore": f"{ignore}?permanent=0", "ignore_permanently": f"{ignore}?permanent=1",
        "html_url": f"{world.base_url}/courses/{course.id}/gradebook/speed_grader?assignment_id={a.id}",
        "context_type": "Course", "course_id": course.id,
    }]
    for role in ("teacher", "ta"):
        with world.client(cast[role]) as c:
            assert c.get(f"/api/v1/courses/{course.id}/todo").json() == expected
            assert c.get("/api/v1/users/self/todo").json() == expected
    for role in ("designer", "observer", "admin"):
        with world.client(cast[role]) as c:
            assert c.get(f"/api/v1/courses/{course.id}/todo").json() == [], role


def test_ungraded_quizzes_only_when_asked(world, course_cast):
    course, cast = course_cast
    now = utcnow()
    with world.tx() as db:
        quiz = content.create_item(db, course.id, "quiz", {
            "title": "Practice", "workflow_state": "published", "due_at": now + timedelta(days=2),
            "data": {"quiz_type": "practice_quiz", "time_limit": 10}})
        content.create_item(db, course.id, "quiz", {
            "title": "Graded", "workflow_state": "published", "due_at": now + timedelta(days=2),
            "data": {"quiz_type": "assignment"}})
    with world.client(cast["student"]) as c:
        assert c.get(f"/api/v1/courses/{course.id}/todo").json() == []
        body = c.get("/api/v1/users/self/todo", params={"include[]": "ungraded_quizzes"}).json()
    ignore = f"{world.base_url}/api/v1/users/self/todo/quiz_{quiz.id}/submitting"
    assert body == [{
        "type": "submitting", "ignore": f"{ignore}?permanent=0", "ignore_permanently": f"{ignore}?permanent=1",
        "context_type": "Course", "course_id": course.id,
        "html_url": f"{world.base_url}/courses/{course.id}/quizzes/{quiz.id}",
        "quiz": {"id": quiz.id, "title": "Practice", "description": None, "quiz_type": "practice_quiz",
                 "due_at": iso(quiz.due_at), "unlock_at": None, "lock_at": None, "points_possible": None,
                 "time_limit": 10, "published": True,
                 "html_url": f"{world.base_url}/courses/{course.id}/quizzes/{quiz.id}"},
    }]


def test_paging_and_errors(world, course_cast):
    course, cast = course_cast
    now = utcnow()
    made = [world.assignment(course, f"A{i}", due_at=now + timedelta(hours=i + 1)) for i in range(3)]
    with world.client(cast["student"]) as c:
        first = c.get(f"/api/v1/courses/{course.id}/todo", params={"per_page": 2})
        second = c.get(f"/api/v1/courses/{course.id}/todo", params={"per_page": 2, "page": 2})
    assert [t["assignment"]["id"] for t in first.json()] == [made[0].id, made[1].id]
    assert [t["assignment"]["id"] for t in second.json()] == [made[2].id]
    assert 'rel="next"' in first.headers["Link"] and 'rel="next"' not in second.headers["Link"]
    with world.client(cast["outsider"]) as c:
        r = c.get(f"/api/v1/courses/{course.id}/todo")
    assert (r.status_code, r.json()) == (403, {"status": "unauthorized", "errors": [
        {"message": "user not authorized to perform that action"}]})
    with world.client(cast["student"]) as c:
        assert c.get("/api/v1/courses/999999/todo").status_code == 404
    with world.client() as anonymous:
        assert anonymous.get("/api/v1/users/self/todo").status_code == 401


def test_canvasapi_reads_todo_items(world, course_cast):
    course, cast = course_cast
    a = world.assignment(course, "Essay", due_at=utcnow() + timedelta(days=1))
    canvas = world.canvas(cast["student"])
    mine = list(canvas.get_todo_items())
    in_course = list(canvas.get_course(course.id).get_todo_items())
    assert [(t.type, t.assignment["id"], t.course_id) for t in mine] == [("submitting", a.id, course.id)]
    assert [t.html_url for t in in_course] == [t.html_url for t in mine]
