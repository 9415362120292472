"""Course templates (D2L): the org unit a course offering is created from, under a department.

Semesters and departments are not tables of their own: a semester is a term and a department an
account below the root (the organization), so every dialect sees the same course placement.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class CourseTemplate(Base):
    __tablename__ = "course_templates"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    code: Mapped[str] = mapped_column(String(255), default="")
    path: Mapped[str] = mapped_column(String(1024), default="")
    # The parent department (an account), or the root account when the organization is the parent.
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    workflow_state: Mapped[str] = mapped_column(String(32), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
