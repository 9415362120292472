"""Packaged courses (SCORM Cloud courses): find by their course id, list with filters, get, retitle,
delete with everything connected, versions (deleting the last one deletes the course), and the
package of a version as a zip streamed from its files.

Applications act as a user; only administrators of the root account may manage packaged courses.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, Select, delete, func, select
from sqlalchemy.orm import Session

from courseport.blobs import BlobStore
from courseport.core.courses import courses
from courseport.core.identity import accounts, tenancy
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.core.packages.list_filters import ListFilters
from courseport.schema import Course, CourseTag, PackageFile, PackageVersion, SettingValue, User, XapiStatement
from courseport.schema.base import utcnow

PAGE_SIZE = 100
FILTER_BY = ("course_id", "title")
ORDER_BY = ("creation_date_asc", "creation_date_desc", "updated_asc", "updated_desc", "title_asc", "title_desc",
            "course_id_asc", "course_id_desc")


@dataclass(frozen=True)
class CourseFilters(ListFilters):
    FILTER_BY: ClassVar[tuple[str, ...]] = FILTER_BY
    ORDER_BY: ClassVar[tuple[str, ...]] = ORDER_BY

    filter_by: str = "course_id"


@dataclass
class CourseView:
    """A packaged course as one of its versions shows it."""

    course: Course
    version: PackageVersion
    tags: list[str] = field(default_factory=list)
    registration_count: int = 0


def require_app_admin(db: Session, actor: User) -> None:
    if not accounts.is_admin_of(db, actor.id, tenancy.tenant_of(db, actor.id)):
        raise NotAllowed("this application may not manage courses")


def find_course(db: Session, actor: User, course_id: str) -> Course | None:
    """The actor's tenant's course of that SCORM Cloud courseId (unique per tenant)."""
    return db.scalar(select(Course).where(Course.scorm_course_id == course_id,
                                          Course.root_account_id == tenancy.tenant_of(db, actor.id)))


def packaged_course(db: Session, actor: User, course_id: str) -> Course:
    require_app_admin(db, actor)
    course = find_course(db, actor, course_id)
    if course is None:
        raise NotFound("course", f"Course '{course_id}' not found")
    return course


def _versions(db: Session, course: Course) -> list[PackageVersion]:
    return list(db.scalars(select(PackageVersion).where(PackageVersion.course_id == course.id)
                           .order_by(PackageVersion.version)))


def _version(db: Session, course: Course, version: int) -> PackageVersion:
    row = db.scalar(select(PackageVersion).where(PackageVersion.course_id == course.id,
                                                 PackageVersion.version == version))
    if row is None:
        raise NotFound("version", f"Course '{course.scorm_course_id}' has no version {version}")
    return row


def tags_of(db: Session, course_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {i: [] for i in course_ids}
    for course_id, tag in db.execute(select(CourseTag.course_id, CourseTag.tag)
                                     .where(CourseTag.course_id.in_(course_ids)).order_by(CourseTag.tag)):
        found[course_id].append(tag)
    return found


def _latest_versions(db: Session, course_ids: list[int]) -> dict[int, PackageVersion]:
    newest = (select(PackageVersion.course_id, func.max(PackageVersion.version).label("v"))
              .where(PackageVersion.course_id.in_(course_ids)).group_by(PackageVersion.course_id).subquery())
    rows = db.scalars(select(PackageVersion).join(newest, (PackageVersion.course_id == newest.c.course_id)
                                                  & (PackageVersion.version == newest.c.v)))
    return {r.course_id: r for r in rows}


def views_of(db: Session, courses: list[Course]) -> list[CourseView]:
    ids = [c.id for c in courses]
    latest, tags = _latest_versions(db, ids), tags_of(db, ids)
    return [CourseView(c, latest[c.id], tags[c.id]) for c in courses if c.id in latest]


def get_course(db: Session, actor: User, course_id: str) -> CourseView:
    return views_of(db, [packaged_course(db, actor, course_id)])[0]


def list_courses(db: Session, actor: User, filters: CourseFilters, offset: int, *,
                 count: bool = False) -> Slice[CourseView]:
    require_app_admin(db, actor)
    mine = Course.root_account_id == tenancy.tenant_of(db, actor.id)
    stmt = select(Course).where(mine, *_conditions(filters.check())).order_by(*_order(filters))
    page = fetch_window(db, stmt, Window(offset, PAGE_SIZE), count=count)
    return Slice(views_of(db, page.items), page.has_more, page.total)


def _conditions(f: CourseFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Course.scorm_course_id.is_not(None)]
    stamp = f.stamp(Course.created_at, Course.updated_at)
    if f.since:
        conditions.append(stamp >= f.since)
    if f.until:
        conditions.append(stamp <= f.until)
    if f.tags:
        conditions.append(Course.id.in_(select(CourseTag.course_id).where(CourseTag.tag.in_(f.tags))))
    if f.filter:
        conditions.append(f.text_match({"title": Course.name, "course_id": Course.scorm_course_id}))
    return conditions


def _order(f: CourseFilters) -> list[Any]:
    return f.ordering({"creation_date": Course.created_at, "updated": Course.updated_at, "title": Course.name,
                       "course_id": Course.scorm_course_id}, Course.id)


def set_title(db: Session, actor: User, course_id: str, title: str | None) -> None:
    if not title or not title.strip():
        raise InvalidInput("title", "title must not be empty")
    course = packaged_course(db, actor, course_id)
    if len(title.strip()) > courses.MAX_LENGTHS["name"]:
        raise InvalidInput("title", f"title may be at most {courses.MAX_LENGTHS['name']} characters long")
    course.name, course.updated_at = title.strip(), utcnow()
    db.flush()


def delete_course(db: Session, actor: User, course_id: str) -> None:
    """The course and everything connected: versions, files, tags, settings, statements (cascades)."""
    course = packaged_course(db, actor, course_id)
    db.execute(delete(Course).where(Course.id == course.id))
    db.expunge(course)


def list_versions(db: Session, actor: User, course_id: str, since: datetime | None = None,
                  until: datetime | None = None) -> list[CourseView]:
    course = packaged_course(db, actor, course_id)
    tags = tags_of(db, [course.id])[course.id]
    return [CourseView(course, v, tags) for v in _versions(db, course)
            if (since is None or v.updated_at >= since) and (until is None or v.updated_at <= until)]


def get_version(db: Session, actor: User, course_id: str, version: int) -> CourseView:
    course = packaged_course(db, actor, course_id)
    return CourseView(course, _version(db, course, version), tags_of(db, [course.id])[course.id])


def delete_version(db: Session, actor: User, course_id: str, version: int) -> None:
    course = packaged_course(db, actor, course_id)
    db.delete(_version(db, course, version))
    # Values and statements of the version go with it: a later import may reuse its number.
    for table in (SettingValue, XapiStatement):
        db.execute(delete(table).where(table.course_id == course.id, table.version == version))
    db.flush()
    if not _versions(db, course):
        delete_course(db, actor, course_id)


def package_files(db: Session, actor: User, course_id: str, version: int | None = None) -> list[PackageFile]:
    """The files of a version (the newest when None), in path order."""
    course = packaged_course(db, actor, course_id)
    row = _version(db, course, version) if version is not None else _latest_versions(db, [course.id])[course.id]
    return list(db.scalars(_files_of(row.id)))


def packaged_version(db: Session, actor: User, course_id: str,
                     version: int | None = None) -> tuple[Course, PackageVersion]:
    """A course and one of its versions (the newest when None); for previews and assets."""
    course = packaged_course(db, actor, course_id)
    return course, (_version(db, course, version) if version is not None
                    else _latest_versions(db, [course.id])[course.id])


def _files_of(version_id: int) -> Select:
    return select(PackageFile).where(PackageFile.version_id == version_id).order_by(PackageFile.path)


class _Chunks:
    """A write-only file for zipfile: what it writes waits here until drained."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> Iterator[bytes]:
        parts, self.parts = self.parts, []
        yield from (p for p in parts if p)


def zip_chunks(blobs: BlobStore, files: list[PackageFile]) -> Iterator[bytes]:
    """A zip of the files, written entry by entry as it is sent: no package is held whole."""
    out = _Chunks()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:  # type: ignore[call-overload]  # no close()
        for f in files:
            info = zipfile.ZipInfo(f.path, f.modified.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=f.size > 2**31) as entry:
                for chunk in blobs.open_chunks(f.blob_sha256):
                    entry.write(chunk)
                    yield from out.drain()
            yield from out.drain()
    yield from out.drain()
