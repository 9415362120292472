"""The full view of a discussion topic: every entry as a tree (replies under the entry they answer, oldest
first), who took part, which entries the caller has not read or set read themself, and the caller's ratings.
Deleted entries stay in the tree (flagged) so their replies keep their place. Seeing it needs what reading the
entries needs (core/coursework/discussion_entries.py: an initial post where the topic requires one).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses.content_contexts import ContextRef
from courseport.core.coursework import discussion_reads
from courseport.core.coursework.discussion_entries import authors_of, readable_topic
from courseport.schema import DiscussionEntry, User


@dataclass
class ViewEntry:
    entry: DiscussionEntry
    rating_count: int | None = None
    rating_sum: int | None = None
    replies: list[ViewEntry] = field(default_factory=list)

    @property
    def deleted(self) -> bool:
        return self.entry.workflow_state == "deleted"


@dataclass(frozen=True)
class FullView:
    course_id: int
    roots: list[ViewEntry]
    participants: list[User]
    unread_ids: list[int]
    forced_ids: list[int]
    ratings: dict[int, int]  # the caller's, by entry id


def full_view(db: Session, actor: User, course_ref: ContextRef, topic_id: str) -> FullView:
    topic = readable_topic(db, actor, course_ref, topic_id)
    entries = list(db.scalars(select(DiscussionEntry).where(DiscussionEntry.topic_id == topic.id)
                              .order_by(DiscussionEntry.created_at, DiscussionEntry.id)))
    live = [e for e in entries if e.workflow_state != "deleted"]
    totals = discussion_reads.rating_totals(db, (e.id for e in live))
    nodes = {e.id: ViewEntry(e, *totals.get(e.id, (None, None))) for e in entries}
    roots: list[ViewEntry] = []
    for e in entries:
        parent = nodes.get(e.parent_id) if e.parent_id is not None else None
        (parent.replies if parent else roots).append(nodes[e.id])
    states = discussion_reads.entry_states(db, live, actor.id)
    authors = authors_of(db, live)
    return FullView(
        course_id=topic.course_id, roots=roots,
        participants=sorted(authors.values(), key=lambda u: u.id),
        unread_ids=[e.id for e in live if not states[e.id][0]],
        forced_ids=[e.id for e in live if states[e.id][1]],
        ratings=discussion_reads.user_ratings(db, topic.id, actor.id))
