"""Course groups: group categories (Canvas's and Learn's group sets), their groups and the groups' members.

Both categories and groups carry what Learn addresses and shows them by (0036): an external id unique in
the course (freed when the row is deleted), a uuid, a description (categories), an availability to
students and the time of the last change. A category's `role` is None for a group set; "imported" for
the one category per course that holds the groups made outside any set (Learn's standalone groups; the
role Canvas gives the category of groups imported without one), where a user may be in several groups
and each group has its own `join_level` and `max_membership`. A course has at most one live imported
category (a partial unique index, 0039, so two first standalone groups made at once share one). Both
carry Learn's sign-up sheet (`signup_sheet`: name, description, show_members), kept and shown as given.
A category made through the D2L face keeps how members come to its groups (`placement`, 0048: its enrollment
style, auto-enrollment, self sign-up end and the rest, `core/courses/offering_groups.py`).
"""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow

_ONE_IMPORTED = "role = 'imported' AND workflow_state != 'deleted'"


class GroupCategory(Base):
    __tablename__ = "group_categories"
    __table_args__ = (UniqueConstraint("course_id", "external_id"),
                      Index("uq_group_categories_one_imported", "course_id", unique=True,
                            sqlite_where=text(_ONE_IMPORTED), postgresql_where=text(_ONE_IMPORTED)))
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    self_signup: Mapped[str | None] = mapped_column(String(16))  # None, "enabled" or "restricted"
    group_limit: Mapped[int | None] = mapped_column(Integer)
    workflow_state: Mapped[str] = mapped_column(String(32), default="active")
    role: Mapped[str | None] = mapped_column(String(16))  # None: a group set; "imported": groups in no set
    description: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(256))
    sis_source_id: Mapped[str | None] = mapped_column(String(255), index=True)  # an SIS import's id (0053)
    sis_import_id: Mapped[int | None] = mapped_column(Integer)  # the SIS import that last wrote it
    uuid: Mapped[str] = mapped_column(String(64), default=lambda: uuid4().hex)
    availability: Mapped[str] = mapped_column(String(16), default="available")  # or "hidden", "signup_only"
    signup_sheet: Mapped[dict | None] = mapped_column(JSON)  # {"name", "description", "show_members"}, as given
    placement: Mapped[dict | None] = mapped_column(JSON)  # offering_groups.Placement, None: made by another face
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CourseGroup(Base):
    __tablename__ = "course_groups"
    __table_args__ = (UniqueConstraint("course_id", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("group_categories.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    join_level: Mapped[str] = mapped_column(String(32), default="invitation_only")
    workflow_state: Mapped[str] = mapped_column(String(32), default="available")
    max_membership: Mapped[int | None] = mapped_column(Integer)  # a group in no set: its own member limit
    external_id: Mapped[str | None] = mapped_column(String(256))
    sis_source_id: Mapped[str | None] = mapped_column(String(255), index=True)  # an SIS import's id (0053)
    sis_import_id: Mapped[int | None] = mapped_column(Integer)  # the SIS import that last wrote it
    uuid: Mapped[str] = mapped_column(String(64), default=lambda: uuid4().hex)
    availability: Mapped[str] = mapped_column(String(16), default="available")  # or "hidden", "signup_only"
    signup_sheet: Mapped[dict | None] = mapped_column(JSON)  # {"name", "description", "show_members"}, as given
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class GroupMembership(Base):
    """A user in a group; a user is in at most one group of a category (core/courses/groups.py)."""

    __tablename__ = "group_memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("course_groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    moderator: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
