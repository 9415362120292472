"""Canvas Pages API over raw HTTP: exact bodies, slugs, the front page, rights and errors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.schema import ContentItem, PageRevision, User


def _page_body(p, origin: str, course_id: int, editor, **overrides):
    body = {
        "page_id": p["page_id"], "url": "my-page", "title": "My Page", "created_at": p["created_at"],
        "updated_at": p["updated_at"], "hide_from_students": True, "editing_roles": "teachers",
        "last_edited_by": {
            "id": editor.id, "anonymous_id": format(editor.id, "x"), "display_name": editor.short_name,
            "avatar_image_url": f"{origin}/images/messages/avatar-50.png",
            "html_url": f"{origin}/courses/{course_id}/users/{editor.id}", "pronouns": None,
        },
        "published": False, "front_page": False, "html_url": f"{origin}/courses/{course_id}/pages/my-page",
        "todo_date": None, "publish_at": None, "locked_for_user": False, "body": "<p>Hello</p>",
    }
    body.update(overrides)
    return body


def _stored(world, page_id: int) -> ContentItem:
    with world.tx() as db:
        return db.get(ContentItem, page_id)


def test_create_page_exact_body_and_stored_item(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/pages",
                   data={"wiki_page[title]": "My Page", "wiki_page[body]": "<p>Hello</p><script>x()</script>"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == _page_body(body, world.base_url, course.id, world.admin)
    item = _stored(world, body["page_id"])
    assert (item.type, item.slug, item.workflow_state, item.body) == ("page", "my-page", "unpublished", "<p>Hello</p>")
    assert item.data == {"front_page": False, "editing_roles": "teachers", "todo_date": None}


def test_get_by_url_page_id_and_numeric_id(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        created = c.post(f"/api/v1/courses/{course.id}/pages", json={"wiki_page": {"title": "My Page"}}).json()
        pid = created["page_id"]
        for ref in ("my-page", f"page_id:{pid}", str(pid), "My Page"):
            r = c.get(f"/api/v1/courses/{course.id}/pages/{ref}")
            assert r.status_code == 200, ref
            assert r.json()["page_id"] == pid
        assert c.get(f"/api/v1/courses/{course.id}/pages/nope").status_code == 404


def test_duplicate_titles_get_suffixes_and_rename_changes_url(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        urls = [c.post(f"/api/v1/courses/{course.id}/pages", data={"wiki_page[title]": "My Page"}).json()
                for _ in range(3)]
        assert [(p["title"], p["url"]) for p in urls] == [
            ("My Page", "my-page"), ("My Page-2", "my-page-2"), ("My Page-3", "my-page-3")]
        r = c.put(f"/api/v1/courses/{course.id}/pages/my-page-2", data={"wiki_page[title]": "Other: Thing!"})
        assert r.status_code == 200
        assert (r.json()["title"], r.json()["url"]) == ("Other: Thing!", "other-thing")
        assert c.get(f"/api/v1/courses/{course.id}/pages/my-page-2").status_code == 404
        again = c.post(f"/api/v1/courses/{course.id}/pages", data={"wiki_page[title]": "My Page-3"})
        assert again.status_code == 400
        assert again.json() == {"errors": [{"field": "wiki_page[title]", "message":
                                "A page with this title already exists. Please choose a different title."}]}


@pytest.mark.parametrize("data, field, message", [
    ({}, "wiki_page[title]", "title is required"),
    ({"wiki_page[title]": "  "}, "wiki_page[title]", "Title can't be blank"),
    ({"wiki_page[title]": "!!!"}, "wiki_page[title]", "Title must contain at least one letter or number"),
    ({"wiki_page[title]": "T", "wiki_page[editing_roles]": "teachers,admins"}, "wiki_page[editing_roles]",
     "The provided editing roles are invalid"),
    ({"wiki_page[title]": "T", "wiki_page[published]": "maybe"}, "wiki_page[published]",
     "wiki_page[published] must be a boolean (true or false), got 'maybe'"),
    ({"wiki_page[title]": "T", "wiki_page[front_page]": "true"}, "wiki_page[front_page]",
     "The front page cannot be unpublished"),
])
def test_bad_input_names_the_field(world, data, field, message):
    course = world.course()
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/pages", data=data)
    assert r.status_code == 400
    assert r.json() == {"errors": [{"message": message, "field": field}]}
    with world.tx() as db:
        assert db.scalars(select(ContentItem).where(ContentItem.course_id == course.id)).all() == []


def test_list_pages_sort_search_published_and_paging(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        for title, published in (("Banana", True), ("apple pie", False), ("Cherry", True)):
            c.post(f"/api/v1/courses/{course.id}/pages",
                   data={"wiki_page[title]": title, "wiki_page[published]": str(published).lower()})
        base = f"/api/v1/courses/{course.id}/pages"
        r = c.get(base)
        assert r.status_code == 200
        assert [p["title"] for p in r.json()] == ["Banana", "apple pie", "Cherry"]
        assert all("body" not in p for p in r.json())
        assert [p["title"] for p in c.get(base, params={"sort": "title", "order": "desc"}).json()] == [
            "apple pie", "Cherry", "Banana"]
        assert [p["title"] for p in c.get(base, params={"search_term": "PIE"}).json()] == ["apple pie"]
        assert [p["title"] for p in c.get(base, params={"published": "true"}).json()] == ["Banana", "Cherry"]
        assert [p["title"] for p in c.get(base, params={"published": "false"}).json()] == ["apple pie"]
        with_body = c.get(base, params={"include[]": "body", "per_page": 2})
        assert [p["body"] for p in with_body.json()] == ["", ""]
        assert 'rel="next"' in with_body.headers["Link"]
        short = c.get(base, params={"search_term": "a"})
        assert short.status_code == 400
        assert short.json() == {"errors": [{"message": "2 or more characters is required", "field": "search_term"}]}
        bad_sort = c.get(base, params={"sort": "size"})
        assert bad_sort.status_code == 400
        assert bad_sort.json()["errors"][0]["field"] == "sort"


def test_front_page_rules(world):
    course = world.course()
    base = f"/api/v1/courses/{course.id}"
    with world.client(world.admin_token) as c:
        assert c.get(f"{base}/front_page").status_code == 404
        first = c.post(f"{base}/pages", data={"wiki_page[title]": "Home", "wiki_page[published]": "true",
                                              "wiki_page[front_page]": "true"}).json()
        assert first["front_page"] is True and first["published"] is True
        second = c.post(f"{base}/pages", data={"wiki_page[title]": "Welcome", "wiki_page[published]": "true"}).json()
        r = c.put(f"{base}/pages/welcome", data={"wiki_page[front_page]": "true"})
        assert r.json()["front_page"] is True
        assert c.get(f"{base}/pages/home").json()["front_page"] is False
        front = c.get(f"{base}/front_page")
        assert front.status_code == 200 and front.json()["page_id"] == second["page_id"]
        unpublish = c.put(f"{base}/pages/welcome", data={"wiki_page[published]": "false"})
        assert unpublish.status_code == 400
        assert unpublish.json() == {"errors": [{"message": "The front page cannot be unpublished",
                                                "field": "wiki_page[published]"}]}
        deleted = c.delete(f"{base}/pages/welcome")
        assert deleted.status_code == 400
        assert deleted.json() == {"errors": [{"message": "The front page cannot be deleted",
                                              "field": "wiki_page[front_page]"}]}
        edited = c.put(f"{base}/front_page", data={"wiki_page[body]": "<b>Hi</b>"})
        assert edited.status_code == 200
        assert (edited.json()["page_id"], edited.json()["body"]) == (second["page_id"], "<b>Hi</b>")
        assert _stored(world, second["page_id"]).workflow_state == "published"


def test_put_front_page_creates_one_when_none(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        r = c.put(f"/api/v1/courses/{course.id}/front_page", data={"wiki_page[body]": "Welcome"})
    assert r.status_code == 200
    assert (r.json()["title"], r.json()["url"], r.json()["front_page"], r.json()["published"]) == (
        "Front Page", "front-page", True, True)


def test_put_unknown_url_creates_the_page(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        r = c.put(f"/api/v1/courses/{course.id}/pages/new-stuff", data={"wiki_page[body]": "x"})
    assert r.status_code == 200
    assert (r.json()["title"], r.json()["url"], r.json()["body"]) == ("New Stuff", "new-stuff", "x")


def test_delete_page_is_soft_and_frees_the_url(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        created = c.post(f"/api/v1/courses/{course.id}/pages", data={"wiki_page[title]": "My Page"}).json()
        r = c.delete(f"/api/v1/courses/{course.id}/pages/my-page")
        assert r.status_code == 200
        assert r.json()["page_id"] == created["page_id"]
        assert c.get(f"/api/v1/courses/{course.id}/pages/my-page").status_code == 404
        again = c.post(f"/api/v1/courses/{course.id}/pages", data={"wiki_page[title]": "My Page"}).json()
        assert again["url"] == "my-page"
    assert _stored(world, created["page_id"]).workflow_state == "deleted"


def test_student_rights(world):
    course = world.course()
    cast = world.cast(course)
    base = f"/api/v1/courses/{course.id}"
    with world.client(cast["teacher"]) as t:
        t.post(f"{base}/pages", data={"wiki_page[title]": "Draft"})
        t.post(f"{base}/pages", data={"wiki_page[title]": "Open", "wiki_page[published]": "true",
                                      "wiki_page[editing_roles]": "teachers,students"})
        t.post(f"{base}/pages", data={"wiki_page[title]": "Closed", "wiki_page[published]": "true"})
    with world.client(cast["student"]) as s:
        assert [p["title"] for p in s.get(f"{base}/pages").json()] == ["Open", "Closed"]
        assert s.get(f"{base}/pages/draft").status_code == 404
        assert s.get(f"{base}/pages", params={"published": "false"}).json() == []
        create = s.post(f"{base}/pages", data={"wiki_page[title]": "Mine"})
        assert create.status_code == 403
        assert create.json() == {"status": "unauthorized",
                                 "errors": [{"message": "user not authorized to perform that action"}]}
        assert s.put(f"{base}/pages/closed", data={"wiki_page[body]": "x"}).status_code == 403
        assert s.delete(f"{base}/pages/open").status_code == 403
        edit = s.put(f"{base}/pages/open", data={"wiki_page[body]": "student text"})
        assert edit.status_code == 200 and edit.json()["body"] == "student text"
        retitle = s.put(f"{base}/pages/open", data={"wiki_page[title]": "Renamed"})
        assert retitle.status_code == 403
        assert retitle.json()["errors"] == [{"message": "You are not allowed to update the title of this wiki page"}]
        assert s.get(f"{base}/pages/open/revisions").status_code == 403
    with world.client(cast["outsider"]) as o:
        assert o.get(f"{base}/pages").status_code == 403
    with world.client(cast["teacher"]) as t:
        assert [p["title"] for p in t.get(f"{base}/pages").json()] == ["Draft", "Open", "Closed"]


def test_revisions_keep_each_save_and_revert_makes_a_new_one(world):
    course = world.course()
    cast = world.cast(course)
    base = f"/api/v1/courses/{course.id}/pages"
    with world.client(world.admin_token) as c:
        c.post(base, data={"wiki_page[title]": "My Page", "wiki_page[body]": "<p>one</p>", "wiki_page[published]": "1"})
    with world.client(cast["teacher"]) as t:
        t.put(f"{base}/my-page", data={"wiki_page[body]": "<p>two</p>"})
        t.put(f"{base}/my-page", data={"wiki_page[title]": "Our Page"})
        t.put(f"{base}/our-page", data={"wiki_page[published]": "0"})  # not a title or body: no revision
        t.put(f"{base}/our-page", data={"wiki_page[published]": "1"})
        listed = t.get(f"{base}/our-page/revisions", params={"per_page": 2})
        older = t.get(f"{base}/our-page/revisions", params={"per_page": 2, "page": 2}).json()
        first = t.get(f"{base}/our-page/revisions/1").json()
        summary = t.get(f"{base}/our-page/revisions/2", params={"summary": "true"}).json()
        reverted = t.post(f"{base}/our-page/revisions/1")
        missing = t.get(f"{base}/our-page/revisions/9")
        page = t.get(f"{base}/my-page").json()
    with world.tx() as db:
        teacher_id = db.scalar(select(User.id).where(User.login_id == f"teacher{course.id}"))
    assert [(r["revision_id"], r["latest"]) for r in listed.json()] == [(3, True), (2, False)]
    assert 'rel="next"' in listed.headers["link"] and [r["revision_id"] for r in older] == [1]
    assert "title" not in listed.json()[0] and listed.json()[0]["edited_by"]["id"] == teacher_id
    assert older[0]["edited_by"]["id"] == world.admin.id
    assert (first["revision_id"], first["latest"], first["title"], first["body"]) == (1, False, "My Page", "<p>one</p>")
    assert set(summary) == {"revision_id", "updated_at", "latest", "edited_by"}
    assert reverted.status_code == 200
    assert {k: reverted.json()[k] for k in ("revision_id", "latest", "title", "body", "url")} == {
        "revision_id": 4, "latest": True, "title": "My Page", "body": "<p>one</p>", "url": "my-page"}
    assert (page["title"], page["body"]) == ("My Page", "<p>one</p>")
    assert missing.status_code == 404
    with world.client(cast["student"]) as s:
        latest = s.get(f"{base}/my-page/revisions/latest")
        numbered = s.get(f"{base}/my-page/revisions/1")
        revert = s.post(f"{base}/my-page/revisions/2")
    assert (latest.status_code, latest.json()["revision_id"], latest.json()["body"]) == (200, 4, "<p>one</p>")
    assert numbered.status_code == revert.status_code == 403
    with world.tx() as db:
        kept = db.execute(select(PageRevision.number, PageRevision.title).join(
            ContentItem, ContentItem.id == PageRevision.page_id).where(ContentItem.course_id == course.id)
            .order_by(PageRevision.number)).all()
    assert [tuple(k) for k in kept] == [(1, "My Page"), (2, "My Page"), (3, "Our Page"), (4, "My Page")]


def test_a_change_made_outside_the_api_shows_as_the_newest_revision_and_keeps_its_number(world):
    course = world.course()
    base = f"/api/v1/courses/{course.id}/pages"
    with world.client(world.admin_token) as c:
        c.post(base, data={"wiki_page[title]": "Synced", "wiki_page[body]": "<p>mine</p>"})
    with world.tx() as db:  # as a blueprint sync or a copy writes a page: no revision row
        item = db.scalar(select(ContentItem).where(ContentItem.course_id == course.id, ContentItem.slug == "synced"))
        item.body = "<p>from the blueprint</p>"
    with world.client(world.admin_token) as c:
        shown = c.get(f"{base}/synced/revisions").json()
        c.put(f"{base}/synced", data={"wiki_page[body]": "<p>edited after</p>"})
        after = c.get(f"{base}/synced/revisions").json()
        two = c.get(f"{base}/synced/revisions/2").json()
    assert [(r["revision_id"], r["latest"]) for r in shown] == [(2, True), (1, False)]
    assert [(r["revision_id"], r["latest"]) for r in after] == [(3, True), (2, False), (1, False)]
    assert two["body"] == "<p>from the blueprint</p>"
