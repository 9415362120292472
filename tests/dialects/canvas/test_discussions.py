"""Canvas Discussion Topics and Announcements over raw HTTP: bodies, entries, rights, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from courseport.core.courses import course_settings
from courseport.schema import ContentItem, DiscussionEntry, User


def _topic_body(t, origin: str, course_id: int, author, **overrides):
    url = f"{origin}/courses/{course_id}/discussion_topics/{t['id']}"
    body = {
        "id": t["id"], "title": "Week 1", "last_reply_at": None, "created_at": t["created_at"],
        "delayed_post_at": None, "posted_at": t["posted_at"], "assignment_id": None, "root_topic_id": None,
        "position": None, "podcast_has_student_posts": False, "discussion_type": "threaded", "lock_at": None,
        "allow_rating": False, "only_graders_can_rate": False, "sort_by_rating": False,
        "is_section_specific": False, "anonymous_state": None, "user_name": author.name,
        "discussion_subentry_count": 0,
        "permissions": {"attach": True, "update": True, "reply": True, "delete": True},
        "require_initial_post": False, "user_can_see_posts": True, "podcast_url": None, "read_state": "read",
        "unread_count": 0, "subscribed": True, "attachments": [], "published": True, "can_unpublish": True,
        "locked": False, "can_lock": True, "comments_disabled": False,
        "author": {"id": author.id, "anonymous_id": format(author.id, "x"), "display_name": author.short_name,
                   "avatar_image_url": f"{origin}/images/messages/avatar-50.png",
                   "html_url": f"{origin}/courses/{course_id}/users/{author.id}", "pronouns": None},
        "html_url": url, "url": url, "pinned": False, "group_category_id": None, "can_group": True,
        "topic_children": [], "group_topic_children": [], "locked_for_user": False, "message": "<p>Hi</p>",
        "todo_date": None, "is_announcement": False,
    }
    body.update(overrides)
    return body


def _item(world, item_id: int) -> ContentItem:
    with world.tx() as db:
        return db.get(ContentItem, item_id)


def test_create_topic_exact_body_and_state(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/discussion_topics", data={
            "title": "Week 1", "message": "<p>Hi</p><script>bad()</script>", "discussion_type": "threaded",
            "published": "true"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == _topic_body(body, world.base_url, course.id, world.admin)
    assert body["posted_at"] is not None
    item = _item(world, body["id"])
    assert (item.type, item.workflow_state, item.body, item.user_id) == (
        "discussion_topic", "active", "<p>Hi</p>", world.admin.id)
    assert item.data == {"discussion_type": "threaded", "pinned": False, "locked": False, "delayed_post_at": None,
                         "require_initial_post": False}


def test_topic_defaults_follow_canvas(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/discussion_topics", json={})
    assert r.status_code == 200
    assert (r.json()["title"], r.json()["published"], r.json()["discussion_type"], r.json()["posted_at"]) == (
        "No Title", False, "side_comment", None)
    assert _item(world, r.json()["id"]).workflow_state == "unpublished"


@pytest.mark.parametrize("data, field, message", [
    ({"discussion_type": "nested"}, "discussion_type",
     "discussion_type must be one of side_comment, threaded, not_threaded, flat"),
    ({"delayed_post_at": "soon"}, "delayed_post_at", "delayed_post_at must be an ISO 8601 date, got 'soon'"),
    ({"pinned": "perhaps"}, "pinned", "pinned must be a boolean (true or false), got 'perhaps'"),
    ({"assignment[points_possible]": "ten"}, "assignment[points_possible]",
     "assignment[points_possible] must be a number"),
    ({"assignment[grading_type]": "stars"}, "assignment[grading_type]",
     "grading_type must be one of points, percent, letter_grade, gpa_scale, pass_fail, not_graded"),
    ({"is_announcement": "true", "assignment[points_possible]": "5"}, "assignment",
     "announcements cannot be graded"),
])
def test_bad_input_names_the_field(world, data, field, message):
    course = world.course()
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/discussion_topics", data={"title": "T", **data})
    assert r.status_code == 400
    assert r.json() == {"errors": [{"message": message, "field": field}]}
    with world.tx() as db:
        assert db.scalars(select(ContentItem).where(ContentItem.course_id == course.id)).all() == []


def test_graded_topic_creates_an_assignment(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/discussion_topics", data={
            "title": "Debate", "published": "true", "assignment[points_possible]": "10",
            "assignment[due_at]": "2030-01-02T03:04:05Z"})
        assert r.status_code == 200
        topic = r.json()
        assignment = _item(world, topic["assignment_id"])
        assert (assignment.type, assignment.title, assignment.points, assignment.workflow_state) == (
            "assignment", "Debate", 10.0, "published")
        assert assignment.due_at == datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
        assert assignment.data["submission_types"] == ["discussion_topic"]
        assert _item(world, assignment.parent_id).type == "assignment_group"
        c.put(f"/api/v1/courses/{course.id}/discussion_topics/{topic['id']}", data={"title": "Debate 2"})
        assert _item(world, assignment.id).title == "Debate 2"
        assert c.delete(f"/api/v1/courses/{course.id}/discussion_topics/{topic['id']}").status_code == 200
    assert _item(world, assignment.id).workflow_state == "deleted"


def test_update_and_delete_topic(world):
    course = world.course()
    base = f"/api/v1/courses/{course.id}/discussion_topics"
    with world.client(world.admin_token) as c:
        topic = c.post(base, data={"title": "Old", "published": "false"}).json()
        r = c.put(f"{base}/{topic['id']}", data={"title": "New", "message": "<b>m</b>", "published": "true",
                                                 "pinned": "true", "locked": "true"})
        assert r.status_code == 200
        body = r.json()
        assert (body["title"], body["message"], body["published"], body["pinned"], body["locked"]) == (
            "New", "<b>m</b>", True, True, True)
        assert body["posted_at"] is not None
        deleted = c.delete(f"{base}/{topic['id']}")
        assert deleted.status_code == 200
        assert deleted.json()["id"] == topic["id"] and "deleted_at" in deleted.json()
        assert c.get(f"{base}/{topic['id']}").status_code == 404
    assert _item(world, topic["id"]).workflow_state == "deleted"


def test_list_order_scope_search_and_announcements(world):
    course = world.course()
    base = f"/api/v1/courses/{course.id}/discussion_topics"
    with world.client(world.admin_token) as c:
        ids = {}
        for day, (title, extra) in enumerate((("Alpha", {}), ("Beta", {"pinned": "true"}),
                                              ("Gamma", {"locked": "true"})), start=1):
            ids[title] = c.post(base, data={"title": title, "published": "true", **extra,
                                            "delayed_post_at": f"2020-01-0{day}T00:00:00Z"}).json()["id"]
        news = c.post(base, data={"title": "News", "message": "read me", "is_announcement": "true"}).json()
        assert news["is_announcement"] is True and news["published"] is True
        assert news["html_url"].endswith(f"/announcements/{news['id']}")
        assert [t["title"] for t in c.get(base).json()] == ["Beta", "Gamma", "Alpha"]
        assert [t["title"] for t in c.get(base, params={"order_by": "title"}).json()] == ["Alpha", "Beta", "Gamma"]
        assert [t["title"] for t in c.get(base, params={"scope": "locked"}).json()] == ["Gamma"]
        assert [t["title"] for t in c.get(base, params={"scope": "unlocked,unpinned"}).json()] == ["Alpha"]
        assert [t["title"] for t in c.get(base, params={"search_term": "amm"}).json()] == ["Gamma"]
        assert [t["id"] for t in c.get(base, params={"only_announcements": "true"}).json()] == [news["id"]]
        recent = {"order_by": "recent_activity"}
        assert [t["title"] for t in c.get(base, params=recent).json()] == ["Gamma", "Beta", "Alpha"]
        c.post(f"{base}/{ids['Alpha']}/entries", data={"message": "first!"})
        assert [t["title"] for t in c.get(base, params=recent).json()] == ["Alpha", "Gamma", "Beta"]
        bad = c.get(base, params={"scope": "hidden"})
        assert bad.status_code == 400
        assert bad.json() == {"errors": [{"message": "scope must be one of locked, unlocked, pinned, unpinned",
                                          "field": "scope"}]}


def test_entries_replies_and_counts(world):
    course = world.course()
    cast = world.cast(course)
    base = f"/api/v1/courses/{course.id}/discussion_topics"
    with world.client(cast["teacher"]) as t:
        topic = t.post(base, data={"title": "Chat", "published": "true"}).json()
    with world.client(cast["student"]) as s:
        r = s.post(f"{base}/{topic['id']}/entries", data={"message": "<p>my answer</p><img src=x onerror=y>"})
        assert r.status_code == 201, r.text
        entry = r.json()
        assert (entry["message"], entry["parent_id"], entry["user_name"]) == (
            '<p>my answer</p><img src="x">', None, "Student" + str(course.id))
        assert set(entry) == {"id", "user_id", "parent_id", "created_at", "updated_at", "rating_count",
                              "rating_sum", "user_name", "message", "user", "read_state", "forced_read_state"}
        reply = s.post(f"{base}/{topic['id']}/entries/{entry['id']}/replies", data={"message": "more"})
        assert reply.status_code == 201 and reply.json()["parent_id"] == entry["id"]
        nested = s.post(f"{base}/{topic['id']}/entries/{reply.json()['id']}/replies", data={"message": "deeper"})
        assert nested.json()["parent_id"] == entry["id"]  # side_comment: replies join the top-level entry
        listed = s.get(f"{base}/{topic['id']}/entries").json()
        assert [e["id"] for e in listed] == [entry["id"]]
        assert [r["message"] for r in listed[0]["recent_replies"]] == ["deeper", "more"]
        assert listed[0]["has_more_replies"] is False
        replies = s.get(f"{base}/{topic['id']}/entries/{entry['id']}/replies").json()
        assert [r["message"] for r in replies] == ["deeper", "more"]
        empty = s.post(f"{base}/{topic['id']}/entries", data={"message": "  "})
        assert empty.status_code == 400
        assert empty.json() == {"errors": [{"message": "message is required", "field": "message"}]}
    with world.client(cast["teacher"]) as t:
        seen = t.get(f"{base}/{topic['id']}").json()
        assert (seen["discussion_subentry_count"], seen["unread_count"], seen["can_unpublish"]) == (3, 3, False)
        assert seen["last_reply_at"] is not None
        unpublish = t.put(f"{base}/{topic['id']}", data={"published": "false"})
        assert unpublish.status_code == 400
        assert unpublish.json()["errors"] == [{"message": "This topic cannot be set to draft state because it "
                                               "contains posts.", "field": "published"}]
        edited = t.put(f"{base}/{topic['id']}/entries/{entry['id']}", data={"message": "moderated"})
        assert edited.status_code == 200 and edited.json()["message"] == "moderated"
        assert t.delete(f"{base}/{topic['id']}/entries/{reply.json()['id']}").status_code == 204
    with world.tx() as db:
        states = dict(db.execute(select(DiscussionEntry.message, DiscussionEntry.workflow_state)).all())
    assert states == {"moderated": "active", "more": "deleted", "deeper": "active"}


def test_student_rights(world):
    course = world.course()
    cast = world.cast(course)
    base = f"/api/v1/courses/{course.id}/discussion_topics"
    with world.client(cast["teacher"]) as t:
        draft = t.post(base, data={"title": "Draft"}).json()
        later = t.post(base, data={"title": "Later", "published": "true",
                                   "delayed_post_at": "2099-01-01T00:00:00Z"}).json()
        locked = t.post(base, data={"title": "Locked", "published": "true", "locked": "true"}).json()
        assert later["posted_at"] is None and later["delayed_post_at"] == "2099-01-01T00:00:00Z"
    with world.client(cast["student"]) as s:
        assert [t["title"] for t in s.get(base).json()] == ["Locked"]
        assert s.get(f"{base}/{draft['id']}").status_code == 404
        assert s.get(f"{base}/{later['id']}").status_code == 404
        assert s.post(f"{base}/{draft['id']}/entries", data={"message": "x"}).status_code == 404
        no_reply = s.post(f"{base}/{locked['id']}/entries", data={"message": "x"})
        assert no_reply.status_code == 403
        shown = s.get(f"{base}/{locked['id']}").json()
        assert (shown["locked_for_user"], shown["permissions"]) == (
            True, {"attach": False, "update": False, "reply": False, "delete": False})
        announce = s.post(base, data={"title": "Mine", "is_announcement": "true"})
        assert announce.status_code == 403
        assert announce.json() == {"status": "unauthorized",
                                   "errors": [{"message": "user not authorized to perform that action"}]}
        own = s.post(base, data={"title": "Student topic", "published": "false", "pinned": "true"})
        assert own.status_code == 200
        assert (own.json()["published"], own.json()["pinned"]) == (True, False)
        assert s.put(f"{base}/{locked['id']}", data={"title": "x"}).status_code == 403
        assert s.put(f"{base}/{own.json()['id']}", data={"title": "Renamed"}).json()["title"] == "Renamed"
    with world.tx() as db:
        course_settings.update_course_settings(db, db.get(User, world.admin.id), course.id,
                                               {"allow_student_discussion_topics": False})
    with world.client(cast["student"]) as s:
        assert s.post(base, data={"title": "Again"}).status_code == 403
    with world.client(cast["observer"]) as o:
        assert o.post(f"{base}/{locked['id']}/entries", data={"message": "x"}).status_code == 403
    with world.client(cast["outsider"]) as o:
        assert o.get(base).status_code == 403


def test_require_initial_post_hides_entries_until_posting(world):
    course = world.course()
    cast = world.cast(course)
    base = f"/api/v1/courses/{course.id}/discussion_topics"
    with world.client(cast["teacher"]) as t:
        topic = t.post(base, data={"title": "Q", "published": "true", "require_initial_post": "true"}).json()
        t.post(f"{base}/{topic['id']}/entries", data={"message": "teacher's example"})
    with world.client(cast["student"]) as s:
        assert s.get(f"{base}/{topic['id']}").json()["user_can_see_posts"] is False
        hidden = s.get(f"{base}/{topic['id']}/entries")
        assert hidden.status_code == 403
        assert hidden.json()["errors"] == [{"message": "You must post before seeing replies"}]
        s.post(f"{base}/{topic['id']}/entries", data={"message": "mine"})
        assert len(s.get(f"{base}/{topic['id']}/entries").json()) == 2


def test_lock_all_announcements_disables_replies(world):
    course = world.course()
    cast = world.cast(course)
    base = f"/api/v1/courses/{course.id}/discussion_topics"
    with world.client(cast["teacher"]) as t:
        news = t.post(base, data={"title": "News", "is_announcement": "true"}).json()
    with world.tx() as db:
        course_settings.update_course_settings(db, db.get(User, world.admin.id), course.id,
                                               {"lock_all_announcements": True})
    with world.client(cast["student"]) as s:
        shown = s.get(f"{base}/{news['id']}").json()
        assert (shown["comments_disabled"], shown["permissions"]["reply"]) == (True, False)
        assert s.post(f"{base}/{news['id']}/entries", data={"message": "x"}).status_code == 403


def test_announcements_index(world):
    course, other = world.course("One"), world.course("Two")
    cast = world.cast(course)
    world.enroll(world.user_with_token(f"student{course.id}")[0], other)
    base = "/api/v1/courses/{}/discussion_topics"
    with world.client(world.admin_token) as c:
        a1 = c.post(base.format(course.id), data={"title": "A1", "is_announcement": "true"}).json()
        a2 = c.post(base.format(other.id), data={"title": "A2", "is_announcement": "true"}).json()
        future = c.post(base.format(course.id), data={"title": "Soon", "is_announcement": "true",
                                                      "delayed_post_at": "2099-01-01T00:00:00Z"}).json()
        assert future["published"] is False
        c.post(base.format(course.id), data={"title": "Not news", "published": "true"})
        r = c.get("/api/v1/announcements", params={"context_codes[]": [f"course_{course.id}", f"course_{other.id}"]})
        assert r.status_code == 200
        assert [(a["id"], a["context_code"]) for a in r.json()] == [
            (a2["id"], f"course_{other.id}"), (a1["id"], f"course_{course.id}")]
        far = c.get("/api/v1/announcements", params={"context_codes[]": f"course_{course.id}",
                                                     "start_date": "2098-12-01", "end_date": "2099-02-01"})
        assert [a["id"] for a in far.json()] == [future["id"]]
        active = c.get("/api/v1/announcements", params={"context_codes[]": f"course_{course.id}", "active_only": "1",
                                                        "start_date": "2098-12-01", "end_date": "2099-02-01"})
        assert active.json() == []
        missing = c.get("/api/v1/announcements")
        assert missing.status_code == 400
        assert missing.json() == {"errors": [{"message": "Missing context_codes", "field": "context_codes"}]}
        old = c.get("/api/v1/announcements", params={
            "context_codes[]": f"course_{course.id}",
            "end_date": (datetime.now(UTC) - timedelta(days=1)).isoformat()})
        assert old.json() == []
    with world.client(cast["student"]) as s:
        seen = s.get("/api/v1/announcements", params={"context_codes[]": f"course_{course.id}",
                                                      "start_date": "2098-12-01", "end_date": "2099-02-01"})
        assert seen.json() == []
    with world.client(cast["outsider"]) as o:
        assert o.get("/api/v1/announcements", params={"context_codes[]": f"course_{course.id}"}).status_code == 403


def test_threaded_topics_nest_replies(world):
    course = world.course()
    base = f"/api/v1/courses/{course.id}/discussion_topics"
    with world.client(world.admin_token) as c:
        topic = c.post(base, data={"title": "T", "published": "true", "discussion_type": "threaded"}).json()
        entry = c.post(f"{base}/{topic['id']}/entries", data={"message": "a"}).json()
        reply = c.post(f"{base}/{topic['id']}/entries/{entry['id']}/replies", data={"message": "b"}).json()
        nested = c.post(f"{base}/{topic['id']}/entries/{reply['id']}/replies", data={"message": "c"})
        assert nested.status_code == 201 and nested.json()["parent_id"] == reply["id"]
        missing = c.post(f"{base}/{topic['id']}/entries/999999/replies", data={"message": "d"})
        assert missing.status_code == 404
