"""Canvas conversations (Conversations API) over raw HTTP: exact bodies, each participant's own state in
the store after each call, who may message whom, the recipient search, and refusals with their bodies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.schema import Conversation, ConversationMessage, ConversationParticipant, RemovedMessage
from tests.dialects.canvas.errors import NOT_FOUND

BASE = "/api/v1/conversations"


@pytest.fixture
def cls(world):
    """A course with a teacher and two students, and an outsider of another course: {role: (user, token)}."""
    course = world.course("Mechanics")
    people = {}
    for role, etype in (("teacher", "TeacherEnrollment"), ("ann", "StudentEnrollment"), ("bob", "StudentEnrollment")):
        user, token = world.user_with_token(f"conv_{role}_{course.id}", name=f"{role.title()} Person")
        world.enroll(user, course, etype)
        people[role] = (user, token)
    outsider, token = world.user_with_token(f"conv_out_{course.id}", name="Out Sider")
    world.enroll(outsider, world.course("Elsewhere"))
    people["outsider"] = (outsider, token)
    return course, people


def _post(world, token, path, data):
    with world.client(token) as c:
        return c.post(f"{BASE}{path}", data=data)


def _states(world, conversation_id) -> dict:
    with world.tx() as db:
        return {p.user_id: (p.state, p.starred) for p in db.scalars(select(ConversationParticipant).where(
            ConversationParticipant.conversation_id == conversation_id))}


def _field(r) -> str:
    return r.json()["errors"][0]["field"]


def test_a_message_to_one_user_answers_the_conversation_and_stores_each_participants_state(world, cls):
    course, people = cls
    teacher, token = people["teacher"]
    ann = people["ann"][0]
    r = _post(world, token, "", {"recipients[]": [str(ann.id)], "subject": "Lab", "body": "Bring goggles"})
    assert r.status_code == 201, r.text
    [conv] = r.json()
    assert set(conv) == {"id", "subject", "workflow_state", "last_message", "last_message_at",
                         "last_authored_message", "last_authored_message_at", "message_count", "subscribed",
                         "private", "starred", "properties", "audience", "audience_contexts", "avatar_url",
                         "participants", "visible", "context_name", "context_code", "messages", "submissions"}
    assert (conv["subject"], conv["workflow_state"], conv["private"], conv["message_count"]) == ("Lab", "read", True, 1)
    assert (conv["audience"], conv["last_message"], conv["properties"]) == ([ann.id], "Bring goggles", ["last_author"])
    assert [p["id"] for p in conv["participants"]] == [teacher.id, ann.id]
    [message] = conv["messages"]
    assert (message["body"], message["author_id"], message["generated"]) == ("Bring goggles", teacher.id, False)
    assert message["participating_user_ids"] == [teacher.id, ann.id]
    assert _states(world, conv["id"]) == {teacher.id: ("read", False), ann.id: ("unread", False)}
    # The same two users find their private conversation again.
    again = _post(world, token, "", {"recipients[]": [str(ann.id)], "body": "And gloves"}).json()
    assert [c["id"] for c in again] == [conv["id"]]
    with world.tx() as db:
        assert db.scalar(select(Conversation).where(Conversation.id == conv["id"])).private is True
        assert len(db.scalars(select(ConversationMessage).where(
            ConversationMessage.conversation_id == conv["id"])).all()) == 2


def test_a_course_recipient_becomes_one_private_conversation_per_member_or_one_group(world, cls):
    course, people = cls
    teacher, token = people["teacher"]
    ann, bob = people["ann"][0], people["bob"][0]
    r = _post(world, token, "", {"recipients[]": [f"course_{course.id}"], "body": "Welcome"})
    assert r.status_code == 201, r.text
    convs = r.json()
    assert sorted(c["audience"][0] for c in convs) == [ann.id, bob.id]
    assert {c["context_code"] for c in convs} == {f"course_{course.id}"}
    assert {c["context_name"] for c in convs} == {"Mechanics"}
    group = _post(world, token, "", {"recipients[]": [f"course_{course.id}_students"], "body": "All of you",
                                     "group_conversation": "true", "subject": "Group"}).json()
    [one] = group
    assert (one["private"], sorted(one["audience"])) == (False, sorted([ann.id, bob.id]))
    assert _states(world, one["id"]) == {teacher.id: ("read", False), ann.id: ("unread", False),
                                         bob.id: ("unread", False)}


def test_students_read_reply_star_archive_and_delete_for_themselves(world, cls):
    _, people = cls
    teacher, t_token = people["teacher"]
    ann, a_token = people["ann"]
    conv = _post(world, t_token, "", {"recipients[]": [str(ann.id)], "body": "Hello"}).json()[0]
    cid = conv["id"]
    with world.client(a_token) as c:
        assert c.get(f"{BASE}/unread_count").json() == {"unread_count": "1"}
        listed = c.get(BASE, params={"scope": "unread"})
        assert [x["id"] for x in listed.json()] == [cid] and "Link" in listed.headers
        shown = c.get(f"{BASE}/{cid}").json()  # reading marks it read
        assert [m["body"] for m in shown["messages"]] == ["Hello"]
        assert _states(world, cid)[ann.id] == ("read", False)
        assert c.get(f"{BASE}/unread_count").json() == {"unread_count": "0"}
        reply = c.post(f"{BASE}/{cid}/add_message", data={"body": "Hi back"}).json()
        assert [m["body"] for m in reply["messages"]] == ["Hi back"]
        assert reply["message_count"] == 2
        assert _states(world, cid) == {teacher.id: ("unread", False), ann.id: ("read", False)}
        starred = c.put(f"{BASE}/{cid}", data={"conversation[starred]": "true"}).json()
        assert starred["starred"] is True
        assert [x["id"] for x in c.get(BASE, params={"scope": "starred"}).json()] == [cid]
        archived = c.put(f"{BASE}/{cid}", data={"conversation[workflow_state]": "archived"}).json()
        assert archived["workflow_state"] == "archived"
        assert c.get(BASE).json() == []
        assert [x["id"] for x in c.get(BASE, params={"scope": "archived"}).json()] == [cid]
        assert _states(world, cid)[ann.id] == ("archived", True)
        gone = c.delete(f"{BASE}/{cid}").json()
        assert (gone["id"], gone["message_count"], gone["last_message"]) == (cid, 0, None)
        assert c.get(BASE, params={"scope": "archived"}).json() == []
    with world.client(t_token) as c:  # the teacher keeps theirs
        assert c.get(f"{BASE}/{cid}").json()["message_count"] == 2
        c.post(f"{BASE}/{cid}/add_message", data={"body": "Still there?"})
    with world.client(a_token) as c:  # a new message brings it back, alone
        [back] = c.get(BASE).json()
        assert (back["id"], back["message_count"], back["workflow_state"]) == (cid, 1, "unread")


def test_remove_messages_mark_all_as_read_and_sent_scope(world, cls):
    _, people = cls
    teacher, t_token = people["teacher"]
    ann, a_token = people["ann"]
    bob = people["bob"][0]
    first = _post(world, t_token, "", {"recipients[]": [str(ann.id)], "body": "One"}).json()[0]
    _post(world, t_token, "", {"recipients[]": [str(bob.id)], "body": "Two"})
    msg_id = first["messages"][0]["id"]
    with world.client(t_token) as c:
        assert len(c.get(BASE, params={"scope": "sent"}).json()) == 2
        left = c.post(f"{BASE}/{first['id']}/remove_messages", data={"remove[]": [str(msg_id)]}).json()
        assert left["message_count"] == 0
    with world.tx() as db:
        removers = db.scalars(select(RemovedMessage.user_id).where(RemovedMessage.message_id == msg_id)).all()
        assert removers == [teacher.id]
    with world.client(a_token) as c:
        assert c.get(f"{BASE}/{first['id']}", params={"auto_mark_as_read": "false"}).json()["message_count"] == 1
        assert c.post(f"{BASE}/mark_all_as_read").json() == {}
        assert _states(world, first["id"])[ann.id] == ("read", False)
        assert c.get(f"{BASE}/batches").json() == []


def test_add_recipients_to_a_group_conversation_and_not_to_a_private_one(world, cls):
    course, people = cls
    teacher, t_token = people["teacher"]
    ann, bob = people["ann"][0], people["bob"][0]
    group = _post(world, t_token, "", {"recipients[]": [str(ann.id), str(people["outsider"][0].id)], "body": "x"})
    assert (group.status_code, _field(group)) == (400, "recipients")
    conv = _post(world, t_token, "", {"recipients[]": [str(ann.id)], "body": "Hi"}).json()[0]
    r = _post(world, t_token, f"/{conv['id']}/add_recipients", {"recipients[]": [str(bob.id)]})
    assert (r.status_code, _field(r)) == (400, "recipients")
    g = _post(world, t_token, "", {"recipients[]": [str(ann.id), str(bob.id)], "body": "Hi",
                                   "group_conversation": "true"}).json()[0]
    section = _post(world, t_token, "", {"recipients[]": [str(ann.id)], "body": "S", "force_new": "true"}).json()[0]
    assert section["id"] != conv["id"]
    teacher2, _ = world.user_with_token(f"conv_t2_{course.id}", name="Second Teacher")
    world.enroll(teacher2, course, "TeacherEnrollment")
    added = _post(world, t_token, f"/{g['id']}/add_recipients", {"recipients[]": [str(teacher2.id)]})
    assert added.status_code == 200, added.text
    [note] = added.json()["messages"]
    assert note["generated"] is True and "Second Teacher" in note["body"]
    assert sorted(added.json()["audience"]) == sorted([ann.id, bob.id, teacher2.id])
    assert _states(world, g["id"])[teacher2.id] == ("unread", False)


def test_refusals_name_their_field(world, cls):
    course, people = cls
    ann, a_token = people["ann"]
    outsider, o_token = people["outsider"]
    cases = [({"body": "x"}, "recipients"), ({"recipients[]": [str(people["bob"][0].id)]}, "body"),
             ({"recipients[]": [str(outsider.id)], "body": "x"}, "recipients"),
             ({"recipients[]": ["course_99999999"], "body": "x"}, "recipients"),
             ({"recipients[]": ["nonsense"], "body": "x"}, "recipients"),
             ({"recipients[]": [str(people["bob"][0].id)], "body": "x", "context_code": "course_99999999"},
              "context_code")]
    for data, field in cases:
        r = _post(world, a_token, "", data)
        assert (r.status_code, _field(r)) == (400, field), (data, r.text)
    with world.tx() as db:
        assert db.scalars(select(Conversation)).all() == []
    r = _post(world, o_token, "", {"recipients[]": [f"course_{course.id}"], "body": "x"})
    assert (r.status_code, _field(r)) == (400, "recipients")
    conv = _post(world, a_token, "", {"recipients[]": [str(people["bob"][0].id)], "body": "x"}).json()[0]
    with world.client(o_token) as c:  # another's conversation is not found
        assert (c.get(f"{BASE}/{conv['id']}").status_code, c.get(f"{BASE}/{conv['id']}").json()) == (404, NOT_FOUND)
        assert c.post(f"{BASE}/{conv['id']}/add_message", data={"body": "x"}).status_code == 404
        assert c.get(f"{BASE}/99999999").status_code == 404
    with world.client(a_token) as c:
        bad = c.put(f"{BASE}/{conv['id']}", data={"conversation[workflow_state]": "gone"})
        assert (bad.status_code, _field(bad)) == (400, "conversation[workflow_state]")
        bad = c.put(f"{BASE}/{conv['id']}", data={"conversation[starred]": "maybe"})
        assert (bad.status_code, _field(bad)) == (400, "conversation[starred]")
        assert _field(c.post(f"{BASE}/{conv['id']}/add_message", data={"body": " "})) == "body"
        assert _field(c.get(BASE, params={"scope": "everything"})) == "scope"
        assert _field(c.put(BASE, data={"conversation_ids[]": [str(conv["id"])], "event": "explode"})) == "event"
        assert _field(c.put(BASE, data={"event": "star"})) == "conversation_ids[]"
        assert _field(c.put(BASE, data={"conversation_ids[]": ["99999999"], "event": "star"})) == "conversation_ids[]"
    assert _states(world, conv["id"])[ann.id] == ("read", False)


def test_batch_update_answers_a_progress_that_the_job_completes(world, cls):
    _, people = cls
    teacher, t_token = people["teacher"]
    ids = [_post(world, t_token, "", {"recipients[]": [str(people[n][0].id)], "body": "x"}).json()[0]["id"]
           for n in ("ann", "bob")]
    with world.client(t_token) as c:
        r = c.put(BASE, data={"conversation_ids[]": [str(i) for i in ids], "event": "star"})
        assert r.status_code == 200, r.text
        progress = r.json()
        assert (progress["tag"], progress["workflow_state"], progress["context_type"]) == (
            "conversation_batch_update", "queued", "User")
        world.run_jobs()
        done = c.get(f"/api/v1/progress/{progress['id']}").json()
        assert (done["workflow_state"], done["completion"]) == ("completed", 100.0)
        assert done["results"]["updated_conversation_ids"] == ids
    assert all(_states(world, i)[teacher.id] == ("read", True) for i in ids)
    assert all(_states(world, i)[p[0].id][1] is False for i, p in zip(ids, (people["ann"], people["bob"]), strict=True))


def test_admins_message_anyone_and_search_recipients_finds_who_the_caller_may_message(world, cls):
    course, people = cls
    ann, a_token = people["ann"]
    outsider = people["outsider"][0]
    r = _post(world, world.admin_token, "", {"recipients[]": [str(outsider.id)], "body": "From the office"})
    assert r.status_code == 201, r.text
    with world.client(a_token) as c:
        found = c.get("/api/v1/search/recipients", params={"search": "person"})
        assert found.status_code == 200
        names = [x["name"] for x in found.json()]
        assert names == ["Bob Person", "Teacher Person"]
        bob = found.json()[0]
        assert bob == {"id": people["bob"][0].id, "name": "Bob Person", "full_name": "Bob Person",
                       "avatar_url": bob["avatar_url"], "pronouns": None,
                       "common_courses": {str(course.id): ["StudentEnrollment"]}, "common_groups": {}}
        contexts = c.get("/api/v1/search/recipients", params={"search": "mech", "type": "context"}).json()
        assert contexts == [{"id": f"course_{course.id}", "name": "Mechanics", "avatar_url": contexts[0]["avatar_url"],
                             "type": "context", "user_count": 2, "permissions": {}}]
        within = c.get("/api/v1/search/recipients", params={"context": f"course_{course.id}_teachers"}).json()
        assert [x["name"] for x in within] == ["Teacher Person"]
        assert "Out Sider" not in [x["name"] for x in c.get("/api/v1/search/recipients",
                                                             params={"search": "out"}).json()]
        paged = c.get("/api/v1/search/recipients", params={"search": " ", "per_page": 1})
        assert len(paged.json()) == 1 and 'rel="next"' in paged.headers["Link"]
        bad = c.get("/api/v1/search/recipients", params={"context": "course_99999999"})
        assert (bad.status_code, _field(bad)) == (400, "context")
