"""Blueprint courses: a template per blueprint course, the courses subscribed to it, its syncs
(migrations) with one import result per associated course, the change records and exceptions
of each sync, and the per-item restrictions (locks) copies in associated courses must obey.

`blueprint_locks.lineage_key` is the blueprint item's lineage (`coalesce(lineage_id, id)`), the
value its copies carry in `content_items.lineage_id` (`files.lineage_id` for attachment locks), so a
copy finds its lock in one lookup.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class BlueprintTemplate(Base):
    __tablename__ = "blueprint_templates"
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), unique=True)
    last_export_completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BlueprintSubscription(Base):
    """An associated course; `workflow_state` active|deleted, `synced` once it had its initial sync."""

    __tablename__ = "blueprint_subscriptions"
    __table_args__ = (Index("ix_blueprint_subscriptions_child", "child_course_id", "workflow_state"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("blueprint_templates.id", ondelete="CASCADE"), index=True)
    child_course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    workflow_state: Mapped[str] = mapped_column(String(16), default="active")
    synced: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BlueprintMigration(Base):
    """One sync: queued, exporting, imports_queued, completed, exports_failed, imports_failed."""

    __tablename__ = "blueprint_migrations"
    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("blueprint_templates.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    job_id: Mapped[int | None] = mapped_column(Integer)
    workflow_state: Mapped[str] = mapped_column(String(16), default="queued")
    comment: Mapped[str | None] = mapped_column(Text)
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    since: Mapped[datetime | None]  # start of the last completed sync: changes after it are exported
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    exports_started_at: Mapped[datetime | None]
    imports_queued_at: Mapped[datetime | None]
    imports_completed_at: Mapped[datetime | None]


class BlueprintImport(Base):
    """A sync's result in one associated course: queued, completed or failed (with its error)."""

    __tablename__ = "blueprint_imports"
    __table_args__ = (UniqueConstraint("migration_id", "subscription_id"),
                      Index("ix_blueprint_imports_subscription", "subscription_id", "migration_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    migration_id: Mapped[int] = mapped_column(ForeignKey("blueprint_migrations.id", ondelete="CASCADE"))
    subscription_id: Mapped[int] = mapped_column(ForeignKey("blueprint_subscriptions.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    initial: Mapped[bool] = mapped_column(Boolean, default=False)
    workflow_state: Mapped[str] = mapped_column(String(16), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None]


class BlueprintChange(Base):
    """A change a sync exported: the blueprint item (or the course, for settings) and how it changed."""

    __tablename__ = "blueprint_changes"
    __table_args__ = (Index("ix_blueprint_changes_migration", "migration_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    migration_id: Mapped[int] = mapped_column(ForeignKey("blueprint_migrations.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(Integer)  # NULL for settings (the course)
    asset_type: Mapped[str] = mapped_column(String(32))  # the item type, or "settings"
    asset_name: Mapped[str] = mapped_column(String(1024), default="")
    change_type: Mapped[str] = mapped_column(String(16))  # created | updated | deleted
    locked: Mapped[bool] = mapped_column(Boolean, default=False)


class BlueprintException(Base):
    """An associated course that did not take a change: the restriction classes it edited locally."""

    __tablename__ = "blueprint_exceptions"
    __table_args__ = (Index("ix_blueprint_exceptions_change", "change_id", "course_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("blueprint_changes.id", ondelete="CASCADE"))
    import_id: Mapped[int] = mapped_column(ForeignKey("blueprint_imports.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(Integer)
    conflicting_changes: Mapped[list] = mapped_column(JSON, default=list)


class BlueprintLock(Base):
    """Restrictions on one blueprint object; `restrictions` NULL means the course-level defaults.
    `item_id` names a content item (kind "item"), a file ("attachment") or, for kinds with no
    content here yet ("external_tool", "lti-quiz"), the id the request gave."""

    __tablename__ = "blueprint_locks"
    __table_args__ = (UniqueConstraint("template_id", "kind", "item_id"),
                      Index("ix_blueprint_locks_lineage", "template_id", "lineage_key"))
    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("blueprint_templates.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32), default="item", server_default="item")
    item_id: Mapped[int] = mapped_column(Integer)
    lineage_key: Mapped[int] = mapped_column(Integer)
    restricted: Mapped[bool] = mapped_column(Boolean, default=True)
    restrictions: Mapped[dict | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
