"""Data sources: the named integrations (SIS feeds) a root account's records may say they came from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class DataSource(Base):
    """One data source of a root account; `external_id` is unique within it."""

    __tablename__ = "data_sources"
    __table_args__ = (UniqueConstraint("root_account_id", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    root_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(256))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
