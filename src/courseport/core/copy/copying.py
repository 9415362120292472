"""Course copy: queue a copy as a job, and the job that copies a course's content in one transaction.

The target's content appears all at once or not at all: every step runs in one write transaction
(on PostgreSQL at REPEATABLE READ, so the source is read as one snapshot, with the target course
row locked so two copies into one target never interleave; on SQLite BEGIN IMMEDIATE does both).
The steps are set-based SQL (`copy_tables`) plus a few row-level fix-ups (`copy_links`). Files
share their blobs: a copy writes file rows, never bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Engine, func, literal_column, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from courseport.core.content.content import FILES, ITEM_TYPES, SETTINGS
from courseport.core.copy import copy_links, copy_tables, late_copies, outcome_copies
from courseport.core.courses.courses import CourseChanges, create_course, readable_course
from courseport.core.identity.permissions import require_any
from courseport.core.jobs import jobs
from courseport.core.kit.errors import DomainError, InvalidInput, NotFound
from courseport.db import SERIALIZATION_FAILURE, sqlstate, transaction
from courseport.schema import ContentItem, Course, File, Folder, Job, User

KIND = "course_copy"
SOURCE_RIGHTS = ("read_as_admin", "manage_content")
_RETRIES = 5


def queue_copy(db: Session, actor: User, source_ref: str | int, target_ref: str | int | None,
               selection: frozenset[str], *, picked: dict[str, list[int]] | None = None,
               new_course: CourseChanges | None = None, extra: dict[str, Any] | None = None) -> Job:
    """Check rights and write the copy job (in the caller's transaction).

    `selection` is what `components.selection(...)` returns (types copied whole); `picked` adds chosen
    source ids per item type ("file" and "folder" for files), each with what it needs; no target
    means a new course in the source's account made from `new_course` fields. `extra` is kept on
    the job for the dialect that renders it.
    """
    source, source_rights = readable_course(db, actor, source_ref)
    require_any(source_rights, *SOURCE_RIGHTS)
    if target_ref is None:
        target = create_course(db, actor, source.account_id, new_course or CourseChanges(name=source.name))
    else:
        target, _ = readable_course(db, actor, target_ref, "manage_content")
    if target.id == source.id:
        raise InvalidInput("source", "a course cannot be copied into itself")
    unknown = sorted(set(picked or {}) - ITEM_TYPES - {"file", "folder"})
    if unknown:
        raise InvalidInput("picked", f"unknown content types to pick: {', '.join(unknown)}")
    payload = {"source_course_id": source.id, "target_course_id": target.id, "selection": sorted(selection),
               "picked": {k: sorted({int(i) for i in v}) for k, v in (picked or {}).items()}
               if picked is not None else None, **(extra or {})}
    return jobs.enqueue(db, KIND, payload, user_id=actor.id, context_type="Course", context_id=target.id,
                        max_attempts=3)


def run_copy(ctx: jobs.JobContext) -> dict:
    ctx.progress(0.0, "copying", force=True)
    # On SQLite a progress report would wait behind the copy's own write lock: report only around it.
    on_step = None if ctx.engine.dialect.name == "sqlite" else ctx.progress
    return copy_course(ctx.engine, ctx.payload, on_step=on_step, fence=ctx.confirm_held)


def copy_course(engine: Engine, payload: dict[str, Any], on_step: Callable[[float, str], None] | None = None,
                fence: Callable[[Session], None] | None = None) -> dict[str, Any]:
    """Copy as the payload says, in one transaction (retried when PostgreSQL cannot serialise it).

    `fence(db)` runs last in that transaction: a job handler checks there that it still holds the
    job, so a worker that lost its lease cannot commit a copy as well.
    """
    for attempt in range(_RETRIES):
        try:
            with transaction(engine, write=True) as db:
                if engine.dialect.name == "postgresql":
                    db.connection(execution_options={"isolation_level": "REPEATABLE READ"})
                result = _copy_in(db, payload, on_step)
                if fence is not None:
                    fence(db)
                return result
        except OperationalError as exc:
            if sqlstate(exc) != SERIALIZATION_FAILURE or attempt == _RETRIES - 1:
                raise
    raise DomainError("the copy could not be serialised with concurrent copies")  # pragma: no cover


def _copy_in(db: Session, payload: dict[str, Any], on_step: Callable[[float, str], None] | None) -> dict[str, Any]:
    target = _lock_target(db, payload["target_course_id"])
    if db.get(Course, payload["source_course_id"]) is None:
        raise NotFound("course", "the source course no longer exists")
    plan = _plan(db, payload, target)
    skipped = copy_tables.skipped_module_items(db, plan)
    plan = replace(plan, skipped=frozenset(s["id"] for s in skipped), earlier=copy_tables.holds_copies(db, plan))
    revived = copy_tables.deleted_copies(db, plan)
    folders = copy_tables.copy_folders(db, plan)
    files = copy_tables.copy_files(db, plan, new_uuid(db))
    _step(on_step, 25.0, "files copied")
    copy_tables.copy_items(db, plan)
    inserted, updated = copy_tables.written_items(db, plan)
    _step(on_step, 60.0, "content copied")
    copy_tables.copy_links(db, plan)
    settings = copy_tables.copy_settings(db, plan)
    copy_links.settle_page_urls(db, plan)
    copy_links.keep_target_front_page(db, plan)
    copy_links.remap_prerequisites(db, plan)
    outcome_copies.remap_outcome_groups(db, plan)
    outcome_copies.remap_rubric_outcomes(db, plan)
    late_copies.settle_late_work(db, plan)
    rewritten = copy_links.rewrite_bodies(db, plan)
    copy_links.rewrite_syllabus(db, plan)
    _step(on_step, 90.0, "references rewritten")
    copied = {typ: inserted.get(typ, 0) + revived.get(typ, 0) for typ in {*inserted, *revived}}
    updated = {typ: n - revived.get(typ, 0) for typ, n in updated.items() if n - revived.get(typ, 0)}
    return _result(plan, copied, updated, revived, files, folders, settings, rewritten, skipped)


def _lock_target(db: Session, target_id: int) -> Course:
    """Lock the target course row; touching it makes a concurrent copy that waited retry on a fresh snapshot."""
    target = db.scalar(select(Course).where(Course.id == target_id).with_for_update())
    if target is None or target.workflow_state == "deleted":
        raise NotFound("course", "the target course no longer exists")
    db.execute(update(Course).where(Course.id == target_id).values(updated_at=_stamp()))
    return target


def _stamp() -> datetime:
    return datetime.now(UTC)


def _step(on_step: Callable[[float, str], None] | None, percent: float, message: str) -> None:
    if on_step is not None:
        on_step(percent, message)


_NEW_UUID = {"postgresql": literal_column("replace(gen_random_uuid()::text, '-', '')"),
             "sqlite": func.lower(func.hex(func.randomblob(16)))}


def new_uuid(db: Session):  # noqa: ANN202
    return _NEW_UUID["postgresql" if db.get_bind().dialect.name == "postgresql" else "sqlite"]


def _plan(db: Session, payload: dict[str, Any], target: Course) -> copy_tables.CopyPlan:
    chosen = frozenset(payload["selection"])
    types = frozenset(chosen & ITEM_TYPES)
    base = dict(source_id=payload["source_course_id"], target_id=target.id, types=types, files=FILES in chosen,
                settings=SETTINGS in chosen, stamp=_stamp())
    picked = payload.get("picked")
    if picked is None:
        return copy_tables.CopyPlan(**base)
    items = _picked_closure(db, base["source_id"], {int(i) for k, v in picked.items()
                                                    if k not in ("file", "folder") for i in v})
    files = set(picked.get("file", [])) | _module_files(db, items)
    folders = _folder_paths(db, base["source_id"], files, set(picked.get("folder", [])))
    return copy_tables.CopyPlan(**base, picked_items=frozenset(items), picked_files=frozenset(files),
                                picked_folders=frozenset(folders))


def _picked_closure(db: Session, course_id: int, ids: set[int]) -> set[int]:
    """Chosen items plus what they need: a module's items and their targets, a quiz's questions,
    the assignment of a graded quiz or topic, an assignment's group, a module item's module."""
    rows = db.execute(select(ContentItem.id, ContentItem.type, ContentItem.parent_id, ContentItem.ref_id)
                      .where(ContentItem.course_id == course_id, ContentItem.workflow_state != "deleted")).all()
    children: dict[int, list[int]] = {}
    for row in rows:
        if row.parent_id and row.type in ("module_item", "quiz_question"):
            children.setdefault(row.parent_id, []).append(row.id)
    by_id = {row.id: row for row in rows}
    chosen, todo = set(), [i for i in ids if i in by_id]
    while todo:
        item = by_id.get(todo.pop())
        if item is None or item.id in chosen:
            continue
        chosen.add(item.id)
        todo += children.get(item.id, [])
        todo += [i for i in (item.ref_id, item.parent_id) if i]
    return chosen


def _module_files(db: Session, items: set[int]) -> set[int]:
    if not items:
        return set()
    return cast(set[int], {i for i in db.scalars(select(ContentItem.file_id).where(ContentItem.id.in_(sorted(items)),
                                                                                   ContentItem.file_id.is_not(None)))})


def _folder_paths(db: Session, course_id: int, file_ids: set[int], folder_ids: set[int]) -> set[str]:
    """The chosen folders and the folders of chosen files, with every ancestor path."""
    paths = set(db.scalars(select(File.folder_path).where(File.id.in_(sorted(file_ids)), File.course_id == course_id)))
    paths |= set(db.scalars(select(Folder.full_name).where(Folder.id.in_(sorted(folder_ids)),
                                                           Folder.course_id == course_id)))
    return {"/".join(path.split("/")[:n]) for path in paths for n in range(1, path.count("/") + 2)}


def _result(plan: copy_tables.CopyPlan, copied: dict[str, int], updated: dict[str, int], revived: dict[str, int],
            files: tuple[int, int], folders: tuple[int, int], settings: int, rewritten: int,
            skipped: list[dict]) -> dict[str, Any]:
    for name, (new, old) in (("file", files), ("folder", folders)):
        if new:
            copied[name] = new
        if old:
            updated[name] = old
    return {"source_course_id": plan.source_id, "target_course_id": plan.target_id,
            "copied": dict(sorted(copied.items())), "updated": dict(sorted(updated.items())),
            "recreated": dict(sorted(revived.items())), "settings_copied": plan.settings,
            "course_settings_rows": settings, "links_rewritten": rewritten, "blob_bytes_written": 0,
            "skipped": skipped}
