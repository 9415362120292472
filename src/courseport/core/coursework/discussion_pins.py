"""The order of a course's (or a group's) pinned discussion topics: moderators name every pinned topic in the
order wanted; each takes its place as its position, which the topics list follows (core/coursework/discussions.py lists
pinned topics first, by position).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content import content
from courseport.core.courses.content_contexts import Context, ContextRef, readable_context
from courseport.core.coursework.discussions import moderates
from courseport.core.kit.errors import InvalidInput, NotAllowed
from courseport.schema import ContentItem, User


def pinned_topics(db: Session, context: Context) -> list[ContentItem]:
    """The context's pinned discussion topics (not announcements), in their pinned order."""
    items = db.scalars(select(ContentItem).where(
        context.items(), ContentItem.type == "discussion_topic",
        ContentItem.workflow_state != "deleted").order_by(ContentItem.position, ContentItem.id))
    return [i for i in items if i.data.get("pinned")]


def reorder_pinned(db: Session, actor: User, course_ref: ContextRef, order: list[int]) -> list[int]:
    """Put the pinned topics in `order` (their ids); every pinned topic must be named, once. The new order."""
    context = readable_context(db, actor, course_ref)
    if not moderates(context.rights):
        raise NotAllowed()
    pinned = {t.id: t for t in pinned_topics(db, context)}
    if len(set(order)) != len(order) or set(order) != set(pinned):
        raise InvalidInput("order", "order must name every pinned topic of the course exactly once")
    for position, topic_id in enumerate(order, start=1):
        if pinned[topic_id].position != position:
            content.update_item(db, pinned[topic_id], {"position": position})
    return order
