"""LTI 1.1 external tool configurations kept by an account or a course, and the feature flags set on accounts,
courses and users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class ExternalTool(Base):
    """A tool configuration of one account (its courses and sub-accounts see it) or one course (exactly one id
    is set). `placements` maps a placement name to its settings; the shared secret is never rendered."""

    __tablename__ = "external_tools"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2048))
    domain: Mapped[str | None] = mapped_column(String(255))
    consumer_key: Mapped[str] = mapped_column(String(255))
    shared_secret: Mapped[str] = mapped_column(String(255))
    privacy_level: Mapped[str] = mapped_column(String(16))
    icon_url: Mapped[str | None] = mapped_column(String(2048))
    not_selectable: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    custom_fields: Mapped[dict] = mapped_column(JSON, default=dict)
    placements: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FeatureFlag(Base):
    """The state one account, course or user sets for a feature (exactly one id is set); unset means inherited."""

    __tablename__ = "feature_flags"
    __table_args__ = (UniqueConstraint("account_id", "feature"), UniqueConstraint("course_id", "feature"),
                      UniqueConstraint("user_id", "feature"))
    id: Mapped[int] = mapped_column(primary_key=True)
    feature: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16))
