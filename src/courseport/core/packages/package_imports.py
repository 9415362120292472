"""Package import jobs: upload (bytes already streamed to the blob store), fetch (a URL, fetched
by the job through core/kit/outbound.py) and reference (a media URL, nothing stored).

The request checks what it can (credentials, course id, may_create_new_version, tags, postback URL)
and writes the job, and its pin on the uploaded package, in its transaction. The job unpacks the
package entry by entry into blobs (never whole in memory), pinning each to the job as it goes,
parses its manifest, then writes the course, version, files and tags in one transaction: a failure
leaves no course, no version, no rows. Nothing here deletes bytes: once the job has ended, its pins
no longer count and the collector (core/kit/blob_lifecycle.py) removes what no row refers to.
With a postback URL, the job carries the dialect's callback (core.job_callbacks): when it ends,
a delivery job of its own posts the outcome; the import never waits for the receiver.
"""

from __future__ import annotations

import mimetypes
import posixpath
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from typing import Any, cast
from urllib.parse import urlparse

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.blobs import BlobStore, StoredBlob
from courseport.core.courses.courses import CourseChanges, create_course
from courseport.core.identity import tenancy
from courseport.core.jobs import job_callbacks, job_timing, jobs
from courseport.core.kit import outbound
from courseport.core.kit.blob_lifecycle import JobPins, pin, pin_now, record_blobs
from courseport.core.kit.errors import Conflict, DomainError, InvalidInput, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.safe_zip import ArchiveSource, SafeZip, ZipLimits, is_zip, member_path
from courseport.core.packages.package_formats import parse_package
from courseport.core.packages.packages import MediaDetails, ParsedPackage, media_type, parse_media
from courseport.core.packages.scorm_courses import CourseView, find_course, require_app_admin, tags_of
from courseport.core.packages.tags import add_tags, clean_tags
from courseport.db import transaction
from courseport.schema import Job, PackageFile, PackageVersion, User
from courseport.schema.base import utcnow
from courseport.settings import Settings

KIND = "package_import"
MAX_COURSE_ID = 255
EXTRACT_THREADS = 4


@dataclass(frozen=True)
class ImportOptions:
    course_id: str
    may_create_new_version: bool = False
    postback_url: str | None = None
    tags: tuple[str, ...] = ()
    postback: Callable[[Job], job_callbacks.Callback] | None = None  # the dialect's body for postback_url
    allow: tuple[str, ...] = ()  # hosts/networks outbound requests may reach although not public


@dataclass(frozen=True)
class StoredFile:
    path: str
    sha256: str
    size: int
    content_type: str


@dataclass
class ImportOutcome:
    job: Job
    view: CourseView | None  # the imported course version, once complete (None if since deleted)


def check_import(db: Session, actor: User, options: ImportOptions) -> None:
    """Everything a request can refuse before the package arrives: 400s and the 409."""
    require_app_admin(db, actor)
    course_id = options.course_id
    if not course_id or not course_id.strip():
        raise InvalidInput("course_id", "course_id is required")
    if len(course_id) > MAX_COURSE_ID or "/" in course_id or "\\" in course_id:
        raise InvalidInput("course_id", f"course_id must be at most {MAX_COURSE_ID} characters, without slashes")
    clean_tags(list(options.tags))
    if options.postback_url:
        outbound.check_url(options.postback_url, "postback_url", outbound.OutboundPolicy(allow=options.allow))
    if not options.may_create_new_version and find_course(db, actor, course_id) is not None:
        raise Conflict(f"Course '{course_id}' already exists and mayCreateNewVersion is false")


def _queue(db: Session, actor: User, options: ImportOptions, source: dict[str, Any],
           media: MediaDetails | None) -> Job:
    check_import(db, actor, options)
    payload = {"course_id": options.course_id, "may_create_new_version": options.may_create_new_version,
               "tags": clean_tags(list(options.tags)), "source": source, "media": asdict(media or MediaDetails()),
               "user_id": actor.id}
    job = jobs.enqueue(db, KIND, payload, user_id=actor.id)
    pin(db, job.id, [source.get("sha256")])  # the package stays until the job has ended
    if options.postback_url and options.postback is not None:
        job_callbacks.attach(db, job, options.postback(job))
    return job


def queue_upload(db: Session, actor: User, options: ImportOptions, stored: StoredBlob, filename: str | None,
                 content_type: str | None, media: MediaDetails | None = None) -> Job:
    source = {"kind": "upload", "sha256": stored.sha256, "size": stored.size, "filename": filename or "package",
              "content_type": content_type}
    return _queue(db, actor, options, source, media)


