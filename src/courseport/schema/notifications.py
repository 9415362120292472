"""Account notifications (global announcements an account's admins post to its users, maybe only to some roles,
and which a user may close for themself) and the notification preferences a user changed on a communication
channel (only changed ones are kept: every other notification has its catalogue default)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class AccountNotification(Base):
    """A dated announcement shown to an account's users between start_at and end_at."""

    __tablename__ = "account_notifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(255))
    message: Mapped[str] = mapped_column(Text)
    icon: Mapped[str] = mapped_column(String(16))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AccountNotificationRole(Base):
    """A role the notification is shown to; a notification without any is shown to every user of the account."""

    __tablename__ = "notification_roles"
    notification_id: Mapped[int] = mapped_column(ForeignKey("account_notifications.id", ondelete="CASCADE"),
                                                 primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True)


class AccountNotificationClosure(Base):
    """A user closed (dismissed) the notification: it is no longer listed for them unless past ones are asked."""

    __tablename__ = "notification_closures"
    notification_id: Mapped[int] = mapped_column(ForeignKey("account_notifications.id", ondelete="CASCADE"),
                                                 primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class NotificationPolicy(Base):
    """How often a channel is sent one kind of notification, kept only where it differs from the default."""

    __tablename__ = "notification_policies"
    channel_id: Mapped[int] = mapped_column(ForeignKey("communication_channels.id", ondelete="CASCADE"),
                                            primary_key=True)
    notification: Mapped[str] = mapped_column(String(64), primary_key=True)
    frequency: Mapped[str] = mapped_column(String(16))
