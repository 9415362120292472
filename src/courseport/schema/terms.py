"""Enrollment term date overrides: a term's start and end for one enrollment type."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base


class TermOverride(Base):
    """Canvas's enrollment dates override: the term's dates as one enrollment type sees them."""

    __tablename__ = "term_overrides"
    term_id: Mapped[int] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True)
    enrollment_type: Mapped[str] = mapped_column(String(32), primary_key=True)  # StudentEnrollment, ...
    start_at: Mapped[datetime | None]
    end_at: Mapped[datetime | None]
