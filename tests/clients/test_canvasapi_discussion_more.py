"""canvasapi 3.6.0, unmodified, against the live server: full topic view, pinned order, rating entries."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden
from sqlalchemy import select

from courseport.schema import ContentItem, DiscussionEntryRating


def test_full_view_and_rating(world):
    raw = world.course()
    cast = world.cast(raw)
    teacher_course = world.canvas(cast["teacher"]).get_course(raw.id)
    topic = teacher_course.create_discussion_topic(title="Likes", published=True, discussion_type="threaded",
                                                   allow_rating=True)
    assert topic.allow_rating is True
    student_course = world.canvas(cast["student"]).get_course(raw.id)
    student_topic = student_course.get_discussion_topic(topic.id)
    entry = student_topic.post_entry(message="<p>Rate me</p>")
    reply = entry.post_reply(message="me too")
    teacher_entry = list(teacher_course.get_discussion_topic(topic.id).get_topic_entries())[0]
    assert teacher_entry.rate(1) is True
    with world.tx() as db:
        assert [(r.entry_id, r.rating) for r in db.scalars(select(DiscussionEntryRating))
                if r.topic_id == topic.id] == [(entry.id, 1)]
    listed = list(student_topic.get_topic_entries())[0]
    assert (listed.rating_count, listed.rating_sum) == (1, 1)
    with pytest.raises(ValueError):
        listed.rate(5)
    full = teacher_course.get_full_discussion_topic(topic)
    assert full["entry_ratings"] == {str(entry.id): 1}
    assert [(e["id"], [r["id"] for r in e["replies"]]) for e in full["view"]] == [(entry.id, [reply.id])]
    assert sorted(full["unread_entries"]) == sorted([entry.id, reply.id])
    assert full["new_entries"] == []
    assert student_course.get_full_discussion_topic(topic.id)["unread_entries"] == []


def test_rating_refused_where_not_allowed(world):
    raw = world.course()
    cast = world.cast(raw)
    topic = world.canvas(cast["teacher"]).get_course(raw.id).create_discussion_topic(title="Plain", published=True)
    entry = world.canvas(cast["student"]).get_course(raw.id).get_discussion_topic(topic.id).post_entry(message="x")
    with pytest.raises(Forbidden):
        entry.rate(1)


def test_reorder_pinned_topics(world):
    raw = world.course()
    course = world.canvas().get_course(raw.id)
    a, b, c = (course.create_discussion_topic(title=t, published=True, pinned=True) for t in "ABC")
    course.create_discussion_topic(title="Loose", published=True)
    assert course.reorder_pinned_topics([c.id, a.id, b.id]) is True
    assert [t.title for t in course.get_discussion_topics()] == ["C", "A", "B", "Loose"]
    with world.tx() as db:
        assert [db.get(ContentItem, t.id).position for t in (c, a, b)] == [1, 2, 3]
    with pytest.raises(BadRequest):
        course.reorder_pinned_topics((a.id, b.id))
    assert [t.title for t in course.get_discussion_topics()] == ["C", "A", "B", "Loose"]
