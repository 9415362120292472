"""Liking discussion entries: in a topic that allows rating, a member who may read its entries rates one
1 (likes it) or 0 (takes the like back); where only graders may rate, only those who manage grades may.
The marks are kept per user by core/coursework/discussion_reads.py, which also sums them per entry.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from courseport.core.courses.content_contexts import ContextRef
from courseport.core.coursework import discussion_reads
from courseport.core.coursework.discussion_entries import check_initial_post, member_topic, topic_entry
from courseport.core.coursework.discussions import topic_views
from courseport.core.kit.errors import InvalidInput, NotAllowed
from courseport.schema import User
from courseport.schema.base import utcnow

RATINGS = (0, 1)


def rate_entry(db: Session, actor: User, course_ref: ContextRef, topic_id: str, entry_id: str,
               rating: int | None) -> None:
    if rating not in RATINGS:
        raise InvalidInput("rating", "rating must be 0 or 1")
    course, rights, topic = member_topic(db, actor, course_ref, topic_id)
    view = topic_views(db, course, rights, actor, [topic], utcnow())[0]
    check_initial_post(rights, topic, view.has_posted)
    entry = topic_entry(db, topic, entry_id)
    if not topic.data.get("allow_rating"):
        raise NotAllowed("rating is not allowed in this topic")
    if topic.data.get("only_graders_can_rate") and not rights.can("manage_grades"):
        raise NotAllowed("only graders can rate entries in this topic")
    discussion_reads.set_rating(db, entry, actor.id, rating)
