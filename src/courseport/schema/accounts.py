"""Accounts (a tree), enrollment terms, roles and account memberships (admins)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("root_account_id", "sis_account_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    parent_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    root_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    uuid: Mapped[str] = mapped_column(String(64), unique=True)
    sis_account_id: Mapped[str | None] = mapped_column(String(255))  # unique per root account: __table_args__
    default_time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    workflow_state: Mapped[str] = mapped_column(String(32), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sis_import_id: Mapped[int | None] = mapped_column(Integer)  # the SIS import that last wrote it


class Term(Base):
    __tablename__ = "terms"
    __table_args__ = (UniqueConstraint("root_account_id", "sis_term_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    root_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    sis_term_id: Mapped[str | None] = mapped_column(String(255))  # unique per root account: __table_args__
    start_at: Mapped[datetime | None]
    end_at: Mapped[datetime | None]
    workflow_state: Mapped[str] = mapped_column(String(32), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    description: Mapped[str | None] = mapped_column(Text)
    available: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())  # students reach its courses
    days_of_use: Mapped[int | None] = mapped_column(Integer)  # courses usable this many days from enrollment
    sis_import_id: Mapped[int | None] = mapped_column(Integer)  # the SIS import that last wrote it


class Role(Base):
    """A course-level or account-level role; built-in roles have a base type equal to their name."""

    __tablename__ = "roles"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    base_role_type: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    workflow_state: Mapped[str] = mapped_column(String(32), default="active")
    # Set by the Roles API's writes (core/identity/role_writes.py); None for the built-in roles.
    created_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]


class RoleOverride(Base):
    """One permission of a custom role set explicitly in an account (Canvas's role override): `permission`
    is the name the caller gave (a course right or one of `permissions.PERMISSION_ALIASES`); `enabled` None
    when only `locked` was set."""

    __tablename__ = "role_overrides"
    # (permission, enabled, role_id): the roles whose overrides enable or disable a right, read by every
    # bulk rights check (permissions.holds_right) from the index alone.
    __table_args__ = (UniqueConstraint("role_id", "account_id", "permission"),
                      Index("ix_role_overrides_permission", "permission", "enabled", "role_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    permission: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool | None] = mapped_column(Boolean)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    applies_to_self: Mapped[bool] = mapped_column(Boolean, default=True)
    applies_to_descendants: Mapped[bool] = mapped_column(Boolean, default=True)


class AccountUser(Base):
    """An account administrator: rights over the account and every account and course under it."""

    __tablename__ = "account_users"
    __table_args__ = (UniqueConstraint("account_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
