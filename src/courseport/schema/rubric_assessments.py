"""Rubric assessments: one assessor's scoring of one student's work against a rubric association."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class RubricAssessment(Base):
    """A scoring of `user_id`'s submission by `assessor_id` through a rubric association (a content item of type
    "rubric_association"). `data` is a list of {criterion_id, points, comments, rating_id}; `score` their sum.
    Student data: never copied with a course (the copy engine copies content items, not this table)."""

    __tablename__ = "rubric_assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"), index=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    assessment_type: Mapped[str] = mapped_column(String(32))
    score: Mapped[float | None] = mapped_column(Float)
    attempt: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
