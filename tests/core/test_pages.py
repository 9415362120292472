"""Pages in core: slugs, unique titles and urls, lookup, the front page, edit tracking and rights."""

from __future__ import annotations

import pytest

from courseport.core.content import pages
from courseport.core.content.pages import PageChanges, PageFilters
from courseport.core.courses.content_contexts import readable_context
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Window
from courseport.schema import User


@pytest.mark.parametrize("title, slug", [
    ("My Page", "my-page"), ("  Rock & Roll! ", "rock-and-roll"), ("Don't Panic", "dont-panic"),
    ("Café Über", "cafe-uber"), ("a--b__c", "a-b-c"), ("!!!", ""),
])
def test_slug_for(title, slug):
    assert pages.slug_for(title) == slug


def test_titles_and_urls_are_unique_among_live_pages(world):
    course = world.course()
    with world.tx() as db:
        me = db.get(User, world.admin.id)
        first = pages.create_page(db, me, course.id, PageChanges(title="Intro")).item
        second = pages.create_page(db, me, course.id, PageChanges(title="intro")).item
        third = pages.create_page(db, me, course.id, PageChanges(title="Intro")).item
        assert [(p.title, p.slug) for p in (first, second, third)] == [
            ("Intro", "intro"), ("intro", "intro-2"), ("Intro-2", "intro-2-2")]
        pages.delete_page(db, me, course.id, "intro")
        assert pages.unique_title_and_slug(db, course.id, "Intro") == ("Intro", "intro")


def test_find_page_prefers_the_url_over_an_id(world):
    course = world.course()
    with world.tx() as db:
        me = db.get(User, world.admin.id)
        target = pages.create_page(db, me, course.id, PageChanges(title="Target")).item
        named = pages.create_page(db, me, course.id, PageChanges(title=str(target.id))).item
        context = readable_context(db, me, course.id)
        assert pages.find_page(db, context, str(target.id)).id == named.id
        assert pages.find_page(db, context, f"page_id:{target.id}").id == target.id
        assert pages.find_page(db, context, "missing") is None


def test_updates_go_through_edit_tracking(world):
    course = world.course()
    with world.tx() as db:
        me = db.get(User, world.admin.id)
        item = pages.create_page(db, me, course.id, PageChanges(title="Page", body="<p>a</p>")).item
        assert item.local_edits == {}
        pages.update_page(db, me, course.id, "page", PageChanges(body="<p>b</p><script>x</script>"))
        assert item.body == "<p>b</p>"
        assert set(item.local_edits) == {"body"}


def test_only_one_front_page(world):
    course = world.course()
    with world.tx() as db:
        me = db.get(User, world.admin.id)
        a = pages.create_page(db, me, course.id, PageChanges(title="A", published=True, front_page=True)).item
        b = pages.create_page(db, me, course.id, PageChanges(title="B", published=True, front_page=True)).item
        assert (a.data["front_page"], b.data["front_page"]) == (False, True)
        assert pages.front_page_of(db, course.id, None).id == b.id
        pages.update_page(db, me, course.id, "b", PageChanges(front_page=False))
        assert pages.front_page_of(db, course.id, None) is None
        with pytest.raises(NotFound):
            pages.get_front_page(db, me, course.id)


def test_front_page_cannot_be_unpublished_or_deleted(world):
    course = world.course()
    with world.tx() as db:
        me = db.get(User, world.admin.id)
        pages.create_page(db, me, course.id, PageChanges(title="Home", published=True, front_page=True))
        with pytest.raises(InvalidInput) as unpublished:
            pages.update_page(db, me, course.id, "home", PageChanges(published=False))
        assert (unpublished.value.field, unpublished.value.message) == (
            "published", "The front page cannot be unpublished")
        with pytest.raises(InvalidInput) as deleted:
            pages.delete_page(db, me, course.id, "home")
        assert deleted.value.field == "front_page"


def test_students_see_published_pages_only_and_cannot_create(world):
    course = world.course()
    student = world.user("pupil")
    world.enroll(student, course)
    with world.tx() as db:
        me = db.get(User, world.admin.id)
        pages.create_page(db, me, course.id, PageChanges(title="Draft"))
        pages.create_page(db, me, course.id, PageChanges(title="Open", published=True))
        pupil = db.get(User, student.id)
        listed = pages.list_pages(db, pupil, course.id, PageFilters(), Window())
        assert [v.item.title for v in listed.items] == ["Open"]
        with pytest.raises(NotFound):
            pages.get_page(db, pupil, course.id, "draft")
        with pytest.raises(NotAllowed):
            pages.create_page(db, pupil, course.id, PageChanges(title="Mine"))
        with pytest.raises(NotAllowed):
            pages.update_page(db, pupil, course.id, "open", PageChanges(body="x"))
