"""Packaged courses (the SCORM Cloud face): versions with their parsed manifest, the files of each
version over content-addressed blobs, course tags, layered setting values and xAPI statements.

A packaged course is an ordinary `courses` row with `scorm_course_id` set, so every dialect shares it.
- `package_versions`: one row per imported version (0, 1, ...) of a course. `manifest` holds the
  parsed package as JSON: {"root_activity": {...tree...}, "metadata": {...}, "languages": [...],
  "warnings": [...], "launch": "<href of the first launchable activity>"}. `web_path` is where the
  version's files are served, relative to the content root: "<course uuid>/<version>".
- `package_files`: the files of a version (path inside the package, "/"-separated, no leading "/");
  bytes live in the blob store. Assets added later (part B) are rows here too.
- `course_tags`: (course, tag) pairs.
- `setting_values`: explicit configuration values. `level` is application (course_id and version
  NULL), course (version NULL) or version. The catalogue of settings lives in core/packages/package_settings.py.
- `xapi_statements`: statements about a course version (filled from preview launches, part B);
  `statement` is the full xAPI statement, the other columns are what queries filter on. A statement an
  application's xAPI credential wrote belongs to no launch: `course_id` and `version` NULL, `tenant_id`
  its tenant (root account); launch statements leave `tenant_id` NULL (their course names the tenant).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class PackageVersion(Base):
    __tablename__ = "package_versions"
    __table_args__ = (UniqueConstraint("course_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    learning_standard: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(512))
    manifest: Mapped[dict] = mapped_column(JSON)
    web_path: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PackageFile(Base):
    __tablename__ = "package_files"
    __table_args__ = (UniqueConstraint("version_id", "path"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("package_versions.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(String(1024))
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(255))
    modified: Mapped[datetime] = mapped_column(default=utcnow)


class CourseTag(Base):
    __tablename__ = "course_tags"
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)


class SettingValue(Base):
    __tablename__ = "setting_values"
    __table_args__ = (Index("ix_setting_values_scope", "level", "course_id", "version", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(16))  # application, course, version
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    version: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(128))
    value: Mapped[str] = mapped_column(Text)


class XapiStatement(Base):
    __tablename__ = "xapi_statements"
    __table_args__ = (Index("ix_xapi_statements_course_stored", "course_id", "stored"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the statement's UUID
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    version: Mapped[int | None] = mapped_column(Integer)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    learner_id: Mapped[str] = mapped_column(String(255), index=True)
    verb: Mapped[str] = mapped_column(String(512))
    object_activity_id: Mapped[str] = mapped_column(String(1024))
    result: Mapped[dict | None] = mapped_column(JSON)
    timestamp: Mapped[datetime]
    stored: Mapped[datetime] = mapped_column(default=utcnow)
    statement: Mapped[dict] = mapped_column(JSON)
