"""Files: metadata rows pointing at content-addressed blobs, so a copy shares bytes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class Blob(Base):
    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BlobPin(Base):
    """A blob a job holds (its package, the entries it unpacked): kept while the job is queued or
    running, whatever other rows say. See core/kit/blob_lifecycle.py."""

    __tablename__ = "blob_pins"
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class File(Base):
    __tablename__ = "files"
    __table_args__ = (Index("ix_files_course_lineage", "course_id", "lineage_id"),)  # a copy's file lookups
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(64), unique=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    folder_path: Mapped[str] = mapped_column(String(1024), default="course files")
    folder_id: Mapped[int | None] = mapped_column(ForeignKey("folders.id", ondelete="SET NULL"), index=True)
    lineage_id: Mapped[int | None] = mapped_column(Integer)
    unlock_at: Mapped[datetime | None]
    lock_at: Mapped[datetime | None]
    display_name: Mapped[str] = mapped_column(String(255))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    workflow_state: Mapped[str] = mapped_column(String(32), default="processed")
    # Usage rights (core/content/usage_rights.py): why the course may use the file, its license, its holder.
    use_justification: Mapped[str | None] = mapped_column(String(32))
    license: Mapped[str | None] = mapped_column(String(32))
    legal_copyright: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ExternalFeed(Base):
    """An RSS or Atom feed attached to a course's announcements (core/content/external_feeds.py); never fetched."""

    __tablename__ = "external_feeds"
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    url: Mapped[str] = mapped_column(String(2048))
    header_match: Mapped[str | None] = mapped_column(String(255))
    verbosity: Mapped[str] = mapped_column(String(16), default="full")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
