"""canvasapi 3.6.0, unmodified, against the live server: a course group's own pages and discussion topics, which
its members (and the course's teachers) read and write, and which the course's own lists never show."""

from __future__ import annotations

import pytest
from canvasapi.discussion_topic import DiscussionTopic
from canvasapi.exceptions import Forbidden, ResourceDoesNotExist
from canvasapi.page import Page
from sqlalchemy import select

from courseport.schema import ContentItem, DiscussionEntry


def _team(world):
    """A course whose teacher made one group with Ann and Cy in it; Bob is a student of the course outside it."""
    course = world.course("Projects")
    teacher, teacher_token = world.user_with_token("tina", name="Tina Teach")
    world.enroll(teacher, course, "TeacherEnrollment")
    people = {}
    for login in ("ann", "bob", "cy"):
        user, token = world.user_with_token(login, name=login.title())
        world.enroll(user, course)
        people[login] = (user, token)
    category = world.canvas(teacher_token).get_course(course.id).create_group_category("Teams")
    group = category.create_group(name="Team 1")
    for login in ("ann", "cy"):
        group.create_membership(people[login][0].id)
    tokens = {login: token for login, (_, token) in people.items()}
    return course, group, {"teacher": teacher_token, **tokens}


def _item(world, item_id: int) -> ContentItem:
    with world.tx() as db:
        return db.get(ContentItem, item_id)


def test_members_keep_pages_in_their_group(world):
    course, group, tokens = _team(world)
    ann_group = world.canvas(tokens["ann"]).get_group(group.id)
    page = ann_group.create_page({"title": "Our Plan", "body": "<p>step one</p>", "published": True})
    assert isinstance(page, Page) and (page.url, page.group_id, page.body) == ("our-plan", group.id,
                                                                                "<p>step one</p>")
    assert page.html_url.endswith(f"/groups/{group.id}/pages/our-plan")
    stored = _item(world, page.page_id)
    assert (stored.group_id, stored.course_id, stored.type) == (group.id, course.id, "page")

    cy_group = world.canvas(tokens["cy"]).get_group(group.id)
    with world.client(tokens["cy"]) as c:  # canvasapi's Page.edit reads a course_id a group's page has not
        r = c.put(f"/api/v1/groups/{group.id}/pages/our-plan",
                  data={"wiki_page[title]": "Our Plan v2", "wiki_page[body]": "<p>two</p>"})
    assert (r.status_code, r.json()["url"], r.json()["body"]) == (200, "our-plan-v2", "<p>two</p>")
    edited = cy_group.get_page("our-plan-v2")
    assert _item(world, page.page_id).slug == "our-plan-v2"
    assert [(r.revision_id, r.latest) for r in edited.get_revisions()] == [(2, True), (1, False)]
    assert edited.show_latest_revision().title == "Our Plan v2"
    reverted = edited.revert_to_revision(1)
    assert (reverted.title, reverted.body) == ("Our Plan", "<p>step one</p>")
    assert _item(world, page.page_id).body == "<p>step one</p>"

    front = ann_group.edit_front_page(wiki_page={"body": "<h1>Team home</h1>"})
    assert (front.title, front.front_page, front.group_id) == ("Front Page", True, group.id)
    assert ann_group.show_front_page().page_id == front.page_id
    assert sorted(p.title for p in ann_group.get_pages()) == ["Front Page", "Our Plan"]

    teacher = world.canvas(tokens["teacher"])
    assert sorted(p.title for p in teacher.get_group(group.id).get_pages()) == ["Front Page", "Our Plan"]
    course_pages = teacher.get_course(course.id)
    assert list(course_pages.get_pages()) == []  # the group's pages are not the course's
    with pytest.raises(ResourceDoesNotExist):
        course_pages.get_page("our-plan")
    with pytest.raises(ResourceDoesNotExist):
        course_pages.show_front_page()
    course_page = course_pages.create_page({"title": "Our Plan", "published": True})
    assert course_page.url == "our-plan"  # urls are unique per context, not across course and group

    with pytest.raises(Forbidden):
        list(world.canvas(tokens["bob"]).get_group(group.id).get_pages())
    with pytest.raises(Forbidden):
        world.canvas(tokens["bob"]).get_group(group.id).create_page({"title": "Intrusion"})

    assert cy_group.get_page("our-plan").delete().page_id == page.page_id
    assert _item(world, page.page_id).workflow_state == "deleted"
    assert [p.title for p in ann_group.get_pages()] == ["Front Page"]


