"""Page revisions under two saves at once: the save that loses the race for a number takes the next one."""

from __future__ import annotations

from sqlalchemy import select

from courseport.core.content import page_revisions
from courseport.schema import ContentItem, PageRevision


def test_a_save_that_loses_the_race_for_a_number_takes_the_next(world, monkeypatch):
    course = world.course()
    with world.client(world.admin_token) as c:
        c.post(f"/api/v1/courses/{course.id}/pages", data={"wiki_page[title]": "Notes", "wiki_page[body]": "one"})
    real = page_revisions._newest
    calls = []

    def stale_first(db, page):  # noqa: ANN001, ANN202 - as if another save had not committed yet
        calls.append(1)
        return None if len(calls) == 1 else real(db, page)

    monkeypatch.setattr(page_revisions, "_newest", stale_first)
    with world.tx() as db:
        page = db.scalar(select(ContentItem).where(ContentItem.course_id == course.id, ContentItem.type == "page"))
        page.body = "two"
        page_revisions.record(db, page)  # number 1 is taken: it keeps number 2
    with world.tx() as db:
        kept = [(r.number, r.body) for r in db.scalars(select(PageRevision).order_by(PageRevision.number))]
    assert kept == [(1, "one"), (2, "two")] and len(calls) == 2
