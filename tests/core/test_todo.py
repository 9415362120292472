"""core.todo on a real database: the due window edges, locks, submissions, graders, course states."""

from __future__ import annotations

from datetime import timedelta

import pytest

from courseport.core.kit.errors import NotAllowed
from courseport.core.kit.paging import Window
from courseport.core.views import todo
from courseport.schema import Submission, User
from courseport.schema.base import utcnow

ALL = Window(0, 100)


@pytest.fixture
def setup(world):
    course = world.course("Core Todo")
    teacher, student = world.user("teacher"), world.user("student")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(student, course)
    return course, teacher, student


def names(world, user, now, course=None, **kw) -> list[tuple[str, str]]:
    with world.tx() as db:
        me = db.get(User, user.id)
        page = todo.course_todo(db, me, course.id, ALL, now=now, **kw) if course else \
            todo.user_todo(db, me, ALL, now=now, **kw)
        return [(t.type, t.item.title) for t in page.items]


def test_window_edges(world, setup):
    course, _, student = setup
    now = utcnow()
    world.assignment(course, "edge-late", due_at=now - todo.DUE_AFTER)
    world.assignment(course, "too-late", due_at=now - todo.DUE_AFTER - timedelta(seconds=1))
    world.assignment(course, "edge-soon", due_at=now + todo.DUE_BEFORE)
    world.assignment(course, "too-far", due_at=now + todo.DUE_BEFORE + timedelta(seconds=1))
    world.assignment(course, "undated")
    assert names(world, student, now) == [("submitting", "edge-late"), ("submitting", "edge-soon")]


def test_locks_types_and_what_counts_as_done(world, setup):
    course, _, student = setup
    now = utcnow()
    soon = now + timedelta(days=1)
    world.assignment(course, "not-open", due_at=soon, unlock_at=now + timedelta(hours=1))
    world.assignment(course, "opened", due_at=soon, unlock_at=now - timedelta(hours=1))
    world.assignment(course, "no-types", due_at=soon, data={"submission_types": []})
    world.assignment(course, "tool", due_at=soon, data={"submission_types": ["external_tool"]})
    mixed = world.assignment(course, "mixed", due_at=soon, data={"submission_types": ["on_paper", "online_url"]})
    excused = world.assignment(course, "excused", due_at=soon)
    unsubmitted = world.assignment(course, "graded-row-unsubmitted", due_at=soon)
    with world.tx() as db:
        db.add(Submission(item_id=excused.id, course_id=course.id, user_id=student.id, excused=True))
        db.add(Submission(item_id=unsubmitted.id, course_id=course.id, user_id=student.id))
    assert sorted(n for _, n in names(world, student, now)) == ["graded-row-unsubmitted", "mixed", "opened"]
    assert mixed.id


def test_grader_counts_only_active_students_waiting_work(world, setup):
    course, teacher, student = setup
    now = utcnow()
    a = world.assignment(course, "lab", due_at=now)
    gone = world.user("gone")
    world.enroll(gone, course, state="deleted")
    with world.tx() as db:
        for user, state in ((student, "pending_review"), (gone, "submitted")):
            db.add(Submission(item_id=a.id, course_id=course.id, user_id=user.id, workflow_state=state,
                              submission_type="online_quiz", submitted_at=now))
    with world.tx() as db:
        items = todo.user_todo(db, db.get(User, teacher.id), ALL, now=now).items
    assert [(t.type, t.item.id, t.needs_grading_count) for t in items] == [("grading", a.id, 1)]


def test_unpublished_course_shows_nothing_to_students_but_grading_to_teachers(world):
    course = world.course("Draft", offer=False)
    teacher, student = world.user("t2"), world.user("s2")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(student, course)
    now = utcnow()
    a = world.assignment(course, "early", due_at=now + timedelta(days=1))
    with world.tx() as db:
        db.add(Submission(item_id=a.id, course_id=course.id, user_id=student.id, workflow_state="submitted",
                          submission_type="online_text_entry", submitted_at=now))
    assert names(world, student, now) == []
    assert names(world, teacher, now, course) == [("grading", "early")]
    with world.tx() as db, pytest.raises(NotAllowed):
        todo.course_todo(db, db.get(User, student.id), course.id, ALL, now=now)
