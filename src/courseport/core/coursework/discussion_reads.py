"""What each user has read of a discussion, and whether they follow it.

Defaults, where the user set nothing: an entry is unread but by its author; a topic is read and followed
by its author and by those who posted in it. Marks a user sets are kept (`discussion_participants`,
`discussion_entry_reads`) and win over the defaults; `forced` records that a user set an entry's state
themself (Canvas's forced_read_state). Each user's like of an entry (`discussion_entry_ratings`, 1 or a withdrawn
0) is kept here too; an entry's rating count and sum are computed from them. Rights are the callers'
(`discussion_entries`, `discussion_ratings`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from courseport.schema import (
    ContentItem,
    DiscussionEntry,
    DiscussionEntryRating,
    DiscussionEntryRead,
    DiscussionParticipant,
)
from courseport.schema.base import utcnow


@dataclass(frozen=True)
class TopicMarks:
    read: bool | None = None
    subscribed: bool | None = None


def topic_marks(db: Session, topic_ids: list[int], user_id: int) -> dict[int, TopicMarks]:
    rows = db.scalars(select(DiscussionParticipant).where(DiscussionParticipant.topic_id.in_(topic_ids),
                                                         DiscussionParticipant.user_id == user_id))
    return {r.topic_id: TopicMarks(r.read, r.subscribed) for r in rows} if topic_ids else {}


def unread_counts(db: Session, topic_ids: list[int], user_id: int) -> dict[int, int]:
    """Per topic, the live entries of others the user has not marked read."""
    if not topic_ids:
        return {}
    marked = select(DiscussionEntryRead.entry_id).where(DiscussionEntryRead.user_id == user_id,
                                                        DiscussionEntryRead.read.is_(True))
    rows = db.execute(select(DiscussionEntry.topic_id, func.count())
                      .where(DiscussionEntry.topic_id.in_(topic_ids), DiscussionEntry.workflow_state == "active",
                             or_(DiscussionEntry.user_id != user_id, DiscussionEntry.user_id.is_(None)),
                             DiscussionEntry.id.not_in(marked))
                      .group_by(DiscussionEntry.topic_id))
    return {topic_id: count for topic_id, count in rows}


def entry_states(db: Session, entries: Iterable[DiscussionEntry], user_id: int) -> dict[int, tuple[bool, bool]]:
    """Per entry, (read, forced) for the user."""
    entries = list(entries)
    marks = {r.entry_id: (r.read, r.forced) for r in db.scalars(select(DiscussionEntryRead).where(
        DiscussionEntryRead.user_id == user_id,
        DiscussionEntryRead.entry_id.in_([e.id for e in entries])))} if entries else {}
    return {e.id: marks.get(e.id, (e.user_id == user_id, False)) for e in entries}


def mark_topic(db: Session, topic: ContentItem, user_id: int, *, read: bool | None = None,
               subscribed: bool | None = None) -> None:
    """Set the user's read or follow mark on the topic (None leaves that mark as it is)."""
    row = db.get(DiscussionParticipant, (topic.id, user_id))
    if row is None:
        row = DiscussionParticipant(topic_id=topic.id, user_id=user_id)
        db.add(row)
    if read is not None:
        row.read = read
    if subscribed is not None:
        row.subscribed = subscribed
    db.flush()


def mark_entries(db: Session, topic: ContentItem, user_id: int, read: bool, forced: bool,
                 entry_ids: list[int] | None = None) -> None:
    """Mark the topic's live entries (or those named) read or unread for the user."""
    live = and_(DiscussionEntry.topic_id == topic.id, DiscussionEntry.workflow_state == "active")
    ids = list(db.scalars(select(DiscussionEntry.id).where(live, *(
        [DiscussionEntry.id.in_(entry_ids)] if entry_ids is not None else []))))
    marks = {r.entry_id: r for r in db.scalars(select(DiscussionEntryRead).where(
        DiscussionEntryRead.user_id == user_id, DiscussionEntryRead.entry_id.in_(ids)))} if ids else {}
    for entry_id in ids:
        row = marks.get(entry_id)
        if row is None:
            db.add(DiscussionEntryRead(entry_id=entry_id, user_id=user_id, topic_id=topic.id, read=read,
                                       forced=forced))
        else:
            row.read, row.forced = read, forced
    db.flush()


def rating_totals(db: Session, entry_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Per rated entry, (how many users rated it, the sum of their ratings); unrated entries are absent."""
    ids = list(entry_ids)
    if not ids:
        return {}
    rows = db.execute(select(DiscussionEntryRating.entry_id, func.count(), func.sum(DiscussionEntryRating.rating))
                      .where(DiscussionEntryRating.entry_id.in_(ids)).group_by(DiscussionEntryRating.entry_id))
    return {entry_id: (int(count), int(total or 0)) for entry_id, count, total in rows}


def user_ratings(db: Session, topic_id: int, user_id: int) -> dict[int, int]:
    """The user's rating of each entry of the topic they rated."""
    return {r.entry_id: r.rating for r in db.scalars(select(DiscussionEntryRating).where(
        DiscussionEntryRating.topic_id == topic_id, DiscussionEntryRating.user_id == user_id))}


def set_rating(db: Session, entry: DiscussionEntry, user_id: int, rating: int) -> None:
    row = db.get(DiscussionEntryRating, (entry.id, user_id))
    if row is None:
        db.add(DiscussionEntryRating(entry_id=entry.id, user_id=user_id, topic_id=entry.topic_id, rating=rating))
    else:
        row.rating, row.updated_at = rating, utcnow()
    db.flush()
