"""Late policies: a course's automatic deductions for late and missing submissions (one per course)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class LatePolicy(Base):
    """Percentages are 0-100; `late_submission_interval` is "day" or "hour" (core/coursework/late_policies.py)."""

    __tablename__ = "late_policies"
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), unique=True)
    missing_submission_deduction_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    missing_submission_deduction: Mapped[float] = mapped_column(Float, default=0.0)
    late_submission_deduction_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    late_submission_deduction: Mapped[float] = mapped_column(Float, default=0.0)
    late_submission_interval: Mapped[str] = mapped_column(String(16), default="day")
    late_submission_minimum_percent_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    late_submission_minimum_percent: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
