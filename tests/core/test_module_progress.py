"""Core module progress on a real database: requirement kinds, module states, locks, course progress."""

from __future__ import annotations

from datetime import timedelta

import pytest

from courseport.core.content import content, module_items, module_progress, modules
from courseport.schema import Course, User
from courseport.schema.base import utcnow
from courseport.schema.content import Submission
from courseport.schema.discussions import DiscussionEntry


def _as(world, user, fn, *args, **kw):
    with world.tx() as db:
        return fn(db, db.get(User, user.id), *args, **kw)


@pytest.fixture
def course(world):
    course = world.course("Progress core")
    teacher, student = world.user("t"), world.user("s")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(student, course)
    return course, teacher, student


def _target(world, course, item_type, title, **fields):
    with world.tx() as db:
        return content.create_item(db, course.id, item_type, {"title": title, "workflow_state": "published",
                                                              **fields})


def _module(world, course, teacher, name, **fields):
    changes = modules.ModuleChanges(name=name, published=True, **fields)
    return _as(world, teacher, modules.create_module, course.id, changes).module


def _add(world, course, teacher, module, **fields):
    return _as(world, teacher, module_items.create_module_item, course.id, str(module.id),
               module_items.ModuleItemChanges(**{"published": True, **fields})).item


def _statuses(world, course, student):
    with world.tx() as db:
        outline = module_progress.load_outline(db, course.id, published_only=True)
        return module_progress.student_statuses(db, course.id, outline, db.get(User, student.id))


def _progress(world, course, student):
    with world.tx() as db:
        return module_progress.progress_of(db, db.get(Course, course.id), [db.get(User, student.id)])[student.id]


def test_each_requirement_kind(world, course):
    course, teacher, student = course
    essay = _target(world, course, "assignment", "Essay")
    quiz_assignment = _target(world, course, "assignment", "Quiz A")
    quiz = _target(world, course, "quiz", "Quiz", ref_id=quiz_assignment.id)
    topic = _target(world, course, "discussion_topic", "Talk", workflow_state="active")
    module = _module(world, course, teacher, "All kinds")
    submit = _add(world, course, teacher, module, type="Assignment", content_id=str(essay.id),
                  completion_requirement={"type": "must_submit"})
    score = _add(world, course, teacher, module, type="Quiz", content_id=str(quiz.id),
                 completion_requirement={"type": "min_score", "min_score": 5})
    talk = _add(world, course, teacher, module, type="Discussion", content_id=str(topic.id),
                completion_requirement={"type": "must_contribute"})
    assert _progress(world, course, student).requirement_completed_count == 0
    with world.tx() as db:
        db.add(Submission(item_id=essay.id, course_id=course.id, user_id=student.id, workflow_state="unsubmitted"))
        db.add(Submission(item_id=quiz_assignment.id, course_id=course.id, user_id=student.id, excused=True))
    status = _statuses(world, course, student)[module.id]
    assert [status.items[i.id].completed for i in (submit, score, talk)] == [False, True, False]
    with world.tx() as db:
        db.add(DiscussionEntry(course_id=course.id, topic_id=topic.id, user_id=teacher.id, message="Welcome"))
        db.query(Submission).filter_by(item_id=essay.id).update({"workflow_state": "submitted"})
    assert _statuses(world, course, student)[module.id].state == "started"  # someone else's post is not theirs
    with world.tx() as db:
        db.add(DiscussionEntry(course_id=course.id, topic_id=topic.id, user_id=student.id, message="Hi"))
    status = _statuses(world, course, student)[module.id]
    assert status.state == "completed"
    progress = _progress(world, course, student)
    assert (progress.requirement_count, progress.requirement_completed_count) == (3, 3)
    assert progress.completed_at is not None


def test_locks_from_dates_prerequisites_and_sequence(world, course):
    course, teacher, student = course
    first = _module(world, course, teacher, "First", require_sequential_progress=True)
    a = _add(world, course, teacher, first, type="ExternalUrl", title="a", external_url="https://e.org/a",
             completion_requirement={"type": "must_view"})
    b = _add(world, course, teacher, first, type="ExternalUrl", title="b", external_url="https://e.org/b",
             completion_requirement={"type": "must_view"})
    second = _module(world, course, teacher, "Second", prerequisite_module_ids=[first.id])
    later = _module(world, course, teacher, "Later", unlock_at=utcnow() + timedelta(days=1))
    statuses = _statuses(world, course, student)
    assert [statuses[m.id].state for m in (first, second, later)] == ["unlocked", "locked", "locked"]
    assert [statuses[first.id].items[i.id].locked for i in (a, b)] == [False, True]
    assert _progress(world, course, student).next_requirement_item_id == a.id
    _as(world, student, module_items.mark_item, course.id, str(first.id), str(a.id), read=True)
    assert _progress(world, course, student).next_requirement_item_id == b.id
    _as(world, student, module_items.mark_item, course.id, str(first.id), str(b.id), read=True)
    statuses = _statuses(world, course, student)
    assert [statuses[m.id].state for m in (first, second, later)] == ["completed", "completed", "locked"]
    progress = _progress(world, course, student)
    assert (progress.requirement_count, progress.next_requirement_item_id) == (2, None)
    assert progress.completed_at == statuses[first.id].completed_at


def test_unpublished_items_and_teachers_have_no_progress(world, course):
    course, teacher, student = course
    module = _module(world, course, teacher, "M")
    assert _progress(world, course, student) is None  # no requirements: not module based
    _add(world, course, teacher, module, type="ExternalUrl", title="x", external_url="https://e.org",
         completion_requirement={"type": "must_view"}, published=False)
    assert _progress(world, course, student) is None  # students cannot see the only requirement
    _add(world, course, teacher, module, type="ExternalUrl", title="y", external_url="https://e.org/y",
         completion_requirement={"type": "must_mark_done"})
    assert _progress(world, course, student).requirement_count == 1
    assert _progress(world, course, teacher) is None
