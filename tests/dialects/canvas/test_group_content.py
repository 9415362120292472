"""A course group's own pages and discussion topics over raw HTTP: the course form's shapes under
/groups/:group_id, rights (members and the course's managers; others 403), 404s, the stored rows, and the
wall between a group's content and its course's (lists, urls, announcements, copies)."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import ContentItem
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _team(world):
    """A course, its teacher, a group with Ann in it, and Bob, a student of the course outside the group."""
    course = world.course("Projects")
    teacher, teacher_token = world.user_with_token("tina")
    world.enroll(teacher, course, "TeacherEnrollment")
    tokens = {"teacher": teacher_token}
    users = {}
    for login in ("ann", "bob"):
        users[login], tokens[login] = world.user_with_token(login)
        world.enroll(users[login], course)
    with world.client(teacher_token) as c:
        category = c.post(f"/api/v1/courses/{course.id}/group_categories", data={"name": "Teams"}).json()
        group = c.post(f"/api/v1/group_categories/{category['id']}/groups", data={"name": "Team 1"}).json()
        assert c.post(f"/api/v1/groups/{group['id']}/memberships", data={"user_id": users["ann"].id}).status_code == 200
    return course, group["id"], tokens, users


def _rows(world, **where) -> list[tuple]:
    with world.tx() as db:
        stmt = select(ContentItem.id, ContentItem.type, ContentItem.group_id, ContentItem.workflow_state)
        for name, value in where.items():
            stmt = stmt.where(getattr(ContentItem, name) == value)
        return [tuple(r) for r in db.execute(stmt.order_by(ContentItem.id))]


def test_group_page_has_the_course_pages_shape_and_names_its_group(world):
    course, group_id, tokens, users = _team(world)
    with world.client(tokens["ann"]) as c:
        r = c.post(f"/api/v1/groups/{group_id}/pages",
                   data={"wiki_page[title]": "Plan", "wiki_page[body]": "<p>a</p>", "wiki_page[published]": "true"})
    assert r.status_code == 200, r.text
    body = r.json()
    with world.client(tokens["teacher"]) as c:
        course_page = c.post(f"/api/v1/courses/{course.id}/pages",
                             data={"wiki_page[title]": "Plan", "wiki_page[published]": "true"}).json()
    assert set(body) == set(course_page)
    assert (body["url"], body["title"], body["body"], body["published"], body["front_page"]) == (
        "plan", "Plan", "<p>a</p>", True, False)
    assert body["html_url"] == f"{world.base_url}/groups/{group_id}/pages/plan"
    assert body["last_edited_by"]["id"] == users["ann"].id
    assert course_page["url"] == "plan"  # its own course page: free in the course though the group has one
    assert _rows(world, id=body["page_id"]) == [(body["page_id"], "page", group_id, "published")]
    assert _rows(world, id=course_page["page_id"]) == [(course_page["page_id"], "page", None, "published")]

    with world.client(tokens["teacher"]) as c:
        course_list = c.get(f"/api/v1/courses/{course.id}/pages").json()
        group_list = c.get(f"/api/v1/groups/{group_id}/pages").json()
        by_id_in_course = c.get(f"/api/v1/courses/{course.id}/pages/{body['page_id']}")
        by_id_in_group = c.get(f"/api/v1/groups/{group_id}/pages/{course_page['page_id']}")
    assert [p["page_id"] for p in course_list] == [course_page["page_id"]]
    assert [p["page_id"] for p in group_list] == [body["page_id"]]
    assert (by_id_in_course.status_code, by_id_in_course.json()) == (404, NOT_FOUND)
    assert (by_id_in_group.status_code, by_id_in_group.json()) == (404, NOT_FOUND)


def test_group_page_writes_and_their_stored_state(world):
    _, group_id, tokens, _ = _team(world)
    base = f"/api/v1/groups/{group_id}"
    with world.client(tokens["ann"]) as c:
        page_id = c.post(f"{base}/pages", data={"wiki_page[title]": "Notes"}).json()["page_id"]
        edited = c.put(f"{base}/pages/notes", data={"wiki_page[title]": "Notes 2", "wiki_page[body]": "x"})
        assert (edited.status_code, edited.json()["url"]) == (200, "notes-2")
        assert _rows(world, id=page_id) == [(page_id, "page", group_id, "unpublished")]
        made = c.put(f"{base}/pages/new-idea", data={"wiki_page[body]": "y"})  # update-or-create, in the group
        assert (made.status_code, made.json()["title"]) == (200, "New Idea")
        assert _rows(world, id=made.json()["page_id"])[0][2] == group_id
        revisions = c.get(f"{base}/pages/notes-2/revisions").json()
        assert [r["revision_id"] for r in revisions] == [2, 1]
        reverted = c.post(f"{base}/pages/notes-2/revisions/1")
        assert (reverted.status_code, reverted.json()["title"]) == (200, "Notes")
        front = c.put(f"{base}/front_page", data={"wiki_page[body]": "<p>home</p>"})
        assert (front.status_code, front.json()["front_page"], front.json()["title"]) == (200, True, "Front Page")
        assert c.get(f"{base}/front_page").json()["page_id"] == front.json()["page_id"]
        refused = c.delete(f"{base}/pages/front-page")
        assert (refused.status_code, refused.json()["errors"][0]["field"]) == (400, "wiki_page[front_page]")
        gone = c.delete(f"{base}/pages/notes")
        assert (gone.status_code, gone.json()["page_id"]) == (200, page_id)
    assert _rows(world, id=page_id) == [(page_id, "page", group_id, "deleted")]


def test_group_content_refuses_outsiders_and_unknown_ids(world):
    course, group_id, tokens, _ = _team(world)
    with world.client(tokens["ann"]) as c:
        c.post(f"/api/v1/groups/{group_id}/pages", data={"wiki_page[title]": "Plan", "wiki_page[published]": "1"})
        topic_id = c.post(f"/api/v1/groups/{group_id}/discussion_topics", data={"title": "T"}).json()["id"]
    outsider, outsider_token = world.user_with_token("olga")
    world.enroll(outsider, world.course("Elsewhere"), "TeacherEnrollment")
    before = _rows(world, course_id=course.id)
    for token in (tokens["bob"], outsider_token):
        with world.client(token) as c:
            answers = [c.get(f"/api/v1/groups/{group_id}/pages"), c.get(f"/api/v1/groups/{group_id}/pages/plan"),
                       c.post(f"/api/v1/groups/{group_id}/pages", data={"wiki_page[title]": "X"}),
                       c.get(f"/api/v1/groups/{group_id}/discussion_topics"),
                       c.post(f"/api/v1/groups/{group_id}/discussion_topics", data={"title": "X"}),
                       c.post(f"/api/v1/groups/{group_id}/discussion_topics/{topic_id}/entries",
                              data={"message": "hi"})]
        assert [(r.status_code, r.json()) for r in answers] == [(403, FORBIDDEN)] * 6
    assert _rows(world, course_id=course.id) == before
    with world.client(tokens["ann"]) as c:
        missing = [c.get("/api/v1/groups/99999999/pages"), c.get(f"/api/v1/groups/{group_id}/pages/nope"),
                   c.get(f"/api/v1/groups/{group_id}/discussion_topics/99999999"),
                   c.get("/api/v1/groups/99999999/discussion_topics"),
                   c.put(f"/api/v1/groups/{group_id}/discussion_topics/{topic_id}/entries/99999999/read")]
    assert [(r.status_code, r.json()) for r in missing] == [(404, NOT_FOUND)] * 5


def test_group_topics_shape_entries_and_the_course_lists(world):
    course, group_id, tokens, users = _team(world)
    base = f"/api/v1/groups/{group_id}/discussion_topics"
    with world.client(tokens["ann"]) as c:
        r = c.post(base, data={"title": "Kickoff", "message": "<p>hi</p>", "pinned": "true"})
        assert r.status_code == 200, r.text
        topic = r.json()
        graded = c.post(base, data={"title": "G", "assignment[points_possible]": "5"})
        announcement = c.post(base, data={"title": "News", "is_announcement": "true"}).json()
        entry = c.post(f"{base}/{topic['id']}/entries", data={"message": "first"})
        reply = c.post(f"{base}/{topic['id']}/entries/{entry.json()['id']}/replies", data={"message": "second"})
        reorder = c.post(f"{base}/reorder", data={"order": str(topic["id"])})
        view = c.get(f"{base}/{topic['id']}/view")
        read = c.put(f"{base}/{topic['id']}/read_all")
    with world.client(tokens["teacher"]) as c:
        course_topic = c.post(f"/api/v1/courses/{course.id}/discussion_topics", data={"title": "Course"}).json()
        course_topics = c.get(f"/api/v1/courses/{course.id}/discussion_topics").json()
        group_topics = c.get(base).json()
        announcements = c.get("/api/v1/announcements", params={"context_codes[]": f"course_{course.id}"}).json()
        moderated = c.put(f"{base}/{topic['id']}", data={"title": "Kickoff!"})
    assert set(topic) == set(course_topic)
    assert (topic["title"], topic["published"], topic["pinned"], topic["user_name"]) == ("Kickoff", True, True, "Ann")
    assert topic["html_url"] == f"{world.base_url}/groups/{group_id}/discussion_topics/{topic['id']}"
    assert (graded.status_code, graded.json()["errors"][0]["field"]) == (400, "assignment")
    assert [r.status_code for r in (entry, reply, view, read)] == [201, 201, 200, 204]
    assert reply.json()["parent_id"] == entry.json()["id"]
    assert reorder.json() == {"reorder": True, "order": [topic["id"]]}
    assert [v["id"] for v in view.json()["view"]] == [entry.json()["id"]]
    assert (moderated.status_code, moderated.json()["title"]) == (200, "Kickoff!")
    assert [t["id"] for t in course_topics] == [course_topic["id"]]
    assert [t["id"] for t in group_topics] == [topic["id"]]
    assert announcements == []
    assert _rows(world, group_id=group_id) == [(topic["id"], "discussion_topic", group_id, "active"),
                                               (announcement["id"], "announcement", group_id, "active")]


def test_a_course_copy_leaves_group_content_behind(world):
    course, group_id, tokens, users = _team(world)
    with world.client(tokens["ann"]) as c:
        c.post(f"/api/v1/groups/{group_id}/pages", data={"wiki_page[title]": "Group page"})
        c.post(f"/api/v1/groups/{group_id}/discussion_topics", data={"title": "Group talk"})
    with world.client(tokens["teacher"]) as c:
        c.post(f"/api/v1/courses/{course.id}/pages", data={"wiki_page[title]": "Course page"})
    target = world.course("Target")
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{target.id}/course_copy", data={"source_course": str(course.id)})
    assert r.status_code == 200, r.text
    assert world.run_jobs() == 1
    with world.tx() as db:
        copied = list(db.execute(select(ContentItem.type, ContentItem.title, ContentItem.group_id)
                                 .where(ContentItem.course_id == target.id)))
    assert [tuple(row) for row in copied] == [("page", "Course page", None)]
