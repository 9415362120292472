"""OAuth 2 client-credential applications (Blackboard Learn REST apps): a key, a hashed secret, a user."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class OAuthClient(Base):
    __tablename__ = "oauth_clients"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    # The user the application acts as: every call made with its tokens has this user's rights.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Learn entitlements the application holds, space-separated (`system.user.CREATE ...`); NULL: every one.
    entitlements: Mapped[str | None] = mapped_column(Text, nullable=True)
