"""Discussions in core: posting states, visibility, computed counts, graded topics, entries and rights."""

from __future__ import annotations

from datetime import timedelta

import pytest

from courseport.core.coursework import announcements, discussion_entries, discussions
from courseport.core.coursework.announcements import AnnouncementQuery
from courseport.core.coursework.discussions import TopicChanges, TopicFilters
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Window
from courseport.schema import ContentItem, User
from courseport.schema.base import utcnow


def _people(world):
    course = world.course()
    student = world.user("pupil")
    world.enroll(student, course)
    return course, student


def test_posting_states(world):
    course = world.course()
    now = utcnow()
    with world.tx() as db:
        me = db.get(User, world.admin.id)
        draft = discussions.create_topic(db, me, course.id, TopicChanges(title="D")).item
        live = discussions.create_topic(db, me, course.id, TopicChanges(title="L", published=True)).item
        later = discussions.create_topic(db, me, course.id, TopicChanges(
            title="P", published=True, delayed_post_at=now + timedelta(days=1))).item
        past = discussions.create_topic(db, me, course.id, TopicChanges(
            title="Q", published=True, delayed_post_at=now - timedelta(days=1))).item
        assert [(t.workflow_state, t.start_at) for t in (draft, live, later, past)] == [
            ("unpublished", None), ("active", live.start_at), ("post_delayed", now + timedelta(days=1)),
            ("active", now - timedelta(days=1))]
        assert discussions.is_posted(later, now + timedelta(days=2))
        assert not discussions.is_posted(later, now)


def test_students_see_posted_topics_only(world):
    course, student = _people(world)
    with world.tx() as db:
        me, pupil = db.get(User, world.admin.id), db.get(User, student.id)
        draft = discussions.create_topic(db, me, course.id, TopicChanges(title="D")).item
        discussions.create_topic(db, me, course.id, TopicChanges(title="L", published=True))
        listed = discussions.list_topics(db, pupil, course.id, TopicFilters(), Window())
        assert [v.item.title for v in listed.items] == ["L"]
        with pytest.raises(NotFound):
            discussions.get_topic(db, pupil, course.id, str(draft.id))
        with pytest.raises(NotAllowed):
            discussions.create_topic(db, pupil, course.id, TopicChanges(title="A", is_announcement=True))


def test_counts_are_computed_from_entries(world):
    course, student = _people(world)
    with world.tx() as db:
        me, pupil = db.get(User, world.admin.id), db.get(User, student.id)
        topic = discussions.create_topic(db, me, course.id, TopicChanges(title="T", published=True)).item
        first = discussion_entries.post_entry(db, pupil, course.id, str(topic.id), "one").entry
        discussion_entries.post_entry(db, pupil, course.id, str(topic.id), "two", str(first.id))
        teacher_view = discussions.get_topic(db, me, course.id, str(topic.id))
        student_view = discussions.get_topic(db, pupil, course.id, str(topic.id))
        assert (teacher_view.entry_count, teacher_view.unread_count, teacher_view.read) == (2, 2, True)
        assert (student_view.unread_count, student_view.has_posted, student_view.subscribed) == (0, True, True)
        assert "entries" not in topic.data
        discussion_entries.delete_entry(db, me, course.id, str(topic.id), str(first.id))
        assert discussions.get_topic(db, me, course.id, str(topic.id)).entry_count == 1


def test_graded_topic_uses_the_default_assignment_group(world):
    course = world.course()
    with world.tx() as db:
        me = db.get(User, world.admin.id)
        topic = discussions.create_topic(db, me, course.id, TopicChanges(
            title="G", assignment={"points_possible": 5.0})).item
        assignment = db.get(ContentItem, topic.ref_id)
        group = db.get(ContentItem, assignment.parent_id)
        assert (assignment.points, assignment.workflow_state, group.title) == (5.0, "unpublished", "Assignments")
        discussions.update_topic(db, me, course.id, str(topic.id), TopicChanges(published=True))
        assert assignment.workflow_state == "published"


def test_entries_need_a_message_and_authors_edit_their_own(world):
    course, student = _people(world)
    other = world.user("other")
    world.enroll(other, course)
    with world.tx() as db:
        me, pupil, peer = (db.get(User, u.id) for u in (world.admin, student, other))
        topic = discussions.create_topic(db, me, course.id, TopicChanges(title="T", published=True)).item
        with pytest.raises(InvalidInput) as empty:
            discussion_entries.post_entry(db, pupil, course.id, str(topic.id), "<script>x</script>")
        assert empty.value.field == "message"
        entry = discussion_entries.post_entry(db, pupil, course.id, str(topic.id), "mine").entry
        with pytest.raises(NotAllowed):
            discussion_entries.update_entry(db, peer, course.id, str(topic.id), str(entry.id), "theirs")
        assert discussion_entries.update_entry(db, pupil, course.id, str(topic.id), str(entry.id),
                                               "still mine").entry.message == "still mine"


def test_announcements_query_needs_courses_and_hides_future_posts_from_students(world):
    course, student = _people(world)
    now = utcnow()
    with world.tx() as db:
        me, pupil = db.get(User, world.admin.id), db.get(User, student.id)
        later = discussions.create_topic(db, me, course.id, TopicChanges(
            title="Later", is_announcement=True, delayed_post_at=now + timedelta(days=2))).item
        window = AnnouncementQuery((str(course.id),), now, now + timedelta(days=3))
        assert [v.item.id for _, v in announcements.list_announcements(db, me, window, Window()).items] == [later.id]
        assert announcements.list_announcements(db, pupil, window, Window()).items == []
        with pytest.raises(InvalidInput):
            announcements.list_announcements(db, me, AnnouncementQuery(()), Window())
