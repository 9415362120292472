"""Custom gradebook columns: a course's extra, teacher-kept gradebook columns and each student's entry in them
(Canvas's Custom Gradebook Columns API; core/coursework/gradebook_columns.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class GradebookColumn(Base):
    """`workflow_state` is "active" or "deleted" (a deleted column is kept, as Canvas keeps it, and never shown);
    at most one live `teacher_notes` column per course."""

    __tablename__ = "custom_gradebook_columns"
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    teacher_notes: Mapped[bool] = mapped_column(Boolean, default=False)
    read_only: Mapped[bool] = mapped_column(Boolean, default=False)
    workflow_state: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class GradebookColumnDatum(Base):
    """One student's entry in one column (no row: no entry)."""

    __tablename__ = "custom_gradebook_column_data"
    __table_args__ = (UniqueConstraint("column_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    column_id: Mapped[int] = mapped_column(ForeignKey("custom_gradebook_columns.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    content: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
