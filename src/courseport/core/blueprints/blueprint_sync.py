"""The blueprint sync job: export what changed in the blueprint since the start of the last
completed sync, then import it into every associated course, one transaction per course.

A newly associated course gets a full initial sync through the copy engine (only that course);
every other course gets the exported changes (`blueprint_imports.apply_changes`). A failure in
one course marks that course's import failed (and the sync imports_failed) while the other
courses keep their results.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Engine, Table, func, or_, select, update
from sqlalchemy.orm import Session

from courseport.core.blueprints import blueprint_files, blueprint_locks
from courseport.core.blueprints.blueprint_imports import Export, apply_changes, load_targets
from courseport.core.content.content import ALL_SELECTABLE, RESTRICTION_CLASSES, SETTINGS, TRACKED_FIELDS
from courseport.core.copy.copying import copy_course
from courseport.core.courses import courses
from courseport.core.jobs import jobs
from courseport.core.kit.errors import DomainError, InvalidInput, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.db import transaction
from courseport.schema import (
    BlueprintChange,
    BlueprintException,
    BlueprintImport,
    BlueprintLock,
    BlueprintMigration,
    BlueprintSubscription,
    BlueprintTemplate,
    ContentItem,
    ContentLink,
    Course,
    File,
)

KIND = "blueprint_sync"
BATCH = 25  # courses whose (non-initial) imports share a transaction
log = logging.getLogger("courseport.blueprints")
RUNNING = ("queued", "exporting", "imports_queued")
FINISHED = ("completed", "imports_failed")


@dataclass(frozen=True)
class Change:
    item_id: int  # the course id for initial_sync and settings records
    asset_type: str
    asset_name: str
    change_type: str
    locked: bool


@dataclass(frozen=True)
class ChangeRecord:
    change: BlueprintChange
    exceptions: list[BlueprintException]


def _now() -> datetime:
    return datetime.now(UTC)


def keep_blueprint_while_syncing(db: Session, course: Course, changes: courses.CourseChanges) -> None:
    """A blueprint with associated courses cannot stop being one while a sync of it runs."""
    if changes.blueprint is not False or not course.blueprint:
        return
    running = db.scalar(select(BlueprintMigration.id).join(BlueprintTemplate).where(
        BlueprintTemplate.course_id == course.id, BlueprintMigration.workflow_state.in_(RUNNING)).limit(1))
    if running is not None:
        raise InvalidInput("blueprint", "cannot stop being a blueprint course while a sync is running")


def last_sync_start(db: Session, template_id: int) -> datetime | None:
    return db.scalar(select(func.max(BlueprintMigration.exports_started_at)).where(
        BlueprintMigration.template_id == template_id, BlueprintMigration.workflow_state.in_(FINISHED)))


def changes_since(db: Session, template: BlueprintTemplate, blueprint: Course, since: datetime | None) -> list[Change]:
    """The blueprint's items and files created, updated (or re-locked) or deleted at or after `since`;
    all if None."""
    item = ContentItem
    stmt = select(item.id, item.type, item.title, item.workflow_state, item.created_at, item.updated_at,
                  item.local_edits).where(item.course_id == blueprint.id, item.group_id.is_(None)).order_by(item.id)
    relocked: set[int] = set()
    if since is None:
        stmt = stmt.where(item.workflow_state != "deleted")
    else:
        relocked = set(db.scalars(select(BlueprintLock.item_id).where(
            BlueprintLock.template_id == template.id, BlueprintLock.kind == "item", BlueprintLock.updated_at >= since)))
        # Some writers stamp updated_at to the second: read the whole second, then keep what changed after `since`.
        floor = since.replace(microsecond=0)
        stmt = stmt.where(or_(item.updated_at >= floor, item.created_at >= floor, item.id.in_(sorted(relocked))))
    locks = blueprint_locks.locks_of(db, template, blueprint)
    out = []
    for row in db.execute(stmt).all():
        new = since is None or row.created_at >= since
        if since is not None and not new and row.id not in relocked and not _changed_after(row, since):
            continue
        if row.workflow_state == "deleted" and new:
            continue  # created and deleted since the last sync: nothing to tell the courses
        kind = "deleted" if row.workflow_state == "deleted" else "created" if new else "updated"
        out.append(Change(row.id, row.type, row.title or "", kind, bool(locks.get(row.id))))
    file_locks = blueprint_locks.file_locks(db, template, blueprint)
    return out + [Change(f.id, blueprint_files.ASSET_TYPE, f.display_name, kind, bool(file_locks.get(f.id)))
                  for f, kind in blueprint_files.changed_files(db, blueprint.id, since)]


def _changed_after(row: Any, since: datetime) -> bool:
    edits = [datetime.fromisoformat(at) for at in (row.local_edits or {}).values()]
    if edits:
        return max(edits) >= since or (row.updated_at > since and row.updated_at.microsecond != 0)
    return row.updated_at >= since


def change_records(db: Session, migration_id: int, result: BlueprintImport | None,
                   window: Window) -> Slice[ChangeRecord]:
    """A sync's change records with their exceptions (only the course's own, for an import)."""
    page = fetch_window(db, select(BlueprintChange).where(BlueprintChange.migration_id == migration_id)
                        .order_by(BlueprintChange.id), window)
    stmt = select(BlueprintException).where(BlueprintException.change_id.in_([c.id for c in page.items]))
    if result is not None:
        stmt = stmt.where(BlueprintException.import_id == result.id)
    by_change: dict[int, list[BlueprintException]] = {}
    for row in db.scalars(stmt.order_by(BlueprintException.id)):
        by_change.setdefault(row.change_id, []).append(row)
    return Slice([ChangeRecord(c, by_change.get(c.id, [])) for c in page.items], page.has_more)


def run_sync(ctx: jobs.JobContext) -> dict:
    migration_id = ctx.payload["migration_id"]
    try:
        export = _export(ctx.engine, migration_id)
    except Exception as exc:  # noqa: BLE001 - recorded on the sync; a retry would export nothing
        _fail_export(ctx.engine, migration_id, exc)
        raise DomainError(f"the export failed: {_message(exc)}") from exc
    pending = _pending_imports(ctx.engine, migration_id)
    done = 0
    for batch in _batches(pending):
        ctx.progress(100.0 * done / max(len(pending), 1), "importing")
        done += len(batch)
        if len(batch) > 1 and _import_batch(ctx, export, batch):
            continue
        for import_id, course_id, initial in batch:  # alone, so that a failure is that course's own
            try:
                _import_one(ctx, export, import_id, course_id, initial)
            except jobs.JobLost:
                raise
            except Exception as exc:  # noqa: BLE001 - one course's failure is that course's result
                _fail_import(ctx.engine, import_id, exc)
    return _finish(ctx.engine, migration_id)


def _batches(pending: list[tuple[int, int, bool]]) -> Iterator[list[tuple[int, int, bool]]]:
    """Initial imports one by one (each is a whole copy); the others up to BATCH courses at a time."""
    changes = [p for p in pending if not p[2]]
    yield from ([p] for p in pending if p[2])
    for start in range(0, len(changes), BATCH):
        yield changes[start:start + BATCH]


class _Redo(Exception):
    """A batch cannot be imported as one: its courses are imported one by one instead."""


def _import_batch(ctx: jobs.JobContext, export: Export, batch: list[tuple[int, int, bool]]) -> bool:
    """Import the changes into several courses in one transaction (a per-course transaction costs its
    commit and a dozen statements); False, with nothing written, when any course failed."""
    try:
        with transaction(ctx.engine, write=True) as db:
            ids = [course_id for _, course_id, _ in batch]
            live = select(func.count()).select_from(Course).where(Course.id.in_(ids),
                                                                  Course.workflow_state != "deleted")
            if db.scalar(live) != len(ids):
                raise _Redo("a course of the batch was deleted")
            targets = load_targets(db, export, ids)
            results = {(import_id, course_id): apply_changes(db, export, course_id, targets[course_id])
                       for import_id, course_id, _ in batch}
            db.flush()  # every course's changed copies, in one batched UPDATE
            _complete_batch(ctx, db, results)
        return True
    except jobs.JobLost:
        raise
    except Exception:  # noqa: BLE001 - each course is imported again alone and its own failure recorded
        log.info("blueprint sync %s: a batch of %d imports failed; importing them one by one", export.migration_id,
                 len(batch), exc_info=True)
        return False


def _complete_batch(ctx: jobs.JobContext, db: Session,
                    results: dict[tuple[int, int], list[tuple[int, list[str]]]]) -> None:
    """`_complete` for several (non-initial) imports: a statement per table, not per course."""
    ctx.confirm_held(db)
    ids = sorted(import_id for import_id, _ in results)
    unsynced = {"synchronize_session": False}  # nothing in this session holds these rows
    db.execute(update(BlueprintImport).where(BlueprintImport.id.in_(ids))
               .values(workflow_state="completed", completed_at=_now()), execution_options=unsynced)
    db.execute(update(BlueprintSubscription).where(BlueprintSubscription.id.in_(
        select(BlueprintImport.subscription_id).where(BlueprintImport.id.in_(ids)))).values(synced=True),
        execution_options=unsynced)
    rows = [{"change_id": change_id, "import_id": import_id, "course_id": course_id, "conflicting_changes": classes}
            for (import_id, course_id), exceptions in results.items() for change_id, classes in exceptions]
    if rows:
        db.execute(cast(Table, BlueprintException.__table__).insert(), rows)


def _message(exc: Exception) -> str:
    return jobs.failure_message(exc)  # a sentence for clients; internals go to the log


def _export(engine: Engine, migration_id: int) -> Export:
    """Write the change records and one queued import per associated course (once, on a retry too)."""
    with transaction(engine, write=True) as db:
        migration = cast(BlueprintMigration, db.get(BlueprintMigration, migration_id))  # the job's own row
        if migration.workflow_state == "queued":
            migration.workflow_state, migration.exports_started_at = "exporting", _now()
            migration.since = last_sync_start(db, migration.template_id)
    with transaction(engine, write=True) as db:
        migration = cast(BlueprintMigration, db.get(BlueprintMigration, migration_id))
        template = cast(BlueprintTemplate, db.get(BlueprintTemplate, migration.template_id))  # foreign keys
        blueprint = cast(Course, db.get(Course, template.course_id))
        if migration.workflow_state == "exporting":
            _write_changes(db, migration, template, blueprint)
            migration.workflow_state, migration.imports_queued_at = "imports_queued", _now()
        return _load_export(db, migration, template, blueprint)


def _write_changes(db: Session, migration: BlueprintMigration, template: BlueprintTemplate, blueprint: Course) -> None:
    changes = changes_since(db, template, blueprint, migration.since)
    if changes:
        db.execute(cast(Table, BlueprintChange.__table__).insert(), [
            {"migration_id": migration.id, "item_id": c.item_id, "asset_type": c.asset_type,
             "asset_name": c.asset_name, "change_type": c.change_type, "locked": c.locked} for c in changes])
    if migration.options.get("copy_settings"):
        db.add(BlueprintChange(migration_id=migration.id, item_id=None, asset_type="settings",
                               asset_name="Course Settings", change_type="updated", locked=False))
    subscriptions = db.scalars(select(BlueprintSubscription).where(
        BlueprintSubscription.template_id == template.id, BlueprintSubscription.workflow_state == "active")
        .order_by(BlueprintSubscription.id)).all()
    for s in subscriptions:
        db.add(BlueprintImport(migration_id=migration.id, subscription_id=s.id, course_id=s.child_course_id,
                               initial=not s.synced))
    db.flush()


def _load_export(db: Session, migration: BlueprintMigration, template: BlueprintTemplate, blueprint: Course) -> Export:
    options = migration.options
    export = Export(migration.id, blueprint.id, migration.since, bool(options.get("copy_settings")),
                    options.get("copy_settings") is not False)
    recorded = list(db.scalars(select(BlueprintChange).where(
        BlueprintChange.migration_id == migration.id, BlueprintChange.item_id.is_not(None))
        .order_by(BlueprintChange.id)))
    export.changes = [c for c in recorded if c.asset_type != blueprint_files.ASSET_TYPE]
    export.file_changes = [c for c in recorded if c.asset_type == blueprint_files.ASSET_TYPE]
    _load_files(db, export)
    export.file_locks = blueprint_locks.file_locks(db, template, blueprint)
    ids = [c.item_id for c in export.changes]
    for chunk in range(0, len(ids), 500):
        for item in db.scalars(select(ContentItem).where(ContentItem.id.in_(ids[chunk:chunk + 500]))):
            export.sources[item.id] = item
    db.flush()
    exported = select(BlueprintChange.item_id).where(BlueprintChange.migration_id == migration.id,
                                                     BlueprintChange.asset_type != blueprint_files.ASSET_TYPE)
    export.linked = db.scalar(select(ContentLink.id).where(ContentLink.item_id.in_(exported)).limit(1)) is not None
    for item in export.sources.values():
        db.expunge(item)  # read by every course's import, in other sessions
    export.locks = blueprint_locks.locks_of(db, template, blueprint)
    relocked = set(db.scalars(select(BlueprintLock.item_id).where(
        BlueprintLock.template_id == template.id, BlueprintLock.kind == "item",
        BlueprintLock.updated_at >= migration.since))) \
        if migration.since else set()
    for change in export.changes:
        item_id = cast(int, change.item_id)  # loaded with item_id IS NOT NULL
        export.fields[item_id] = _changed_fields(export, export.sources[item_id], change, item_id in relocked)
    return export


def _load_files(db: Session, export: Export) -> None:
    ids = sorted(cast(Iterator[int], (c.item_id for c in export.file_changes)))  # loaded IS NOT NULL
    for chunk in range(0, len(ids), 500):
        for file in db.scalars(select(File).where(File.id.in_(ids[chunk:chunk + 500]))):
            export.files[file.id] = file
    for file in export.files.values():
        db.expunge(file)


def _changed_fields(export: Export, item: ContentItem, change: BlueprintChange, relocked: bool) -> set[str]:
    """The fields the blueprint changed since the last sync, from its per-field edit times; a lock
    set since then adds the locked fields (so they overwrite local edits). Unknown: every field."""
    if export.since is None or change.change_type == "created":
        return set(TRACKED_FIELDS)
    edited = {f for f, at in (item.local_edits or {}).items()
              if f in RESTRICTION_CLASSES and datetime.fromisoformat(at) >= export.since}
    if relocked:
        locked = export.locks.get(item.id, frozenset())
        edited |= {f for f in TRACKED_FIELDS if RESTRICTION_CLASSES[f] in locked}
    if not edited and item.updated_at >= export.since:
        return set(TRACKED_FIELDS)  # changed by a copy or sync into the blueprint: fields unknown
    return edited


def _pending_imports(engine: Engine, migration_id: int) -> list[tuple[int, int, bool]]:
    with transaction(engine, write=False) as db:
        return cast(list[tuple[int, int, bool]], [tuple(row) for row in db.execute(
            select(BlueprintImport.id, BlueprintImport.course_id, BlueprintImport.initial).where(
                BlueprintImport.migration_id == migration_id, BlueprintImport.workflow_state == "queued")
            .order_by(BlueprintImport.id))])


def _import_one(ctx: jobs.JobContext, export: Export, import_id: int, course_id: int, initial: bool) -> None:
    if initial:
        selection = sorted(ALL_SELECTABLE if export.initial_settings else ALL_SELECTABLE - {SETTINGS})
        payload = {"source_course_id": export.blueprint_id, "target_course_id": course_id, "selection": selection,
                   "picked": None}
        copy_course(ctx.engine, payload, fence=lambda db: _complete(ctx, db, export, import_id, [], initial=True))
        return
    with transaction(ctx.engine, write=True) as db:
        course = db.get(Course, course_id)
        if course is None or course.workflow_state == "deleted":
            raise NotFound("course", f"the associated course {course_id} no longer exists")
        exceptions = apply_changes(db, export, course.id)
        _complete(ctx, db, export, import_id, exceptions, initial=False)


def _complete(ctx: jobs.JobContext, db: Session, export: Export, import_id: int,
              exceptions: list[tuple[int, list[str]]], *, initial: bool) -> None:
    ctx.confirm_held(db)
    result = cast(BlueprintImport, db.get(BlueprintImport, import_id))  # queued by this sync's export
    result.workflow_state, result.completed_at = "completed", _now()
    db.execute(update(BlueprintSubscription).where(BlueprintSubscription.id == result.subscription_id)
               .values(synced=True))
    if exceptions:
        db.execute(cast(Table, BlueprintException.__table__).insert(), [
            {"change_id": change_id, "import_id": import_id, "course_id": result.course_id,
             "conflicting_changes": classes} for change_id, classes in exceptions])
    migration = cast(BlueprintMigration, db.get(BlueprintMigration, export.migration_id))
    if initial and migration.options.get("publish_after_initial_sync"):
        published = db.execute(update(Course).where(Course.id == result.course_id,
                                                    Course.workflow_state == "unpublished")
                               .values(workflow_state="available").returning(Course.id)).first()
        if published is not None:
            courses.send_held_invitations(db, result.course_id)
    db.flush()


def _fail_export(engine: Engine, migration_id: int, exc: Exception) -> None:
    with transaction(engine, write=True) as db:
        migration = cast(BlueprintMigration, db.get(BlueprintMigration, migration_id))
        migration.workflow_state, migration.error = "exports_failed", _message(exc)


def _fail_import(engine: Engine, import_id: int, exc: Exception) -> None:
    with transaction(engine, write=True) as db:
        result = cast(BlueprintImport, db.get(BlueprintImport, import_id))
        result.workflow_state, result.error, result.completed_at = "failed", _message(exc), _now()


def _finish(engine: Engine, migration_id: int) -> dict:
    with transaction(engine, write=True) as db:
        migration = cast(BlueprintMigration, db.get(BlueprintMigration, migration_id))
        results = db.execute(select(BlueprintImport.course_id, BlueprintImport.workflow_state, BlueprintImport.error)
                             .where(BlueprintImport.migration_id == migration_id)).all()
        failed = {r.course_id: r.error for r in results if r.workflow_state == "failed"}
        migration.workflow_state = "imports_failed" if failed else "completed"
        migration.imports_completed_at = _now()
        migration.error = "; ".join(f"course {cid}: {err}" for cid, err in sorted(failed.items())) or None
        template = cast(BlueprintTemplate, db.get(BlueprintTemplate, migration.template_id))
        template.last_export_completed_at = migration.imports_completed_at
        return {"migration_id": migration_id, "courses": len(results), "failed": failed}
