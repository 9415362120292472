"""Package import jobs: upload (bytes already streamed to the blob store), fetch (a URL, fetched
by the job through core/outbound.py) and reference (a media URL, nothing stored).

The request checks what it can (credentials, courseId, mayCreateNewVersion, tags, postbackUrl)
and writes the job in its transaction. The job unpacks the package entry by entry into blobs
(never whole in memory), parses its manifest, then writes the course, version, files and tags in
one transaction: a failure leaves no course, no version, no rows, and removes the blobs it wrote.
When the job ends, its outcome is POSTed to `postbackUrl` (with retries) in SCORM Cloud's
import-result shape.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import posixpath
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.core.ids import store_id, is_id
from courseport.blobs import BlobStore, StoredBlob
from courseport.core import accounts, jobs, outbound
from courseport.core.courses import create_course
from courseport.core.errors import Conflict, DomainError, InvalidInput, NotFound
from courseport.core.packages import ParsedPackage, media_type, parse_media, parse_package
from courseport.core.safe_zip import ArchiveSource, SafeZip, ZipLimits, is_zip, member_path
from courseport.core.scorm_courses import CourseView, find_course, require_app_admin, tags_of
from courseport.core.tags import add_tags, clean_tags
from courseport.db import transaction
from courseport.schema import Blob, Job, PackageFile, PackageVersion, User
from courseport.schema.base import utcnow
from courseport.settings import Settings

KIND = "package_import"
POSTBACK_DELAYS = (0.0, 1.0, 4.0)  # seconds before each postback attempt
MAX_COURSE_ID = 255
EXTRACT_THREADS = 4
log = logging.getLogger("courseport.imports")


@dataclass(frozen=True)
class ImportOptions:
    course_id: str
    may_create_new_version: bool = False
    postback_url: str | None = None
    tags: tuple[str, ...] = ()


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
        raise InvalidInput("courseId", "courseId is required")
    if len(course_id) > MAX_COURSE_ID or "/" in course_id or "\\" in course_id:
        raise InvalidInput("courseId", f"courseId must be at most {MAX_COURSE_ID} characters, without slashes")
    clean_tags(list(options.tags))
    if options.postback_url:
        outbound.check_url(options.postback_url, "postbackUrl")
    if not options.may_create_new_version and find_course(db, course_id) is not None:
        raise Conflict(f"Course '{course_id}' already exists and mayCreateNewVersion is false")


def _queue(db: Session, actor: User, options: ImportOptions, source: dict[str, Any], media: dict | None) -> Job:
    check_import(db, actor, options)
    payload = {"course_id": options.course_id, "may_create_new_version": options.may_create_new_version,
               "postback_url": options.postback_url, "tags": clean_tags(list(options.tags)), "source": source,
               "media": media or {}, "user_id": actor.id}
    return jobs.enqueue(db, KIND, payload, user_id=actor.id)


def queue_upload(db: Session, actor: User, options: ImportOptions, stored: StoredBlob, filename: str | None,
                 content_type: str | None, media: dict | None = None) -> Job:
    source = {"kind": "upload", "sha256": stored.sha256, "size": stored.size, "filename": filename or "package",
              "content_type": content_type}
    return _queue(db, actor, options, source, media)


def queue_fetch(db: Session, actor: User, options: ImportOptions, url: str | None, content_type: str | None,
                media: dict | None = None) -> Job:
    outbound.check_url(url or "", "url")
    return _queue(db, actor, options, {"kind": "fetch", "url": url, "content_type": content_type}, media)


def queue_reference(db: Session, actor: User, options: ImportOptions, url: str | None, content_type: str | None,
                    media: dict | None = None) -> Job:
    outbound.check_url(url or "", "url")
    if media_type(urlparse(url).path, content_type) is None:
        raise InvalidInput("contentType", f"a referenced file must be a media file, not {content_type!r}")
    return _queue(db, actor, options, {"kind": "reference", "url": url, "content_type": content_type}, media)


def import_status(db: Session, actor: User, job_id: str) -> ImportOutcome:
    require_app_admin(db, actor)
    job = db.get(Job, store_id(job_id)) if is_id(job_id) else None
    if job is None or job.kind != KIND:
        raise NotFound("import job", f"Import job '{job_id}' not found")
    view = None
    if job.state == "completed" and job.result:
        course = find_course(db, job.result["course_id"])
        version = course and db.scalar(select(PackageVersion).where(
            PackageVersion.course_id == course.id, PackageVersion.version == job.result["version"]))
        if version is not None:
            view = CourseView(course, version, tags_of(db, [course.id])[course.id])
    return ImportOutcome(job, view)


def job_services(ctx: jobs.JobContext) -> tuple[Settings, BlobStore]:
    """The settings and blob store of the process running the job."""
    services = getattr(ctx, "services", None)
    if services is not None:
        return services.settings, services.blobs
    from courseport.blobs import LocalBlobStore  # a worker process without services: its environment

    settings = Settings.from_env()
    return settings, LocalBlobStore(settings.blob_dir)


@jobs.job_handler(KIND)
def run_package_import(ctx: jobs.JobContext) -> dict:
    settings, blobs = job_services(ctx)
    payload, fresh = ctx.payload, []
    try:
        result = _import(ctx, settings, blobs, fresh)
    except DomainError as exc:
        discard_unreferenced(ctx.engine, blobs, fresh + [payload["source"].get("sha256")])
        post_outcome(settings, payload, ctx.job_id, "ERROR", exc.message, None)
        raise
    except Exception:
        discard_unreferenced(ctx.engine, blobs, fresh)
        raise
    discard_unreferenced(ctx.engine, blobs, [payload["source"].get("sha256"), result.pop("source_sha256", None)])
    result["postback"] = post_outcome(settings, payload, ctx.job_id, "COMPLETE", None, result)
    return result


def _import(ctx: jobs.JobContext, settings: Settings, blobs: BlobStore, fresh: list[str]) -> dict:
    source, media = ctx.payload["source"], ctx.payload["media"]
    source_sha = None
    if source["kind"] == "reference":
        parsed, files = parse_media(urlparse(source["url"]).path or "media", source["url"], media), []
    else:
        if source["kind"] == "fetch":
            ctx.progress(2, "fetching the package", force=True)
            source = _fetch(settings, blobs, source, fresh)
        source_sha = source["sha256"]
        parsed, files = _unpack(ctx, settings, blobs, source, media, fresh)
    with transaction(ctx.engine, write=True) as db:
        version = store_version(db, ctx.payload, parsed, files)
    return {"course_id": ctx.payload["course_id"], "version": version.version, "web_path": version.web_path,
            "title": version.title, "warnings": parsed.warnings, "languages": parsed.languages,
            "source_sha256": source_sha}


def _fetch(settings: Settings, blobs: BlobStore, source: dict, fresh: list[str]) -> dict:
    policy = outbound.OutboundPolicy(allow=settings.outbound_allow, max_bytes=settings.max_upload_bytes)
    writer = blobs.open_writer(settings.max_upload_bytes)
    try:
        answered_type = outbound.fetch(source["url"], policy, writer)
        stored = writer.finish()
    finally:
        writer.abort()
    if stored.bytes_written:
        fresh.append(stored.sha256)
    name = posixpath.basename(urlparse(source["url"]).path) or "package"
    return {**source, "sha256": stored.sha256, "size": stored.size, "filename": name,
            "content_type": source.get("content_type") or (answered_type or "").split(";")[0].strip() or None}


@contextmanager
def local_copy(blobs: BlobStore, sha256: str) -> Iterator[str]:
    """A seekable file of the blob (zip directories sit at the end): the blob itself when local."""
    if hasattr(blobs, "path_of"):
        yield str(blobs.path_of(sha256))
        return
    fd, path = tempfile.mkstemp(suffix=".zip")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in blobs.open_chunks(sha256):
                out.write(chunk)
        yield path
    finally:
        os.unlink(path)


def _limits(settings: Settings) -> ZipLimits:
    return ZipLimits(max_entries=settings.package_max_entries, max_ratio=settings.package_max_ratio,
                     max_unpacked_bytes=settings.package_max_unpacked_bytes)


def _unpack(ctx: jobs.JobContext, settings: Settings, blobs: BlobStore, source: dict, media: dict,
            fresh: list[str]) -> tuple[ParsedPackage, list[StoredFile]]:
    with local_copy(blobs, source["sha256"]) as path, open(path, "rb") as fh:
        if is_zip(fh.read(4)):
            archive = SafeZip(fh, _limits(settings))
            parsed = parse_package(ArchiveSource(archive))
            return parsed, _extract(ctx, blobs, path, archive, fresh)
    name = posixpath.basename((source.get("filename") or "").replace("\\", "/"))
    kind = media_type(name, source.get("content_type"))
    if kind is None or member_path(name) is None:
        raise DomainError(f"'{name or 'the file'}' is neither a zip package nor a supported media file "
                          "(pdf, mp3, m4a, wav, ogg, mp4, webm, mov)")
    return parse_media(name, name, media), [StoredFile(name, source["sha256"], source["size"], kind)]


def _extract(ctx: jobs.JobContext, blobs: BlobStore, path: str, archive: SafeZip,
             fresh: list[str]) -> list[StoredFile]:
    """Every entry into the blob store. Workers each read their share through their own handle:
    storing is file-system bound (a blob is a temp file, a fan-out folder, a rename), so a few at a
    time overlap the waits. Totals stay bounded: no entry may exceed its declared size, and the
    declared sizes were checked against the limit before anything was unpacked."""
    parts = [archive.entries[n::EXTRACT_THREADS] for n in range(EXTRACT_THREADS)]
    stop, done = threading.Event(), [0]

    def work(part: list) -> list[StoredFile]:
        stored: list[StoredFile] = []
        with open(path, "rb") as fh:
            reader = SafeZip(fh, archive.limits)
            for entry in part:
                if stop.is_set():
                    break
                stored.append(_store_entry(blobs, reader, entry, fresh))
                done[0] += 1
        return stored

    with ThreadPoolExecutor(EXTRACT_THREADS) as pool:
        futures = [pool.submit(work, part) for part in parts if part]
        try:
            while wait(futures, timeout=0.5, return_when=FIRST_EXCEPTION).not_done:
                ctx.progress(5 + 90 * done[0] / len(archive.entries), "extracting the package")
            return [f for future in futures for f in future.result()]
        finally:
            stop.set()


def _store_entry(blobs: BlobStore, reader: SafeZip, entry, fresh: list[str]) -> StoredFile:  # noqa: ANN001
    writer = blobs.open_writer()
    try:
        for chunk in reader.chunks(entry):
            writer.write(chunk)
        stored = writer.finish()
    finally:
        writer.abort()
    if stored.bytes_written:
        fresh.append(stored.sha256)
    kind = mimetypes.guess_type(entry.path)[0] or "application/octet-stream"
    return StoredFile(entry.path, stored.sha256, stored.size, kind)


def store_version(db: Session, payload: dict, parsed: ParsedPackage, files: list[StoredFile]) -> PackageVersion:
    """The course (created on first import), its next version, files and tags: one transaction."""
    course_id, actor = payload["course_id"], db.get(User, payload["user_id"])
    course = find_course(db, course_id)
    if course is not None and not payload["may_create_new_version"]:
        raise Conflict(f"Course '{course_id}' already exists and mayCreateNewVersion is false")
    if course is None:
        course = create_course(db, actor, accounts.ROOT_ACCOUNT_ID, {"name": parsed.title[:255]}, offer=True)
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


def record_blobs(db: Session, sizes: dict[str, int]) -> None:
    """Blob rows for stored bytes, in one statement; rows another writer made first are kept."""
    if not sizes:
        return
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    rows = [{"sha256": sha, "size": size, "created_at": utcnow()} for sha, size in sizes.items()]
    db.execute(dialect_insert(Blob).on_conflict_do_nothing(index_elements=["sha256"]), rows)


def discard_unreferenced(engine, blobs: BlobStore, shas: list[str | None]) -> None:  # noqa: ANN001
    """Delete blobs this import wrote that no row refers to (it failed, or they were scaffolding)."""
    wanted = {s for s in shas if s}
    if not wanted:
        return
    with transaction(engine, write=False) as db:
        kept = set(db.scalars(select(Blob.sha256).where(Blob.sha256.in_(wanted))))
    for sha in wanted - kept:
        blobs.delete(sha)


def postback_body(job_id: int, status: str, message: str | None, result: dict | None) -> dict:
    """SCORM Cloud's import job result shape; the course as a reference (id, title, version)."""
    body: dict[str, Any] = {"jobId": str(job_id), "status": status}
    if message:
        body["message"] = message
    if result:
        body["importResult"] = {
            "webPathToCourse": result["web_path"], "parserWarnings": result["warnings"],
            "courseLanguages": result["languages"],
            "course": {"id": result["course_id"], "title": result["title"], "version": result["version"]}}
    return body


def post_outcome(settings: Settings, payload: dict, job_id: int, status: str, message: str | None,
                 result: dict | None) -> str | None:
    """POST the outcome to the job's postbackUrl; a 2xx answer ends the retries. Returns what happened."""
    url = payload.get("postback_url")
    if not url:
        return None
    policy = outbound.OutboundPolicy(allow=settings.outbound_allow, timeout=15.0)
    outcome = "not sent"
    for delay in POSTBACK_DELAYS:
        time.sleep(delay)
        try:
            code = outbound.post_json(url, postback_body(job_id, status, message, result), policy)
        except outbound.OutboundRefused as exc:
            return f"refused: {exc.message}"
        except DomainError as exc:
            outcome = f"failed: {exc.message}"
            continue
        if 200 <= code < 300:
            return "delivered"
        outcome = f"failed: answered {code}"
    log.warning("postback for import job %s to %s %s", job_id, url, outcome)
    return outcome

