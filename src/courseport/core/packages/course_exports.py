"""Course exports: a course's content written as an IMS Common Cartridge by a background job.

The export is the job (its id is the export's, its progress the export's progress). The job reads the
course in one read transaction (live pages, discussion topics, quizzes with their questions, and the
modules with their items), writes the cartridge (`cartridge_writer`) to a temporary file, streams it to
the blob store and, in one transaction that checks the job is still its own, records it as a file of the
exporting user (in no course folder: its owner reads it, and the export's attachment URL carries its
verifier). A worker that dies mid-way leaves at most unreferenced bytes, which the collector takes after
its grace period; the job is then retried or failed by the job system. What a cartridge cannot carry
(assignments, files, module items of other kinds) is named in the result's `skipped`.
"""

from __future__ import annotations

import tempfile
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content import files
from courseport.core.courses import courses
from courseport.core.identity.permissions import require
from courseport.core.jobs import job_timing, jobs
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.core.packages.cartridge_writer import Entry, Module, Question, write_cartridge
from courseport.db import transaction
from courseport.schema import ContentItem, Course, File, Job, User

KIND = "content_export"
EXPORT_TYPES = ("common_cartridge",)
_WRITE_CHUNK = 1024 * 1024
_LIVE = ContentItem.workflow_state != "deleted"
_ITEM_KINDS = {"Page": "page", "Discussion": "discussion_topic", "Quiz": "quiz"}


def _exportable(db: Session, actor: User, course_ref: str | int) -> Course:
    course = courses.resolve_course(db, course_ref)
    require(courses.course_rights(db, actor, course), "manage_content")
    return course


def queue_export(db: Session, actor: User, course_ref: str | int, export_type: str | None) -> Job:
    course = _exportable(db, actor, course_ref)
    if export_type not in EXPORT_TYPES:
        raise InvalidInput("export_type", f"export_type must be one of {', '.join(EXPORT_TYPES)}")
    return jobs.enqueue(db, KIND, {"course_id": course.id, "export_type": export_type, "user_id": actor.id},
                        user_id=actor.id, context_type="Course", context_id=course.id)


def export_job(db: Session, actor: User, course_ref: str | int, export_id: str) -> Job:
    course = _exportable(db, actor, course_ref)
    job = db.get(Job, store_id(export_id)) if is_id(export_id) else None
    if job is None or job.kind != KIND or job.context_id != course.id:
        raise NotFound("content export")
    return job_timing.status_read(db, job)


def list_exports(db: Session, actor: User, course_ref: str | int, window: Window) -> Slice[Job]:
    """The course's exports, newest first."""
    course = _exportable(db, actor, course_ref)
    stmt = select(Job).where(Job.kind == KIND, Job.context_type == "Course", Job.context_id == course.id)
    return fetch_window(db, stmt.order_by(Job.id.desc()), window)


def exported_file(db: Session, job: Job) -> File | None:
    """The cartridge a finished export wrote, while its file lives."""
    file_id = (job.result or {}).get("file_id") if job.state == "completed" else None
    file = db.get(File, file_id) if file_id else None
    return file if file is not None and file.workflow_state != "deleted" else None


def run_export(ctx: jobs.JobContext) -> dict[str, Any]:
    ctx.progress(10.0, "exporting", force=True)
    with transaction(ctx.engine, write=False) as db:
        course = db.get_one(Course, ctx.payload["course_id"])
        title, name = course.name, f"{course.course_code or 'course'}-export.imscc"
        entries, modules, skipped = _contents(db, course.id)
    with tempfile.TemporaryFile() as spool:
        write_cartridge(spool, title, entries, modules)
        spool.seek(0)
        stored = ctx.services.blobs.put_stream(iter(lambda: spool.read(_WRITE_CHUNK), b""))
    ctx.progress(90.0, "storing", force=True)
    with transaction(ctx.engine, write=True) as db:
        owner = db.get_one(User, ctx.payload["user_id"])
        file = files.own_file(db, owner, name, "application/zip", stored, folder_path=files.EXPORTS)
        ctx.confirm_held(db)
        file_id = file.id
    return {"file_id": file_id, "exported": _counts(entries, modules), "skipped": skipped}


def _counts(entries: list[Entry], modules: list[Module]) -> dict[str, int]:
    counts = {"module": len(modules)}
    for entry in entries:
        counts[entry.kind] = counts.get(entry.kind, 0) + 1
    return counts


def _contents(db: Session, course_id: int) -> tuple[list[Entry], list[Module], list[str]]:
    """The course's resources and modules as the cartridge writer takes them, and what it leaves out."""
    items = list(db.scalars(select(ContentItem).where(ContentItem.course_id == course_id,
                                                      ContentItem.group_id.is_(None), _LIVE)
                            .order_by(ContentItem.position, ContentItem.id)))
    children: dict[int, list[ContentItem]] = {}  # a quiz's questions, a module's items, in order
    for item in items:
        if item.parent_id is not None and item.type in ("quiz_question", "module_item"):
            children.setdefault(item.parent_id, []).append(item)
    entries = {item.id: entry for item in items if (entry := _entry(item, children)) is not None}
    links: list[Entry] = []
    modules, skipped = [], [f"{i.type} {i.title!r}" for i in items if i.type in ("assignment", "file")]
    for module in (i for i in items if i.type == "module"):
        refs = []
        for mi in children.get(module.id, []):
            kind = (mi.data or {}).get("type")
            target = entries.get(mi.ref_id or 0) if kind in _ITEM_KINDS else None
            if kind == "ExternalUrl":
                target = Entry(f"link_{mi.id}", "link", mi.title, url=(mi.data or {}).get("external_url") or "")
                links.append(target)
            if target is None:
                skipped.append(f"module item {mi.title!r} ({kind})")
                continue
            refs.append((mi.title or target.title, target.identifier))
        modules.append(Module(module.title, refs))
    return [*entries.values(), *links], modules, skipped


def _entry(item: ContentItem, children: dict[int, list[ContentItem]]) -> Entry | None:
    if item.type == "page":
        return Entry(f"page_{item.id}", "page", item.title, body=item.body or "")
    if item.type == "discussion_topic":
        return Entry(f"topic_{item.id}", "discussion_topic", item.title, body=item.body or "")
    if item.type != "quiz":
        return None
    questions = [Question(q.title, q.body or "", (q.data or {}).get("question_type") or "essay",
                          list((q.data or {}).get("answers") or []))
                 for q in children.get(item.id, []) if q.type == "quiz_question"]
    return Entry(f"quiz_{item.id}", "quiz", item.title, questions=questions)
