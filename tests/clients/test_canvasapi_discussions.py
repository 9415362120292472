"""canvasapi 3.6.0, unmodified, against the live server: discussion topics, entries and announcements."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import Forbidden, ResourceDoesNotExist

from courseport.schema import ContentItem, DiscussionEntry


def _item(world, item_id: int) -> ContentItem:
    with world.tx() as db:
        return db.get(ContentItem, item_id)


def test_topic_lifecycle(world):
    course = world.canvas().get_course(world.course().id)
    topic = course.create_discussion_topic(title="Week 1", message="<p>Discuss</p>", discussion_type="threaded",
                                           published=True)
    assert (topic.title, topic.message, topic.discussion_type, topic.published, topic.course_id) == (
        "Week 1", "<p>Discuss</p>", "threaded", True, course.id)
    assert [t.id for t in course.get_discussion_topics()] == [topic.id]
    assert course.get_discussion_topic(topic.id).title == "Week 1"
    updated = topic.update(title="Week 1 (revised)", pinned=True)
    assert (updated.title, updated.pinned) == ("Week 1 (revised)", True)
    assert _item(world, topic.id).title == "Week 1 (revised)"
    assert topic.delete() is True
    assert _item(world, topic.id).workflow_state == "deleted"
    with pytest.raises(ResourceDoesNotExist):
        course.get_discussion_topic(topic.id)


def test_entries_and_replies(world):
    raw = world.course()
    cast = world.cast(raw)
    topic = world.canvas(cast["teacher"]).get_course(raw.id).create_discussion_topic(
        title="Threads", published=True, discussion_type="threaded")
    student_topic = world.canvas(cast["student"]).get_course(raw.id).get_discussion_topic(topic.id)
    entry = student_topic.post_entry(message="<p>My view</p>")
    assert (entry.message, entry.discussion_id, entry.parent_id) == ("<p>My view</p>", topic.id, None)
    reply = entry.post_reply(message="And another thing")
    assert (reply.parent_id, reply.discussion_id) == (entry.id, topic.id)
    entries = list(student_topic.get_topic_entries())
    assert [(e.id, e.message) for e in entries] == [(entry.id, "<p>My view</p>")]
    assert [r["id"] for r in entries[0].recent_replies] == [reply.id]
    assert [r.id for r in entries[0].get_replies()] == [reply.id]
    assert entries[0].update(message="edited") is True
    with world.tx() as db:
        assert db.get(DiscussionEntry, entry.id).message == "edited"
    assert world.canvas(cast["teacher"]).get_course(raw.id).get_discussion_topic(
        topic.id).discussion_subentry_count == 2


def test_announcements(world):
    raw = world.course()
    cast = world.cast(raw)
    canvas = world.canvas(cast["teacher"])
    course = canvas.get_course(raw.id)
    news = course.create_discussion_topic(title="Exam moved", message="to Friday", is_announcement=True)
    course.create_discussion_topic(title="Chat", published=True)
    assert (news.is_announcement, news.published) == (True, True)
    assert [t.id for t in course.get_discussion_topics(only_announcements=True)] == [news.id]
    listed = list(world.canvas(cast["student"]).get_announcements(context_codes=[raw.id]))
    assert [(a.id, a.title, a.context_code) for a in listed] == [(news.id, "Exam moved", f"course_{raw.id}")]
    entry = listed[0].post_entry(message="Thanks")
    assert entry.discussion_id == news.id
    student_course = world.canvas(cast["student"]).get_course(raw.id)
    with pytest.raises(Forbidden):
        student_course.create_discussion_topic(title="Me too", is_announcement=True)


def test_read_marks_and_following_through_the_client(world):
    raw = world.course()
    cast = world.cast(raw)
    topic = world.canvas(cast["teacher"]).get_course(raw.id).create_discussion_topic(
        title="Readings", published=True, message="<p>Read these</p>")
    topic.post_entry(message="<p>First</p>")
    topic.post_entry(message="<p>Second</p>")
    mine = world.canvas(cast["student"]).get_course(raw.id).get_discussion_topic(topic.id)
    assert (mine.read_state, mine.unread_count, mine.subscribed) == ("unread", 2, False)
    first = next(e for e in mine.get_topic_entries() if e.message == "<p>First</p>")
    assert first.read_state == "unread" and first.mark_as_read() is True
    assert mine.mark_as_read() is True and mine.subscribe() is True
    again = world.canvas(cast["student"]).get_course(raw.id).get_discussion_topic(topic.id)
    assert (again.read_state, again.unread_count, again.subscribed) == ("read", 1, True)
    assert again.mark_entries_as_read() is True
    assert world.canvas(cast["student"]).get_course(raw.id).get_discussion_topic(topic.id).unread_count == 0
    assert again.mark_entries_as_unread() is True and again.unsubscribe() is True and again.mark_as_unread() is True
    last = world.canvas(cast["student"]).get_course(raw.id).get_discussion_topic(topic.id)
    assert (last.read_state, last.unread_count, last.subscribed) == ("unread", 2, False)
    assert {e.read_state for e in last.get_topic_entries()} == {"unread"}
