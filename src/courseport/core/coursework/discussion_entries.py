"""Discussion entries: members' posts under a topic or announcement, and replies to them.

Whoever may reply to a topic (see core/coursework/discussions.py: post_to_forum, not locked, announcements
not locked course-wide) may post; authors and moderators may edit or delete. In a topic that
is not threaded a reply to a reply joins its top-level entry. When a topic requires an initial
post, members who are not moderators see others' entries only after posting one. Each member marks
topics and entries read or unread and follows topics (discussion_reads.py keeps the marks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses.content_contexts import ContextRef, readable_context
from courseport.core.coursework import discussion_reads
from courseport.core.coursework.discussions import moderates, topic_views, visible_topic
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.html import sanitize_html
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import ContentItem, Course, DiscussionEntry, User
from courseport.schema.base import utcnow

RECENT_REPLIES = 10


@dataclass(frozen=True)
class EntryView:
    entry: DiscussionEntry
    author: User | None
    recent_replies: list[EntryView] | None = None  # top-level listings only
    has_more_replies: bool = False
    read: bool = True  # for the caller (discussion_reads)
    forced: bool = False
    rating_count: int | None = None  # None until someone rated it
    rating_sum: int | None = None


def member_topic(db: Session, actor: User, course_ref: ContextRef, topic_id: str
           ) -> tuple[Course, CourseRights, ContentItem]:
    context = readable_context(db, actor, course_ref)
    course, rights = context.course, context.rights
    return course, rights, visible_topic(db, course.id, rights, topic_id, group_id=context.group_id)


def topic_entry(db: Session, topic: ContentItem, entry_id: str | int) -> DiscussionEntry:
    entry = db.get(DiscussionEntry, store_id(entry_id)) if is_id(entry_id) else None
    if entry is None or entry.topic_id != topic.id or entry.workflow_state == "deleted":
        raise NotFound("discussion entry")
    return entry


def _message(message: str | None) -> str:
    text = sanitize_html(message or "")
    if not text.strip():
        raise InvalidInput("message", "message is required")
    return text


def post_entry(db: Session, actor: User, course_ref: ContextRef, topic_id: str, message: str | None,
               parent_entry_id: str | None = None) -> EntryView:
    course, rights, topic = member_topic(db, actor, course_ref, topic_id)
    view = topic_views(db, course, rights, actor, [topic], utcnow())[0]
    if not view.can_reply:
        raise NotAllowed()
    parent_id = None
    if parent_entry_id is not None:
        parent = topic_entry(db, topic, parent_entry_id)
        check_initial_post(rights, topic, view.has_posted)
        threaded = topic.data.get("discussion_type") == "threaded"
        parent_id = parent.id if threaded or parent.parent_id is None else _root_of(db, parent).id
    entry = DiscussionEntry(course_id=course.id, topic_id=topic.id, parent_id=parent_id, user_id=actor.id,
                            message=_message(message))
    db.add(entry)
    db.flush()
    return EntryView(entry, actor)


def _root_of(db: Session, entry: DiscussionEntry) -> DiscussionEntry:
    while entry.parent_id is not None:
        entry = cast(DiscussionEntry, db.get(DiscussionEntry, entry.parent_id))  # foreign key: the parent exists
    return entry


def check_initial_post(rights: CourseRights, topic: ContentItem, has_posted: bool) -> None:
    if topic.data.get("require_initial_post") and not has_posted and not moderates(rights):
        raise NotAllowed("You must post before seeing replies")


def _live(topic_id: int):  # noqa: ANN202
    return select(DiscussionEntry).where(DiscussionEntry.topic_id == topic_id,
                                         DiscussionEntry.workflow_state == "active")


def readable_topic(db: Session, actor: User, course_ref: ContextRef, topic_id: str) -> ContentItem:
    course, rights, topic = member_topic(db, actor, course_ref, topic_id)
    view = topic_views(db, course, rights, actor, [topic], utcnow())[0]
    check_initial_post(rights, topic, view.has_posted)
    return topic


def list_entries(db: Session, actor: User, course_ref: ContextRef, topic_id: str, window: Window
                 ) -> Slice[EntryView]:
    """Top-level entries, newest first, each with its newest replies."""
    topic = readable_topic(db, actor, course_ref, topic_id)
    stmt = _live(topic.id).where(DiscussionEntry.parent_id.is_(None)).order_by(
        DiscussionEntry.created_at.desc(), DiscussionEntry.id.desc())
    page = fetch_window(db, stmt, window)
    replies: dict[int, list[DiscussionEntry]] = {}
    if page.items:
        for reply in db.scalars(_live(topic.id).where(DiscussionEntry.parent_id.in_([e.id for e in page.items]))
                                .order_by(DiscussionEntry.created_at.desc(), DiscussionEntry.id.desc())):
            replies.setdefault(reply.parent_id, []).append(reply)
    shown = [*page.items, *(r for rs in replies.values() for r in rs)]
    authors, states = authors_of(db, shown), discussion_reads.entry_states(db, shown, actor.id)
    totals = discussion_reads.rating_totals(db, (e.id for e in shown))
    views = []
    for e in page.items:
        own = replies.get(e.id, [])
        recent = [EntryView(r, authors.get(r.user_id), None, False, *states[r.id], *totals.get(r.id, (None, None)))
                  for r in own[:RECENT_REPLIES]]
        views.append(EntryView(e, authors.get(e.user_id), recent, len(own) > RECENT_REPLIES, *states[e.id],
                               *totals.get(e.id, (None, None))))
    return Slice(views, page.has_more, page.total)


def list_replies(db: Session, actor: User, course_ref: ContextRef, topic_id: str, entry_id: str, window: Window
                 ) -> Slice[EntryView]:
    topic = readable_topic(db, actor, course_ref, topic_id)
    parent = topic_entry(db, topic, entry_id)
    stmt = _live(topic.id).where(DiscussionEntry.parent_id == parent.id).order_by(
        DiscussionEntry.created_at.desc(), DiscussionEntry.id.desc())
    page = fetch_window(db, stmt, window)
    authors, states = authors_of(db, page.items), discussion_reads.entry_states(db, page.items, actor.id)
    totals = discussion_reads.rating_totals(db, (e.id for e in page.items))
    return Slice([EntryView(e, authors.get(e.user_id), None, False, *states[e.id], *totals.get(e.id, (None, None)))
                  for e in page.items], page.has_more, page.total)


def authors_of(db: Session, entries: list[DiscussionEntry]) -> dict[int | None, User]:  # looked up by nullable ids
    ids = {e.user_id for e in entries if e.user_id}
    return {u.id: u for u in db.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


def _editable(db: Session, actor: User, course_ref: ContextRef, topic_id: str, entry_id: str) -> DiscussionEntry:
    _, rights, topic = member_topic(db, actor, course_ref, topic_id)
    entry = topic_entry(db, topic, entry_id)
    if entry.user_id != actor.id and not moderates(rights):
        raise NotAllowed()
    return entry


def update_entry(db: Session, actor: User, course_ref: ContextRef, topic_id: str, entry_id: str,
                 message: str | None) -> EntryView:
    entry = _editable(db, actor, course_ref, topic_id, entry_id)
    entry.message = _message(message)
    entry.updated_at = utcnow()
    db.flush()
    count, total = discussion_reads.rating_totals(db, [entry.id]).get(entry.id, (None, None))
    return EntryView(entry, db.get(User, entry.user_id) if entry.user_id else None, rating_count=count,
                     rating_sum=total)


def delete_entry(db: Session, actor: User, course_ref: ContextRef, topic_id: str, entry_id: str) -> None:
    entry = _editable(db, actor, course_ref, topic_id, entry_id)
    entry.workflow_state = "deleted"
    entry.updated_at = utcnow()
    db.flush()


def mark_topic_read(db: Session, actor: User, course_ref: ContextRef, topic_id: str, read: bool) -> None:
    """The caller marks a topic they may see read or unread (its entries keep their own marks)."""
    _, _, topic = member_topic(db, actor, course_ref, topic_id)
    discussion_reads.mark_topic(db, topic, actor.id, read=read)


def mark_all_read(db: Session, actor: User, course_ref: ContextRef, topic_id: str, read: bool, forced: bool
                  ) -> None:
    """The topic and every entry in it, read or unread for the caller."""
    _, _, topic = member_topic(db, actor, course_ref, topic_id)
    discussion_reads.mark_topic(db, topic, actor.id, read=read)
    discussion_reads.mark_entries(db, topic, actor.id, read, forced)


def mark_entry_read(db: Session, actor: User, course_ref: ContextRef, topic_id: str, entry_id: str, read: bool,
                    forced: bool) -> None:
    _, _, topic = member_topic(db, actor, course_ref, topic_id)
    entry = topic_entry(db, topic, entry_id)
    discussion_reads.mark_entries(db, topic, actor.id, read, forced, [entry.id])


def set_subscribed(db: Session, actor: User, course_ref: ContextRef, topic_id: str, subscribed: bool) -> None:
    """Follow or stop following a topic; a topic that wants an initial post is followed only after one."""
    course, rights, topic = member_topic(db, actor, course_ref, topic_id)
    if subscribed:
        view = topic_views(db, course, rights, actor, [topic], utcnow())[0]
        if topic.data.get("require_initial_post") and not view.has_posted and not moderates(rights):
            raise NotAllowed("initial post required")
    discussion_reads.mark_topic(db, topic, actor.id, subscribed=subscribed)
