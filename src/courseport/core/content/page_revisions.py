"""A wiki page's history: its title and body as each save left them, numbered from 1.

The pages API records a revision when it creates a page and around each edit (`record`: a no-op when the
newest kept revision already holds the page's title and body). A page written another way (a course
copy, a blueprint sync, an import) keeps no row for that write; `history` shows its present state as
the newest revision when it differs from the last one kept, and the next edit through the API keeps it
with that same number, so numbers never change once shown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.core.kit.errors import StoreBusy
from courseport.schema import ContentItem, PageRevision


@dataclass(frozen=True)
class Revision:
    number: int
    title: str
    body: str
    editor_id: int | None
    at: datetime
    latest: bool = False


def _newest(db: Session, page: ContentItem) -> PageRevision | None:
    return db.scalar(select(PageRevision).where(PageRevision.page_id == page.id)
                     .order_by(PageRevision.number.desc()).limit(1))


def _holds(row: PageRevision | None, page: ContentItem) -> bool:
    return row is not None and (row.title, row.body) == (page.title, page.body or "")


def record(db: Session, page: ContentItem) -> None:
    """Keep the page's title and body, its editor and time as its newest revision, unless they are already.
    Two saves of one page at once may both take the next number: the one that loses takes the one after."""
    for _ in range(3):
        newest = _newest(db, page)
        if _holds(newest, page):
            return
        try:
            with db.begin_nested():
                db.add(PageRevision(page_id=page.id, number=(newest.number if newest else 0) + 1, title=page.title,
                                    body=page.body or "", user_id=page.user_id, created_at=page.updated_at))
            return
        except IntegrityError:
            continue
    raise StoreBusy()  # still losing after three tries: the caller may try again


def history(db: Session, page: ContentItem) -> list[Revision]:
    """Every revision, newest first; the first is the page as it is now."""
    rows = db.scalars(select(PageRevision).where(PageRevision.page_id == page.id)
                      .order_by(PageRevision.number.desc())).all()
    revisions = [Revision(r.number, r.title, r.body, r.user_id, r.created_at) for r in rows]
    if not rows or not _holds(rows[0], page):
        present = Revision((rows[0].number if rows else 0) + 1, page.title, page.body or "", page.user_id,
                           page.updated_at)
        revisions.insert(0, present)
    revisions[0] = replace(revisions[0], latest=True)
    return revisions
