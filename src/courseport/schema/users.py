"""Users, their logins (Canvas's pseudonyms) and their API access tokens (stored as SHA-256 hashes, never in clear)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    sortable_name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str] = mapped_column(String(255))
    login_id: Mapped[str | None] = mapped_column(String(255), index=True)  # unique per root account (logins.py)
    sis_user_id: Mapped[str | None] = mapped_column(String(255), index=True)  # unique per root account (logins.py)
    integration_id: Mapped[str | None] = mapped_column(String(255))
    sis_import_id: Mapped[int | None] = mapped_column(Integer)  # mirrored from the first live login, like its ids
    email: Mapped[str | None] = mapped_column(String(255))
    avatar_url: Mapped[str | None] = mapped_column(Text)
    bio: Mapped[str | None] = mapped_column(Text)
    pronouns: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(16))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    uuid: Mapped[str] = mapped_column(String(64), unique=True)
    last_login: Mapped[datetime | None]
    is_test_student: Mapped[bool] = mapped_column(Boolean, default=False)
    workflow_state: Mapped[str] = mapped_column(String(32), default="registered")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AccessToken(Base):
    __tablename__ = "access_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_hint: Mapped[str] = mapped_column(String(8))
    purpose: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class Login(Base):
    """A way to sign in as a user within a root account (Canvas's pseudonym). A user's first live login
    is mirrored on `users.login_id` / `sis_user_id` / `integration_id`, which lookups and rosters read."""

    __tablename__ = "logins"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)  # the root account
    # The account the user was created in (a sub-account's user list shows them); None: the root.
    home_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    unique_id: Mapped[str] = mapped_column(String(255), index=True)
    sis_user_id: Mapped[str | None] = mapped_column(String(255), index=True)
    integration_id: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str | None] = mapped_column(Text)
    authentication_provider_id: Mapped[int | None] = mapped_column(Integer)
    declared_user_type: Mapped[str | None] = mapped_column(String(32))
    workflow_state: Mapped[str] = mapped_column(String(32), default="active")  # active, suspended, deleted
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    sis_import_id: Mapped[int | None] = mapped_column(Integer)  # the SIS import that last wrote it


class ObserverLink(Base):
    """An observer (a parent, say) linked to a student in a root account: the observer is enrolled as an
    observer of the student beside each of the student's enrollments there (core/courses/observer_links.py)."""

    __tablename__ = "observer_links"
    __table_args__ = (UniqueConstraint("observer_id", "student_id", "root_account_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    observer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    root_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ObserverPairingCode(Base):
    """A code a student (or an admin for them) hands an observer, who links to the student with it once
    before it expires (core/courses/pairing_codes.py)."""

    __tablename__ = "observer_pairing_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    expires_at: Mapped[datetime]
    workflow_state: Mapped[str] = mapped_column(String(16), default="active")  # active, deleted (used)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommunicationChannel(Base):
    """A way to reach a user (Canvas's communication channel): an email address, or an SMS number. A user's
    email given when they are made or edited gets one (core/identity/channel_rows.py). Deleting one retires it
    (workflow_state "retired"): it is no longer listed, as Canvas keeps retired channels."""

    __tablename__ = "communication_channels"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path_type: Mapped[str] = mapped_column(String(16))  # email, sms
    address: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer, default=1)
    workflow_state: Mapped[str] = mapped_column(String(16), default="unconfirmed")  # unconfirmed, active, retired
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UserPreference(Base):
    """A user's own preference, by kind: a setting (`setting`, name -> "true"/"false") or a custom color for a
    course, group or user (`color`, asset string -> "#abcdef")."""

    __tablename__ = "user_preferences"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