def queue_fetch(db: Session, actor: User, options: ImportOptions, url: str | None, content_type: str | None,
                media: MediaDetails | None = None) -> Job:
    outbound.check_url(url, "url", outbound.OutboundPolicy(allow=options.allow))
    return _queue(db, actor, options, {"kind": "fetch", "url": url, "content_type": content_type}, media)


def queue_reference(db: Session, actor: User, options: ImportOptions, url: str | None, content_type: str | None,
                    media: MediaDetails | None = None) -> Job:
    outbound.check_url(url or "", "url")
    if media_type(urlparse(cast(str, url)).path, content_type) is None:  # check_url refused None
        raise InvalidInput("content_type", f"a referenced file must be a media file, not {content_type!r}")
    return _queue(db, actor, options, {"kind": "reference", "url": url, "content_type": content_type}, media)


def import_status(db: Session, actor: User, job_id: str) -> ImportOutcome:
    require_app_admin(db, actor)
    job = db.get(Job, store_id(job_id)) if is_id(job_id) else None
    other_tenant = job is not None and job.user_id is not None and not tenancy.same_tenant(db, actor.id, job.user_id)
    if job is None or job.kind != KIND or other_tenant:
        raise NotFound("import job", f"Import job '{job_id}' not found")
    job, view = job_timing.status_read(db, job), None
    if job.state == "completed" and job.result:
        course = find_course(db, actor, job.result["course_id"])
        version = None if course is None else db.scalar(select(PackageVersion).where(
            PackageVersion.course_id == course.id, PackageVersion.version == job.result["version"]))
        if course is not None and version is not None:
            view = CourseView(course, version, tags_of(db, [course.id])[course.id])
    return ImportOutcome(job, view)


def job_services(ctx: jobs.JobContext) -> tuple[Settings, BlobStore]:
    """The settings and blob store of the process running the job."""
    services = getattr(ctx, "services", None)
    if services is not None:
        return services.settings, services.blobs
    from courseport.blobs import open_blob_store  # a worker process without services: its environment

    settings = Settings.from_env()
    return settings, open_blob_store(settings, ctx.engine)


def run_package_import(ctx: jobs.JobContext) -> dict:
    settings, blobs = job_services(ctx)
    return _import(ctx, settings, blobs)


def _import(ctx: jobs.JobContext, settings: Settings, blobs: BlobStore) -> dict:
    source, media = ctx.payload["source"], MediaDetails.of(ctx.payload["media"])
    files: list[StoredFile]
    if source["kind"] == "reference":
        parsed, files = parse_media(urlparse(source["url"]).path or "media", source["url"], media), []
    else:
        if source["kind"] == "fetch":
            ctx.progress(2, "fetching the package", force=True)
            source = _fetch(ctx, settings, blobs, source)
        parsed, files = _unpack(ctx, settings, blobs, source, media)
    with transaction(ctx.engine, write=True) as db:
        version = store_version(db, ctx.payload, parsed, files)
        ctx.confirm_held(db)  # a worker that lost the job writes nothing
    return {"course_id": ctx.payload["course_id"], "version": version.version, "web_path": version.web_path,
            "title": version.title, "warnings": parsed.warnings, "languages": parsed.languages}


def _fetch(ctx: jobs.JobContext, settings: Settings, blobs: BlobStore, source: dict) -> dict:
    policy = outbound.OutboundPolicy(allow=settings.outbound_allow, max_bytes=settings.max_upload_bytes)
    writer = blobs.open_writer(settings.max_upload_bytes)
    try:
        answered_type = outbound.fetch(source["url"], policy, writer)
        stored = writer.finish()
    finally:
        writer.abort()
    pin_now(ctx.engine, ctx.job_id, [stored.sha256])
    name = posixpath.basename(urlparse(source["url"]).path) or "package"
    return {**source, "sha256": stored.sha256, "size": stored.size, "filename": name,
            "content_type": source.get("content_type") or (answered_type or "").split(";")[0].strip() or None}


def _limits(settings: Settings) -> ZipLimits:
    return ZipLimits(max_entries=settings.package_max_entries, max_ratio=settings.package_max_ratio,
                     max_unpacked_bytes=settings.package_max_unpacked_bytes)


