"""Announcements across courses: GET /announcements over the courses a caller names, in a posting
window. An announcement is a topic of type "announcement" (core/coursework/discussions.py owns topics).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.coursework.discussions import TopicView, moderates, posted_clause, topic_views, topics_stmt
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import ContentItem, Course, User
from courseport.schema.base import utcnow


@dataclass(frozen=True)
class AnnouncementQuery:
    course_refs: tuple[str, ...]
    start: datetime | None = None
    end: datetime | None = None
    active_only: bool = False
    latest_only: bool = False


def list_announcements(db: Session, actor: User, query: AnnouncementQuery, window: Window
                       ) -> Slice[tuple[Course, TopicView]]:
    """Announcements of the named courses posted in [start, end]; Canvas's defaults: from 14 days ago,
    for 28 days."""
    if not query.course_refs:
        raise InvalidInput("context_codes", "Missing context_codes")
    now = utcnow()
    start = query.start or now - timedelta(days=14)
    end = query.end or start + timedelta(days=28)
    courses = [readable_course(db, actor, ref) for ref in query.course_refs]
    clauses: list[ColumnElement[bool]] = []
    for course, rights in courses:
        stmt = topics_stmt(course.id, rights, ("announcement",), now)
        if query.active_only or not moderates(rights):
            stmt = stmt.where(posted_clause(now))
        clauses.append(cast(ColumnElement[bool], stmt.whereclause))  # topics_stmt always filters
    posted = func.coalesce(ContentItem.start_at, ContentItem.created_at)
    stmt = select(ContentItem).where(or_(*clauses))
    stmt = stmt.where(posted >= start, posted <= end)
    if query.latest_only:
        latest = (select(func.max(ContentItem.id)).where(or_(*clauses)).group_by(ContentItem.course_id))
        stmt = stmt.where(ContentItem.id.in_(latest))
    page = fetch_window(db, stmt.order_by(posted.desc(), ContentItem.id.desc()), window)
    by_id = {c.id: (c, r) for c, r in courses}
    out = []
    for item in page.items:
        course, rights = by_id[item.course_id]
        out.append((course, topic_views(db, course, rights, actor, [item], now)[0]))
    return Slice(out, page.has_more, page.total)
