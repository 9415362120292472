"""Course content: one item table for every content type, plus the per-user records around it.

`lineage_id` is the stable identity of the item a copy came from (empty for originals), so copying
or syncing again updates earlier copies. `local_edits` records, per field, when it was last edited
in this course (not by a copy or sync); `field_hashes` fingerprints each tracked field.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class ContentItem(Base):
    __tablename__ = "content_items"
    __table_args__ = (
        Index("ix_content_items_course_type", "course_id", "type", "position"),
        Index("ix_content_items_course_lineage", "course_id", "lineage_id"),
        # Only where set: course queries say `group_id IS NULL` (and others `account_id`, `parent_id IS NULL`), and
        # SQLite would walk the store's content by a full index for such a term (migration 0067).
        *(Index(name, column, sqlite_where=text(f"{column} IS NOT NULL"),
                postgresql_where=text(f"{column} IS NOT NULL"))
          for name, column in (("ix_content_items_group_id", "group_id"), ("ix_content_items_account_id", "account_id"),
                               ("ix_content_items_parent", "parent_id"))),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    # Empty only for outcomes (and their groups and links) above the course: an account's (`account_id`) or
    # global ones (neither set); every other item, and every query by course, has one (core/coursework/
    # outcome_owners.py), so it is typed as always set.
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), nullable=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"))
    ref_id: Mapped[int | None] = mapped_column(ForeignKey("content_items.id", ondelete="SET NULL"), index=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(1024), default="")
    slug: Mapped[str | None] = mapped_column(String(255))
    body: Mapped[str | None] = mapped_column(Text)
    points: Mapped[float | None] = mapped_column(Float)
    due_at: Mapped[datetime | None]
    unlock_at: Mapped[datetime | None]
    lock_at: Mapped[datetime | None]
    start_at: Mapped[datetime | None]
    end_at: Mapped[datetime | None]
    workflow_state: Mapped[str] = mapped_column(String(32), default="unpublished")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    lineage_id: Mapped[int | None] = mapped_column(Integer)
    local_edits: Mapped[dict] = mapped_column(JSON, default=dict)
    field_hashes: Mapped[dict] = mapped_column(JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A course group's own content (its pages, topics) names the group; the course's own content has none.
    group_id: Mapped[int | None] = mapped_column(ForeignKey("course_groups.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContentLink(Base):
    """A link inside an item's HTML to another item or a file, so copies can rewrite it."""

    __tablename__ = "content_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"), index=True)
    target_item_id: Mapped[int | None] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"), index=True)
    target_file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id", ondelete="CASCADE"), index=True)


class Folder(Base):
    __tablename__ = "folders"
    __table_args__ = (UniqueConstraint("course_id", "full_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    parent_folder_id: Mapped[int | None] = mapped_column(ForeignKey("folders.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(1024))
    position: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    unlock_at: Mapped[datetime | None]
    lock_at: Mapped[datetime | None]
    lineage_id: Mapped[int | None] = mapped_column(Integer)
    workflow_state: Mapped[str] = mapped_column(String(32), default="visible")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AssignmentOverride(Base):
    """Different dates for a section or for named students (the students are override_students rows)."""

    __tablename__ = "assignment_overrides"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"), index=True)
    course_section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(255), default="")
    due_at: Mapped[datetime | None]
    unlock_at: Mapped[datetime | None]
    lock_at: Mapped[datetime | None]
    due_at_set: Mapped[bool] = mapped_column(Boolean, default=False)
    unlock_at_set: Mapped[bool] = mapped_column(Boolean, default=False)
    lock_at_set: Mapped[bool] = mapped_column(Boolean, default=False)
    workflow_state: Mapped[str] = mapped_column(String(32), default="active")


class OverrideStudent(Base):
    __tablename__ = "override_students"
    override_id: Mapped[int] = mapped_column(ForeignKey("assignment_overrides.id", ondelete="CASCADE"),
                                             primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("item_id", "user_id"), Index("ix_submissions_course_state", "course_id",
                                                                      "workflow_state"))
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    workflow_state: Mapped[str] = mapped_column(String(32), default="unsubmitted")
    submission_type: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    attempt: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[datetime | None]
    score: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(64))
    graded_at: Mapped[datetime | None]
    grader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    excused: Mapped[bool] = mapped_column(Boolean, default=False)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    posted_at: Mapped[datetime | None]
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # what the grader gave, before the course's late policy (score/grade are after it; late_deductions.py)
    entered_score: Mapped[float | None] = mapped_column(Float)
    entered_grade: Mapped[str | None] = mapped_column(String(64))
    points_deducted: Mapped[float | None] = mapped_column(Float)
    late_policy_status: Mapped[str | None] = mapped_column(String(16))  # a grader's late|missing|extended|none
    seconds_late_override: Mapped[int | None] = mapped_column(Integer)
    # a grader's extra attempts on top of the assignment's allowed_attempts (assignment_extensions.py)
    extra_attempts: Mapped[int | None] = mapped_column(Integer)


class ModuleProgress(Base):
    """A user's completion of one module item's requirement."""

    __tablename__ = "module_progress"
    item_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    viewed_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]


class PageRevision(Base):
    """A wiki page's title and body as one save left them (core/content/page_revisions.py); numbered from 1."""

    __tablename__ = "page_revisions"
    __table_args__ = (UniqueConstraint("page_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(1024))
    body: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PeerReview(Base):
    """A student assigned to review another student's submission (Canvas's assessment request): "assigned" until
    the assessor comments on the submission, then "completed". Student data: never copied with a course."""

    __tablename__ = "peer_reviews"
    __table_args__ = (UniqueConstraint("submission_id", "assessor_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))  # whose submission it is
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    workflow_state: Mapped[str] = mapped_column(String(32), default="assigned")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
