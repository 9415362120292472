"""D2L ID-key credentials: application ids/keys and the user ids/keys issued to an application.

The keys are kept as they were issued, not hashed: an ID-key signature is an HMAC computed with
the key itself, so verifying one needs the key. Encrypting them with a secret kept in this same
database would protect nothing, so they live in these dedicated tables instead, which dumps and
support exports can leave out, and which a reset empties.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class D2LApp(Base):
    __tablename__ = "d2l_apps"
    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[str] = mapped_column(String(64), unique=True)
    app_key: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class D2LUserKey(Base):
    """The user id/key pair an application received for one user at sign-in."""

    __tablename__ = "d2l_user_keys"
    __table_args__ = (UniqueConstraint("app_row_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    app_row_id: Mapped[int] = mapped_column(ForeignKey("d2l_apps.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_id: Mapped[str] = mapped_column(String(64), unique=True)
    user_key: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
