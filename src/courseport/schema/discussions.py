"""Discussion entries: the per-user posts under a discussion topic or announcement (a content item), and
each user's read and subscription marks on topics and entries.

Topics themselves are content items; entries are not content (a copy never carries them), so they
live in their own table. `parent_id` is the entry replied to; top-level entries have none.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
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


class DiscussionParticipant(Base):
    """A user's own state of a discussion topic where they set it (core/coursework/discussion_reads.py):
    None leaves the default (read and subscribed once they wrote it or posted in it)."""

    __tablename__ = "discussion_participants"
    topic_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    read: Mapped[bool | None] = mapped_column(Boolean)
    subscribed: Mapped[bool | None] = mapped_column(Boolean)


class DiscussionEntryRead(Base):
    """Whether a user has read an entry, where they marked it (an entry is unread but by its author)."""

    __tablename__ = "discussion_entry_reads"
    entry_id: Mapped[int] = mapped_column(ForeignKey("discussion_entries.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"), index=True)
    read: Mapped[bool] = mapped_column(Boolean)
    forced: Mapped[bool] = mapped_column(Boolean, default=False)


class DiscussionEntryRating(Base):
    """A user's like (1) or withdrawn like (0) of an entry, in a topic that allows rating
    (core/coursework/discussion_ratings.py); entries' rating_count / rating_sum are computed from these."""

    __tablename__ = "discussion_entry_ratings"
    entry_id: Mapped[int] = mapped_column(ForeignKey("discussion_entries.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