def test_members_discuss_in_their_group(world):
    course, group, tokens = _team(world)
    ann_group = world.canvas(tokens["ann"]).get_group(group.id)
    topic = ann_group.create_discussion_topic(title="Kickoff", message="<p>When do we meet?</p>",
                                              discussion_type="threaded")
    assert isinstance(topic, DiscussionTopic) and (topic.group_id, topic.published) == (group.id, True)
    assert topic.html_url.endswith(f"/groups/{group.id}/discussion_topics/{topic.id}")
    assert _item(world, topic.id).group_id == group.id

    cy_topic = world.canvas(tokens["cy"]).get_group(group.id).get_discussion_topic(topic.id)
    entry = cy_topic.post_entry(message="<p>Monday</p>")
    reply = entry.post_reply(message="Works for me")
    assert (reply.parent_id, reply.discussion_id) == (entry.id, topic.id)
    entries = list(ann_group.get_discussion_topic(topic.id).get_topic_entries())
    assert [(e.id, [r["id"] for r in e.recent_replies]) for e in entries] == [(entry.id, [reply.id])]
    assert entries[0].update(message="<p>Tuesday</p>") is True
    with world.tx() as db:
        assert db.get(DiscussionEntry, entry.id).message == "<p>Tuesday</p>"

    mine = ann_group.get_discussion_topic(topic.id)
    assert mine.unread_count == 2
    assert mine.mark_as_read() is True and mine.mark_entries_as_read() is True
    assert ann_group.get_discussion_topic(topic.id).unread_count == 0
    assert mine.unsubscribe() is True
    assert ann_group.get_discussion_topic(topic.id).subscribed is False
    full = ann_group.get_full_discussion_topic(topic.id)
    assert [v["id"] for v in full["view"]] == [entry.id]
    updated = mine.update(title="Kickoff meeting")
    assert updated.title == "Kickoff meeting" and _item(world, topic.id).title == "Kickoff meeting"

    teacher = world.canvas(tokens["teacher"])
    assert [t.id for t in teacher.get_group(group.id).get_discussion_topics()] == [topic.id]
    assert list(teacher.get_course(course.id).get_discussion_topics()) == []
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_course(course.id).get_discussion_topic(topic.id)
    with pytest.raises(Forbidden):
        world.canvas(tokens["bob"]).get_group(group.id).get_discussion_topic(topic.id)

    assert mine.delete() is True
    assert _item(world, topic.id).workflow_state == "deleted"
    assert list(ann_group.get_discussion_topics()) == []


def test_a_deleted_group_hides_its_content(world):
    course, group, tokens = _team(world)
    ann_group = world.canvas(tokens["ann"]).get_group(group.id)
    page = ann_group.create_page({"title": "Notes", "published": True})
    topic = ann_group.create_discussion_topic(title="Chat")
    world.canvas(tokens["teacher"]).get_group(group.id).delete()
    with pytest.raises(ResourceDoesNotExist):
        ann_group.get_page("notes")
    with pytest.raises(ResourceDoesNotExist):
        ann_group.get_discussion_topic(topic.id)
    with pytest.raises(ResourceDoesNotExist):
        list(ann_group.get_pages())
    with pytest.raises(ResourceDoesNotExist):
        world.canvas(tokens["teacher"]).get_course(course.id).get_page("notes")
    with world.tx() as db:
        ids = set(db.scalars(select(ContentItem.id).where(ContentItem.group_id == group.id)))
    assert ids == {page.page_id, topic.id}  # kept, but no route reaches them
