"""Canvas discussion read marks and subscriptions over raw HTTP: topic and entry read states, unread
counts, following, refusals that store nothing."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import DiscussionEntryRead, DiscussionParticipant
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _setup(world, **topic):
    course = world.course("Forum")
    cast = world.cast(course)
    base = f"/api/v1/courses/{course.id}/discussion_topics"
    with world.client(cast["teacher"]) as t:
        made = t.post(base, data={"title": "Week 1", "message": "<p>Hi</p>", "published": "true", **topic}).json()
        first = t.post(f"{base}/{made['id']}/entries", data={"message": "one"}).json()
        second = t.post(f"{base}/{made['id']}/entries", data={"message": "two"}).json()
    return course, cast, f"{base}/{made['id']}", first, second


def _topic(world, token, path):
    with world.client(token) as c:
        return c.get(path).json()


def _entries(world, token, path):
    with world.client(token) as c:
        return {e["id"]: (e["read_state"], e["forced_read_state"]) for e in c.get(f"{path}/entries").json()}


def test_entries_are_unread_until_marked_and_the_counts_follow(world):
    _, cast, path, first, second = _setup(world)
    student = cast["student"]
    before = _topic(world, student, path)
    assert (before["read_state"], before["unread_count"], before["subscribed"]) == ("unread", 2, False)
    assert _entries(world, student, path) == {first["id"]: ("unread", False), second["id"]: ("unread", False)}
    assert _entries(world, cast["teacher"], path)[first["id"]] == ("read", False)  # the author's own
    with world.client(student) as c:
        one = c.put(f"{path}/entries/{first['id']}/read", data={"forced_read_state": "true"})
        topic = c.put(f"{path}/read")
    assert (one.status_code, one.content, topic.status_code) == (204, b"", 204)
    after = _topic(world, student, path)
    assert (after["read_state"], after["unread_count"]) == ("read", 1)
    assert _entries(world, student, path) == {first["id"]: ("read", True), second["id"]: ("unread", False)}
    assert _topic(world, cast["ta"], path)["unread_count"] == 2  # marks are each user's own
    with world.client(student) as c:
        assert c.put(f"{path}/read_all").status_code == 204
    assert _topic(world, student, path)["unread_count"] == 0
    with world.client(student) as c:
        assert c.delete(f"{path}/read_all", params={"forced_read_state": "true"}).status_code == 204
        assert c.delete(f"{path}/read").status_code == 204
    again = _topic(world, student, path)
    assert (again["read_state"], again["unread_count"]) == ("unread", 2)
    assert set(_entries(world, student, path).values()) == {("unread", True)}


def test_following_a_topic(world):
    _, cast, path, _, _ = _setup(world)
    assert _topic(world, cast["teacher"], path)["subscribed"] is True  # its author follows it
    with world.client(cast["student"]) as c:
        assert c.put(f"{path}/subscribed").status_code == 204
        assert c.get(path).json()["subscribed"] is True
    with world.client(cast["teacher"]) as c:
        assert c.delete(f"{path}/subscribed").status_code == 204
        assert c.get(path).json()["subscribed"] is False
    with world.tx() as db:
        marks = {(p.read, p.subscribed) for p in db.scalars(select(DiscussionParticipant))}
    assert marks == {(None, True), (None, False)}


def test_refusals_store_nothing(world):
    _, cast, path, first, _ = _setup(world, require_initial_post="true")
    with world.client(cast["student"]) as c:
        follow = c.put(f"{path}/subscribed")
        unknown_entry = c.put(f"{path}/entries/999999/read")
    with world.client(cast["outsider"]) as c:
        outsider = c.put(f"{path}/read")
    with world.client(cast["teacher"]) as c:
        unknown_topic = c.put(path.rsplit("/", 1)[0] + "/999999/read")
    initial_post = {"status": "unauthorized", "errors": [{"message": "initial post required"}]}
    assert (follow.status_code, follow.json()) == (403, initial_post)
    assert [(r.status_code, r.json()) for r in (unknown_entry, unknown_topic, outsider)] == [
        (404, NOT_FOUND), (404, NOT_FOUND), (403, FORBIDDEN)]
    with world.tx() as db:
        assert db.scalars(select(DiscussionParticipant)).all() == []
        assert db.scalars(select(DiscussionEntryRead)).all() == []
    with world.client(cast["student"]) as c:  # after posting, following is allowed
        c.post(f"{path}/entries", data={"message": "mine"})
        assert c.put(f"{path}/subscribed").status_code == 204
