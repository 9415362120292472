"""One associated course's import of a blueprint sync's export (after its first, initial sync).

New items are inserted set-based (copy_tables); existing copies (found by lineage) are updated
field by field with `content.update_item(..., local=False)`: a field the course edited locally
and that is not locked is kept and reported as an exception naming its restriction class; locked
fields always take the blueprint's value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from courseport.core.blueprints import blueprint_files
from courseport.core.content import content
from courseport.core.content.content import RESTRICTION_CLASSES
from courseport.core.copy import copy_links, copy_tables, outcome_copies
from courseport.schema import BlueprintChange, ContentItem, File

REFERENCES = ("parent_id", "ref_id", "file_id")


@dataclass
class Export:
    """What every course's import reads: the exported changes and the blueprint rows behind them."""

    migration_id: int
    blueprint_id: int
    since: datetime | None
    copy_settings: bool
    initial_settings: bool  # an initial sync copies settings unless the sync says copy_settings: false
    changes: list[BlueprintChange] = field(default_factory=list)
    sources: dict[int, ContentItem] = field(default_factory=dict)
    fields: dict[int, set[str]] = field(default_factory=dict)  # item id -> fields the blueprint changed
    locks: dict[int, frozenset[str]] = field(default_factory=dict)
    linked: bool = False  # some exported item links to other items or files
    file_changes: list[BlueprintChange] = field(default_factory=list)
    files: dict[int, File] = field(default_factory=dict)
    file_locks: dict[int, frozenset[str]] = field(default_factory=dict)


@dataclass
class Targets:
    """One associated course's rows an import writes or points at."""

    copies: dict[int, ContentItem] = field(default_factory=dict)  # lineage -> the course's copy
    mapped: dict[int, int] = field(default_factory=dict)  # referenced blueprint item -> the course's copy


def load_targets(db: Session, export: Export, course_ids: list[int]) -> dict[int, Targets]:
    """For several courses in two statements: each one's copies of the exported items, by lineage, and
    of the blueprint items they reference (an assignment's group, a module item's target)."""
    targets = {course_id: Targets() for course_id in course_ids}
    for copy in _copies(db, course_ids, {item.lineage_id or item.id for item in export.sources.values()}):
        targets[copy.course_id].copies[cast(int, copy.lineage_id)] = copy  # loaded by lineage
    refs = sorted({getattr(s, r) for s in export.sources.values() for r in REFERENCES[:2] if getattr(s, r)})
    if refs:
        s, t = copy_tables.ITEMS.alias("s"), copy_tables.ITEMS.alias("t")
        rows = db.execute(select(t.c.course_id, s.c.id, t.c.id).join(t, and_(
            t.c.course_id.in_(course_ids), t.c.lineage_id == copy_tables.lineage(s)))
            .where(s.c.id.in_(refs), s.c.course_id == export.blueprint_id))
        for course_id, source_id, copy_id in rows:
            targets[course_id].mapped[source_id] = copy_id
    return targets


def apply_changes(db: Session, export: Export, course_id: int,
                  targets: Targets | None = None) -> list[tuple[int, list[str]]]:
    """Apply the exported changes to one associated course (its `targets`, loaded here if not given);
    returns (change id, classes) exceptions."""
    stamp = datetime.now(UTC)
    keys = {item_id: item.lineage_id or item.id for item_id, item in export.sources.items()}
    if targets is None:
        targets = load_targets(db, export, [course_id])[course_id]
    copies, mapped = targets.copies, targets.mapped
    plan = copy_tables.CopyPlan(source_id=export.blueprint_id, target_id=course_id, types=frozenset(), files=False,
                                settings=export.copy_settings, stamp=stamp)
    exceptions, touched, missing = [], [], set()  # touched: the copies this sync wrote
    for change in export.changes:
        item_id = cast(int, change.item_id)  # the export loads only changes that name an item
        source = export.sources[item_id]
        copy = copies.get(keys[item_id])
        if copy is None:
            if change.change_type != "deleted":
                missing.add(item_id)
            continue
        locked = export.locks.get(item_id, frozenset())
        conflicts = (_delete_copy(db, copy, locked) if change.change_type == "deleted"
                     else _update_copy(db, copy, source, export.fields[item_id], locked, mapped))
        touched.append(copy)
        if conflicts:
            exceptions.append((change.id, sorted(conflicts)))
    for copy in touched:  # the sync's stamp goes in with the copies' own changes: one batched UPDATE
        copy.updated_at = stamp
    steps = _settle_steps(plan, export)
    if missing or steps or export.file_changes:  # statements that read the copies follow: write them first
        db.flush()  # (else they go with the next flush: a batch of courses writes its copies at once)
    _insert_missing(db, plan, missing)
    for step in steps:
        step(db, plan)
    return exceptions + blueprint_files.import_files(db, plan, export.files, export.file_changes,
                                                     export.file_locks)


