"""D2L course import jobs: a package uploaded into an offering is parsed and written as content.

The request authorises the caller before it reads the package (`check_import`), streams the
package into a blob and queues the job, pinning the package to it, in its transaction (the package
is kept while the job may still run, re-runs included, and left to the collector once it has ended:
core/kit/blob_lifecycle.py); the job reads the
package through the safe zip reader, parses it (Common Cartridge or IMS content package; SCORM
packages through the shared package parser), then writes every item in one transaction, so the
course gets the whole import or nothing. Its progress message names the adaptation step. Its result
keeps a log: each resource imported (kind, title, identifier), then each one skipped with the reason
(the parser's warnings); a failed job's log is its error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from sqlalchemy.orm import Session

from courseport.core.content import content, pages
from courseport.core.content.module_items import external_url
from courseport.core.courses import courses
from courseport.core.identity.permissions import require
from courseport.core.jobs import job_callbacks, job_timing, jobs
from courseport.core.jobs.job_callbacks import Callback
from courseport.core.kit import blob_lifecycle
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.safe_zip import ArchiveSource, SafeZip, ZipLimits
from courseport.core.packages import cartridges, package_formats, packages
from courseport.core.packages.cartridges import Cartridge, Resource
from courseport.db import transaction
from courseport.schema import Course, Job, User

KIND = "course_import"


def _target(db: Session, actor: User, target_id: int) -> Course:
    target = courses.resolve_course(db, target_id)
    require(courses.course_rights(db, actor, target), "manage_content")
    return target


def check_import(db: Session, actor: User, target_id: int) -> None:
    """Everything a request can refuse before its package arrives: no such offering, no right."""
    _target(db, actor, target_id)


def queue_import(db: Session, actor: User, target_id: int, blob_sha256: str, filename: str | None,
                 callback: Callable[[Job], Callback] | None = None) -> Job:
    """The import job for a package already in the blob store."""
    target = _target(db, actor, target_id)
    job = jobs.enqueue(db, KIND, {"blob_sha256": blob_sha256, "filename": filename,
                                  "target_course_id": target.id}, user_id=actor.id, context_type="Course",
                       context_id=target.id, max_attempts=1)
    blob_lifecycle.pin(db, job.id, [blob_sha256])
    if callback is not None:
        job_callbacks.attach(db, job, callback(job))
    return job


def import_job(db: Session, actor: User, target_id: int, token: str) -> Job:
    target = _target(db, actor, target_id)
    job = db.get(Job, store_id(token)) if is_id(token) else None
    if job is None or job.kind != KIND or job.context_id != target.id:
        raise NotFound("import job", "No such import job.")
    return job_timing.status_read(db, job)


def run_import(ctx: jobs.JobContext) -> dict:
    p = ctx.payload
    ctx.progress(10.0, "PROCESSING", force=True)
    settings = ctx.services.settings
    limits = ZipLimits(max_entries=settings.package_max_entries, max_ratio=settings.package_max_ratio,
                       max_unpacked_bytes=settings.package_max_unpacked_bytes)
    with ctx.services.blobs.local_file(p["blob_sha256"]) as path, open(path, "rb") as fh:
        parsed = _parse(ArchiveSource(SafeZip(fh, limits)))
    ctx.progress(50.0, "PROCESSED", force=True)
    ctx.progress(60.0, "IMPORTING", force=True)
    with transaction(ctx.engine, write=True) as db:
        counts = write_cartridge(db, p["target_course_id"], parsed)
        ctx.confirm_held(db)
    return {"standard": parsed.standard, "created": counts, "warnings": parsed.warnings, "log": log_of(parsed)}


def _parse(source: ArchiveSource) -> Cartridge:
    manifest = packages.find_manifest(source.paths(), "imsmanifest.xml")
    if manifest is None or not cartridges.is_scorm(source.read(manifest, cartridges.MAX_FILE_BYTES)):
        return cartridges.parse_cartridge(source)
    scorm = package_formats.parse_package(source)
    module: dict[str, Any] = {"title": scorm.title, "items": []}
    resources = {}
    for n, node in enumerate(_leaves(scorm.root_activity)):
        ident, url = f"scorm-{n}", _launch_url(node["href"])
        if url is None:
            scorm.warnings.append(f"item {node.get('item_identifier')!r} launches {node['href'][:200]!r}, which is "
                                  "not an http or https URL; it is not imported")
            continue
        resources[ident] = Resource(ident, "link", node.get("title") or ident, data={"url": url, "scorm": True})
        module["items"].append({"title": node.get("title"), "resource": ident})
    return Cartridge(f"SCORM {scorm.learning_standard}", scorm.title, resources, [module], scorm.warnings)


def _launch_url(href: str) -> str | None:
    """A package path as it is; a URL only as the module item API takes it (one rule for links)."""
    if not urlparse(href).scheme:
        return href
    try:
        return external_url(href)
    except InvalidInput:
        return None


def _leaves(node: dict[str, Any]) -> list[dict[str, Any]]:
    kids = node.get("children") or []
    return [node] if not kids and node.get("href") else [leaf for kid in kids for leaf in _leaves(kid)]


_MODULE_ITEM_TYPES = {"page": "Page", "link": "ExternalUrl", "discussion_topic": "Discussion", "quiz": "Quiz"}


def write_cartridge(db: Session, course_id: int, parsed: Cartridge) -> dict[str, int]:
    """Every resource as a content item, the organization as modules; counts per item type."""
    counts: dict[str, int] = {}
    made: dict[str, Any] = {}
    for ident, resource in parsed.resources.items():
        made[ident] = _write_resource(db, course_id, resource, counts)
    for module in parsed.modules:
        parent = content.create_item(db, course_id, "module", {"title": module["title"], "workflow_state": "active"})
        counts["module"] = counts.get("module", 0) + 1
        for entry in module["items"]:
            item, resource = made[entry["resource"]], parsed.resources[entry["resource"]]
            data = {"type": _MODULE_ITEM_TYPES[resource.kind], "external_url": resource.data.get("url")}
            content.create_item(db, course_id, "module_item", {
                "title": entry["title"] or resource.title, "parent_id": parent.id, "ref_id": item.id,
                "workflow_state": "active", "data": data})
            counts["module_item"] = counts.get("module_item", 0) + 1
    return counts


_STATES = {"page": "published", "link": "active", "discussion_topic": "active", "quiz": "published"}


def _write_resource(db: Session, course_id: int, resource: Resource, counts: dict[str, int]) -> Any:
    fields = {"title": resource.title, "body": resource.body, "workflow_state": _STATES[resource.kind],
              "data": resource.data}
    if resource.kind == "page":  # page titles and urls stay unique in the course, as Canvas needs them
        fields["title"], fields["slug"] = pages.unique_title_and_slug(db, course_id, resource.title)
    item = content.create_item(db, course_id, resource.kind, fields)
    counts[resource.kind] = counts.get(resource.kind, 0) + 1
    for question in resource.questions:
        content.create_item(db, course_id, "quiz_question", {
            "title": question["title"], "body": question["text"], "parent_id": item.id, "workflow_state": "published",
            "data": {"question_type": question["question_type"], "answers": question["answers"],
                     "question_name": question["title"]}})
        counts["quiz_question"] = counts.get("quiz_question", 0) + 1
    if resource.questions:
        content.update_item(db, item, {"data": {"question_count": len(resource.questions)}}, local=False)
    return item


@dataclass(frozen=True)
class LogEntry:
    level: str  # "info": imported; "warning": skipped, with why; "error": the import failed
    message: str


def log_of(parsed: Cartridge) -> list[dict[str, str]]:
    """What an import wrote and what it skipped, in the order the package lists them."""
    made = [{"level": "info", "message": f"Imported {r.kind.replace('_', ' ')} '{r.title}' (resource {ident})"}
            for ident, r in parsed.resources.items()]
    made += [{"level": "info", "message": f"Imported module '{m['title']}' with {len(m['items'])} items"}
             for m in parsed.modules]
    return made + [{"level": "warning", "message": f"Skipped: {w}"} for w in parsed.warnings]


def import_log(db: Session, actor: User, target_id: int, token: str) -> list[LogEntry]:
    """The log of an import job the actor may read: empty while it runs, its error if it failed.
    Jobs finished before logs were kept have their warnings as the log."""
    job = import_job(db, actor, target_id, token)
    if job.state == "failed":
        return [LogEntry("error", job.error or "The import failed.")]
    result = job.result or {}
    entries = result.get("log")
    if entries is None:
        entries = [{"level": "warning", "message": f"Skipped: {w}"} for w in result.get("warnings", [])]
    return [LogEntry(e["level"], e["message"]) for e in entries]
