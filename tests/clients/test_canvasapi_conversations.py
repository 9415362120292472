"""canvasapi 3.6.0, unmodified, against the live server: a teacher messages a course, students read,
reply, star and archive, a batch update completes through its Progress; recipient search and bookmarks
(CurrentUser), with the stored rows after each call."""

from __future__ import annotations

import time

import pytest
from canvasapi.bookmark import Bookmark as CanvasBookmark
from canvasapi.conversation import Conversation as CanvasConversation
from canvasapi.exceptions import BadRequest, ResourceDoesNotExist
from sqlalchemy import select

from courseport.schema import Bookmark, ConversationParticipant


def _state(world, conversation_id, user) -> tuple[str, bool]:
    with world.tx() as db:
        row = db.get(ConversationParticipant, (conversation_id, user.id))
        return row.state, row.starred


@pytest.fixture
def cls(world):
    course = world.course("Thermodynamics")
    people = {}
    for login, etype in (("teacher", "TeacherEnrollment"), ("ann", "StudentEnrollment"), ("bob", "StudentEnrollment")):
        user, token = world.user_with_token(f"cc_{login}", name=f"{login.title()} Student")
        world.enroll(user, course, etype)
        people[login] = (user, token)
    return course, people


def test_teacher_messages_a_course_and_students_read_reply_star_archive(world, cls):
    course, people = cls
    teacher, t_token = people["teacher"]
    (ann, a_token), (bob, b_token) = people["ann"], people["bob"]
    canvas = world.canvas(t_token)
    sent = canvas.create_conversation([f"course_{course.id}"], "Exam on Friday", subject="Exam")
    assert len(sent) == 2 and all(isinstance(c, CanvasConversation) for c in sent)
    assert sorted(c.audience[0] for c in sent) == [ann.id, bob.id]
    to_ann = next(c for c in sent if c.audience == [ann.id])
    assert str(to_ann) == f"Exam ({to_ann.id})"
    assert _state(world, to_ann.id, ann) == ("unread", False)

    student = world.canvas(a_token)
    assert student.conversations_unread_count() == {"unread_count": "1"}
    [listed] = student.get_conversations()
    assert (listed.id, listed.workflow_state, listed.last_message) == (to_ann.id, "unread", "Exam on Friday")
    opened = student.get_conversation(to_ann.id)
    assert [m["body"] for m in opened.messages] == ["Exam on Friday"]
    assert _state(world, to_ann.id, ann) == ("read", False)

    reply = opened.add_message("Which chapters?")
    assert [m["body"] for m in reply.messages] == ["Which chapters?"]
    assert _state(world, to_ann.id, teacher) == ("unread", False)
    assert opened.edit(conversation={"starred": True}) is True and opened.starred is True
    assert opened.edit(conversation={"workflow_state": "archived"}) is True
    assert _state(world, to_ann.id, ann) == ("archived", True)
    assert list(student.get_conversations()) == []
    assert [c.id for c in student.get_conversations(scope="archived")] == [to_ann.id]
    assert [c.id for c in student.get_conversations(scope="starred")] == [to_ann.id]

    # Bob deletes his copy; the teacher's conversation with him stays.
    to_bob = next(c for c in sent if c.audience == [bob.id])
    assert world.canvas(b_token).get_conversation(to_bob.id).delete() is True
    assert list(world.canvas(b_token).get_conversations()) == []
    assert canvas.get_conversation(to_bob.id).message_count == 1

    with pytest.raises(BadRequest):
        student.create_conversation([str(bob.id)], "")
    with pytest.raises(ResourceDoesNotExist):
        world.canvas(b_token).get_conversation(to_ann.id)


def test_batch_update_completes_through_its_progress_and_mark_all_as_read(world, cls):
    course, people = cls
    teacher, t_token = people["teacher"]
    canvas = world.canvas(t_token)
    sent = canvas.create_conversation([str(people["ann"][0].id), str(people["bob"][0].id)], "Hello",
                                      group_conversation=False)
    ids = [c.id for c in sent]
    progress = canvas.conversations_batch_update(ids, "star")
    assert progress.workflow_state == "queued"
    world.run_jobs()
    deadline = time.monotonic() + 10
    while progress.workflow_state != "completed" and time.monotonic() < deadline:
        progress = progress.query()
    assert (progress.workflow_state, progress.completion) == ("completed", 100.0)
    assert [_state(world, i, teacher)[1] for i in ids] == [True, True]
    assert canvas.conversations_get_running_batches() == []
    with pytest.raises(ValueError):
        canvas.conversations_batch_update(ids, "explode")

    ann, a_token = people["ann"]
    student = world.canvas(a_token)
    assert student.conversations_unread_count() == {"unread_count": "1"}
    assert student.conversations_mark_all_as_read() is True
    assert _state(world, ids[0], ann) == ("read", False)


def test_search_recipients_and_group_conversation_with_added_recipient(world, cls):
    course, people = cls
    teacher, t_token = people["teacher"]
    canvas = world.canvas(t_token)
    found = canvas.search_recipients()
    assert [r["id"] for r in found] == [f"course_{course.id}", people["ann"][0].id, people["bob"][0].id]
    assert canvas.search_recipients(search="bob", type="user")[0]["full_name"] == "Bob Student"
    [group] = canvas.create_conversation([str(people["ann"][0].id)], "Project", subject="Team")
    assert group.private is True
    [team] = canvas.create_conversation([str(people["ann"][0].id), str(people["bob"][0].id)], "Team chat",
                                        group_conversation=True)
    newcomer, _ = world.user_with_token("cc_newcomer", name="New Comer")
    world.enroll(newcomer, course)
    added = team.add_recipients([str(newcomer.id)])
    assert added.messages[0]["generated"] is True
    assert newcomer.id in added.audience
    removed = team.delete_messages([team.messages[0]["id"]])
    assert removed["message_count"] == 1  # the generated one stays


def test_bookmarks_through_current_user(world):
    user, token = world.user_with_token("cc_bookmarks")
    me = world.canvas(token).get_current_user()
    made = me.create_bookmark("Home", "/courses/1", position=1)
    assert isinstance(made, CanvasBookmark) and str(made) == f"Home ({made.id})"
    me.create_bookmark("Inbox", "/conversations", position=1)
    assert [(b.name, b.position) for b in me.get_bookmarks()] == [("Inbox", 1), ("Home", 2)]
    got = me.get_bookmark(made.id)
    edited = got.edit(name="Start")
    assert edited.name == "Start" and got.name == "Start"
    got.delete()
    with world.tx() as db:
        assert [b.name for b in db.scalars(select(Bookmark).where(Bookmark.user_id == user.id))] == ["Inbox"]
    with pytest.raises(ResourceDoesNotExist):
        me.get_bookmark(made.id)