def _copies(db: Session, course_ids: list[int], lineages: set[int]) -> list[ContentItem]:
    found: list[ContentItem] = []
    ordered = sorted(lineages)
    for chunk in range(0, len(ordered), 500):
        found += db.scalars(select(ContentItem).where(ContentItem.course_id.in_(course_ids),
                                                      ContentItem.lineage_id.in_(ordered[chunk:chunk + 500])))
    return found


def _delete_copy(db: Session, copy: ContentItem, locked: frozenset[str]) -> set[str]:
    """Delete an unedited copy; a copy with unlocked local edits stays, reported as an exception."""
    if copy.workflow_state == "deleted":
        return set()
    edited = {RESTRICTION_CLASSES[f] for f in (copy.local_edits or {}) if f in RESTRICTION_CLASSES} - locked
    if edited:
        return edited
    content.delete_item(db, copy, local=False)
    return set()


def _update_copy(db: Session, copy: ContentItem, source: ContentItem, fields: set[str], locked: frozenset[str],
                 mapped: dict[int, int]) -> set[str]:
    values: dict[str, Any] = {}
    conflicts: set[str] = set()
    mine, theirs, edits = copy.field_hashes or {}, source.field_hashes or {}, copy.local_edits or {}
    for name in sorted(fields):
        if mine.get(name) is not None and mine.get(name) == theirs.get(name):
            continue
        if name in edits and RESTRICTION_CLASSES[name] not in locked:
            conflicts.add(RESTRICTION_CLASSES[name])
            continue
        values[name] = getattr(source, name)
    for name in REFERENCES[:2]:
        target = mapped.get(getattr(source, name)) if getattr(source, name) else None
        if target is not None and getattr(copy, name) != target:
            values[name] = target
    if values:
        content.update_item(db, copy, values, local=False, flush=False)  # flushed with the course's others
    return conflicts


def _insert_missing(db: Session, plan: copy_tables.CopyPlan, missing: set[int]) -> None:
    if not missing:
        return
    plan = replace(plan, picked_items=frozenset(missing))
    offsets = copy_tables.top_level_offsets(db, plan)
    for depth in range(len(copy_tables.DEPTHS) + 1):
        copy_tables.insert_items(db, plan, depth, offsets)


def _settle_steps(plan: copy_tables.CopyPlan, export: Export) -> list[Callable[[Session, copy_tables.CopyPlan], Any]]:
    """What fixes links, urls and prerequisites as a copy does: only the steps the exported items can
    need (each costs statements per course)."""
    types = {item.type for item in export.sources.values()}
    steps: list[Callable[[Session, copy_tables.CopyPlan], Any]] = []
    if export.linked:
        steps.append(copy_tables.copy_links)
    if "page" in types:
        steps += [copy_links.settle_page_urls, copy_links.keep_target_front_page]
    if "module" in types:
        steps.append(copy_links.remap_prerequisites)
    if "outcome_group" in types:
        steps.append(outcome_copies.remap_outcome_groups)
    if "rubric" in types:
        steps.append(outcome_copies.remap_rubric_outcomes)
    if any("/courses/" in (item.body or "") for item in export.sources.values()):
        steps.append(copy_links.rewrite_bodies)
    if plan.settings:
        steps += [copy_tables.copy_settings, copy_links.rewrite_syllabus]
    return steps
