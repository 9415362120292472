"""core.activity on a real database: which entries a user gets, their order, read state and summary."""

from __future__ import annotations

from datetime import timedelta

import pytest

from courseport.core.content import content
from courseport.core.kit.paging import Window
from courseport.core.views import activity
from courseport.schema import Submission, User
from courseport.schema.base import utcnow

ALL = Window(0, 100)


@pytest.fixture
def setup(world):
    course = world.course("Core Stream")
    teacher, student, ta = world.user("teacher"), world.user("student"), world.user("ta")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(ta, course, "TaEnrollment")
    world.enroll(student, course)
    return course, teacher, student, ta


def topic(world, course, kind, title, at, author=None, state="active"):
    with world.tx() as db:
        return content.create_item(db, course.id, kind, {"title": title, "workflow_state": state, "created_at": at,
                                                         "updated_at": at}, user_id=author.id if author else None)


def stream(world, user) -> list[tuple[str, str, bool]]:
    with world.tx() as db:
        entries = activity.user_stream(db, db.get(User, user.id), ALL).items
    return [(e.kind, e.topic.title if e.topic else e.assignment.title, e.read) for e in entries]


def test_kinds_order_states_and_read(world, setup):
    course, teacher, student, ta = setup
    now = utcnow()
    topic(world, course, "announcement", "old news", now - timedelta(days=2), author=teacher)
    topic(world, course, "discussion_topic", "debate", now - timedelta(days=1), author=student)
    topic(world, course, "discussion_topic", "closed", now - timedelta(hours=5), state="locked")
    topic(world, course, "discussion_topic", "later", now, state="post_delayed")
    a = world.assignment(course, "essay")
    with world.tx() as db:
        db.add(Submission(item_id=a.id, course_id=course.id, user_id=student.id, workflow_state="graded",
                          submission_type="online_text_entry", submitted_at=now - timedelta(hours=3),
                          updated_at=now - timedelta(hours=1), grader_id=ta.id, score=1.0))
    assert stream(world, student) == [("Submission", "essay", False), ("DiscussionTopic", "closed", False),
                                      ("DiscussionTopic", "debate", True), ("Announcement", "old news", False)]
    assert stream(world, ta)[0] == ("Submission", "essay", True)
    assert stream(world, teacher)[0] == ("Submission", "essay", False)
    with world.tx() as db:
        summary = activity.course_summary(db, db.get(User, student.id), course.id)
    assert summary == [activity.StreamSummary("Announcement", 1, 1), activity.StreamSummary("DiscussionTopic", 2, 1),
                       activity.StreamSummary("Submission", 1, 1)]


def test_stream_ids_never_collide(world, setup):
    course, _, student, _ = setup
    now = utcnow()
    t = topic(world, course, "announcement", "n", now)
    a = world.assignment(course, "x")
    with world.tx() as db:
        s = Submission(item_id=a.id, course_id=course.id, user_id=student.id, workflow_state="submitted",
                       submitted_at=now)
        db.add(s)
        db.flush()
    with world.tx() as db:
        ids = [e.stream_id for e in activity.user_stream(db, db.get(User, student.id), ALL).items]
    # Topics even, submissions odd: equal row ids in the two tables still give two ids.
    assert sorted(ids) == sorted([t.id * 2, s.id * 2 + 1])


def test_summary_of_nothing_is_empty(world, setup):
    _, _, student, _ = setup
    with world.tx() as db:
        assert activity.user_summary(db, db.get(User, student.id)) == []
