"""Grading standards: named letter-grade schemes kept by a course or an account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class GradingStandard(Base):
    """A letter-grade scheme of one course or one account (exactly one of course_id, account_id is set).
    `entries` is a list of [name, lowest percent 0-100], best first."""

    __tablename__ = "grading_standards"
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    entries: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
