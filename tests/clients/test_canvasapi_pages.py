"""canvasapi 3.6.0, unmodified, against the live server: the Pages API as the client drives it."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist

from courseport.schema import ContentItem


def _item(world, item_id: int) -> ContentItem:
    with world.tx() as db:
        return db.get(ContentItem, item_id)


def test_create_list_get_edit_delete_page(world):
    course = world.canvas().get_course(world.course().id)
    page = course.create_page({"title": "Syllabus Notes", "body": "<p>Read</p>", "published": True})
    assert (page.url, page.title, page.published, page.body, page.course_id) == (
        "syllabus-notes", "Syllabus Notes", True, "<p>Read</p>", course.id)
    course.create_page({"title": "Draft"})
    assert [(p.title, p.published) for p in course.get_pages()] == [("Syllabus Notes", True), ("Draft", False)]
    assert [p.title for p in course.get_pages(search_term="draft")] == ["Draft"]
    assert [p.title for p in course.get_pages(sort="title", order="desc")] == ["Syllabus Notes", "Draft"]
    fetched = course.get_page("syllabus-notes")
    assert (fetched.page_id, fetched.body) == (page.page_id, "<p>Read</p>")
    page.edit(wiki_page={"title": "Course Notes", "body": "<p>New</p>"})
    assert (page.url, page.title, page.body, page.course_id) == ("course-notes", "Course Notes", "<p>New</p>",
                                                                 course.id)
    assert _item(world, page.page_id).slug == "course-notes"
    with pytest.raises(ResourceDoesNotExist):
        course.get_page("syllabus-notes")
    deleted = page.delete()
    assert deleted.page_id == page.page_id
    assert _item(world, page.page_id).workflow_state == "deleted"
    assert [p.title for p in course.get_pages()] == ["Draft"]


def test_front_page(world):
    course = world.canvas().get_course(world.course().id)
    with pytest.raises(ResourceDoesNotExist):
        course.show_front_page()
    home = course.create_page({"title": "Home", "published": True, "front_page": True})
    front = course.show_front_page()
    assert (front.page_id, front.front_page, front.course_id) == (home.page_id, True, course.id)
    edited = course.edit_front_page(wiki_page={"body": "<h1>Welcome</h1>"})
    assert (edited.page_id, edited.body) == (home.page_id, "<h1>Welcome</h1>")
    with pytest.raises(BadRequest) as unpublish:
        home.edit(wiki_page={"published": False})
    assert "The front page cannot be unpublished" in str(unpublish.value)
    with pytest.raises(BadRequest):
        home.delete()
    assert _item(world, home.page_id).workflow_state == "published"


def test_revisions(world):
    course = world.canvas().get_course(world.course().id)
    page = course.create_page({"title": "Notes", "body": "b"})
    assert [(r.revision_id, r.latest) for r in page.get_revisions()] == [(1, True)]
    latest = page.show_latest_revision()
    assert (latest.title, latest.body) == ("Notes", "b")
    page.edit(wiki_page={"body": "<p>second draft</p>"})
    assert [(r.revision_id, r.latest) for r in page.get_revisions()] == [(2, True), (1, False)]
    # (Page.get_revision_by_id reads Page.id, which Canvas's Page object does not carry: raw HTTP tests cover it.)
    back = page.revert_to_revision(1)
    assert (back.revision_id, back.latest, back.body) == (3, True, "b")
    assert course.get_page("notes").body == "b"
    assert page.show_latest_revision().revision_id == 3


def test_student_cannot_create_or_see_drafts(world):
    raw = world.course()
    cast = world.cast(raw)
    world.canvas(cast["teacher"]).get_course(raw.id).create_page({"title": "Draft"})
    student_course = world.canvas(cast["student"]).get_course(raw.id)
    with pytest.raises(Forbidden):
        student_course.create_page({"title": "Mine"})
    with pytest.raises(ResourceDoesNotExist):
        student_course.get_page("draft")
    assert list(student_course.get_pages()) == []
