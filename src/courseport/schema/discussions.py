"""Discussion entries: the per-user posts under a discussion topic or announcement (a content item).

Topics themselves are content items; entries are not content (a copy never carries them), so they
live in their own table. `parent_id` is the entry replied to; top-level entries have none.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class DiscussionEntry(Base):
    __tablename__ = "discussion_entries"
    __table_args__ = (Index("ix_discussion_entries_topic", "topic_id", "parent_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("discussion_entries.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    workflow_state: Mapped[str] = mapped_column(String(32), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
