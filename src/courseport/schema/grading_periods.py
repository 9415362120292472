"""Grading period sets (an account's, or a course's own legacy set), the terms a set applies to, and the dated
periods inside a set."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class GradingPeriodSet(Base):
    """A set of grading periods kept by one account (applied to terms) or by one course (exactly one id is set)."""

    __tablename__ = "grading_period_sets"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    weighted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    display_totals: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GradingPeriodSetTerm(Base):
    """A term whose courses use the set's periods; a term is in at most one set."""

    __tablename__ = "grading_period_set_terms"
    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("grading_period_sets.id", ondelete="CASCADE"), index=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"), unique=True)


class GradingPeriod(Base):
    """One dated period of a set: start < end <= close; periods of a set do not overlap."""

    __tablename__ = "grading_periods"
    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("grading_period_sets.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    start_date: Mapped[datetime]
    end_date: Mapped[datetime]
    close_date: Mapped[datetime]
    weight: Mapped[float | None] = mapped_column(Float)