def _unpack(ctx: jobs.JobContext, settings: Settings, blobs: BlobStore, source: dict,
            media: MediaDetails) -> tuple[ParsedPackage, list[StoredFile]]:
    with blobs.local_file(source["sha256"]) as path, open(path, "rb") as fh:  # zips are read from their end
        if is_zip(fh.read(4)):
            archive = SafeZip(fh, _limits(settings))
            parsed = parse_package(ArchiveSource(archive))
            return parsed, _extract(ctx, blobs, path, archive)
    name = posixpath.basename((source.get("filename") or "").replace("\\", "/"))
    kind = media_type(name, source.get("content_type"))
    if kind is None or member_path(name) is None:
        raise DomainError(f"'{name or 'the file'}' is neither a zip package nor a supported media file "
                          "(pdf, mp3, m4a, wav, ogg, mp4, webm, mov)")
    return parse_media(name, name, media), [StoredFile(name, source["sha256"], source["size"], kind)]


def _extract(ctx: jobs.JobContext, blobs: BlobStore, path: str, archive: SafeZip) -> list[StoredFile]:
    """Every entry into the blob store, each pinned to the job within a moment of being stored.
    Workers each read their share through their own handle: storing is file-system bound (a blob is
    a temp file, a fan-out folder, a rename), so a few at a time overlap the waits. Totals stay
    bounded: no entry may exceed its declared size, and the declared sizes were checked against the
    limit before anything was unpacked."""
    parts = [archive.entries[n::EXTRACT_THREADS] for n in range(EXTRACT_THREADS)]
    stop, done, pins = threading.Event(), [0], JobPins(ctx.engine, ctx.job_id)

    def work(part: list) -> list[StoredFile]:
        stored: list[StoredFile] = []
        with open(path, "rb") as fh:
            reader = SafeZip(fh, archive.limits)
            for entry in part:
                if stop.is_set():
                    break
                stored.append(_store_entry(blobs, reader, entry))
                pins.add(stored[-1].sha256)
                done[0] += 1
        return stored

    with ThreadPoolExecutor(EXTRACT_THREADS) as pool:
        futures = [pool.submit(work, part) for part in parts if part]
        try:
            while wait(futures, timeout=0.5, return_when=FIRST_EXCEPTION).not_done:
                pins.flush()
                ctx.progress(5 + 90 * done[0] / len(archive.entries), "extracting the package")
            files = [f for future in futures for f in future.result()]
        finally:
            stop.set()
    pins.flush()
    return files


def _store_entry(blobs: BlobStore, reader: SafeZip, entry) -> StoredFile:  # noqa: ANN001
    writer = blobs.open_writer()
    try:
        for chunk in reader.chunks(entry):
            writer.write(chunk)
        stored = writer.finish()
    finally:
        writer.abort()
    kind = mimetypes.guess_type(entry.path)[0] or "application/octet-stream"
    return StoredFile(entry.path, stored.sha256, stored.size, kind)


def store_version(db: Session, payload: dict, parsed: ParsedPackage, files: list[StoredFile]) -> PackageVersion:
    """The course (created on first import), its next version, files and tags: one transaction."""
    course_id, actor = payload["course_id"], cast(User, db.get(User, payload["user_id"]))  # users are never deleted
    course = find_course(db, actor, course_id)
    if course is not None and not payload["may_create_new_version"]:
        raise Conflict(f"Course '{course_id}' already exists and mayCreateNewVersion is false")
    if course is None:
        course = create_course(db, actor, tenancy.tenant_of(db, actor.id), CourseChanges(name=parsed.title[:255]),
                               offer=True)
        try:
            with db.begin_nested():
                course.scorm_course_id = course_id
                db.flush()
        except IntegrityError:
            raise Conflict(f"Course '{course_id}' was created by another import meanwhile") from None
    newest = db.scalar(select(func.max(PackageVersion.version)).where(PackageVersion.course_id == course.id))
    number = 0 if newest is None else newest + 1
    version = PackageVersion(course_id=course.id, version=number, learning_standard=parsed.learning_standard,
                             title=parsed.title[:512], manifest=parsed.manifest_json(),
                             web_path=f"{course.uuid}/{number}")
    db.add(version)
    course.name, course.updated_at = parsed.title[:255], utcnow()
    db.flush()
    record_blobs(db, {f.sha256: f.size for f in files})
    if files:
        db.execute(insert(PackageFile), [{"version_id": version.id, "path": f.path, "blob_sha256": f.sha256,
                                          "size": f.size, "content_type": f.content_type} for f in files])
    add_tags(db, course, list(payload["tags"]))
    return version


