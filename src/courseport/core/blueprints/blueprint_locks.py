"""Blueprint restrictions: which restriction classes of a blueprint item or file are locked, setting
them (`restrict_item`), and the checks every local change of a synced copy passes (courseport/wiring.py
registers them with `content.register_edit_check` and `files.register_change_check`, so no API can
change a locked field of a copy in an associated course).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from courseport.core.blueprints.blueprint_files import FILE_COLUMN_NAMES, FILE_RESTRICTION_CLASSES
from courseport.core.content import content
from courseport.core.content.content import RESTRICTION_CLASSES
from courseport.core.courses.courses import RESTRICTION_KEYS
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.ids import store_id
from courseport.schema import BlueprintLock, BlueprintSubscription, BlueprintTemplate, ContentItem, Course, File

LOCK_CLASSES = frozenset(RESTRICTION_CLASSES.values()) | frozenset(FILE_RESTRICTION_CLASSES.values())
# The Canvas object type names (restrict_item content_type, restrictions by object type) per item type.
OBJECT_TYPES = {"assignment": ("assignment",), "quiz": ("quiz",), "wiki_page": ("page",),
                "discussion_topic": ("discussion_topic", "announcement")}
_OBJECT_TYPE_OF = {typ: name for name, types in OBJECT_TYPES.items() for typ in types} | {"file": "attachment"}
# Kinds restrict_item accepts with no content here to lock yet: stored by the id given.
CONTENTLESS = ("external_tool", "lti-quiz")
CONTENT_TYPES = tuple(sorted([*OBJECT_TYPES, "attachment", *CONTENTLESS]))
# The column names Canvas's error names for our fields.
_COLUMN_NAMES = {"points": "points_possible", "body": "description", "data": "settings"}


def effective_restrictions(course: Course, item_type: str, lock: BlueprintLock | None) -> dict[str, bool]:
    """The restrictions a blueprint item's copies obey: its own, else the course's defaults."""
    if lock is None or not lock.restricted:
        return {}
    if lock.restrictions:
        return dict(lock.restrictions)
    by_type = course.blueprint_restrictions_by_object_type or {}
    name = _OBJECT_TYPE_OF.get(item_type)
    if course.use_blueprint_restrictions_by_object_type and name in by_type:
        return dict(by_type[name])
    return dict(course.blueprint_restrictions or {"content": True})


def locked_classes(restrictions: dict[str, Any]) -> frozenset[str]:
    return frozenset(k for k, v in restrictions.items() if v and k in LOCK_CLASSES)


def locks_of(db: Session, template: BlueprintTemplate, course: Course,
             item_ids: list[int] | None = None) -> dict[int, frozenset[str]]:
    """Blueprint item id -> its locked classes, for the template's locked items (or those named)."""
    stmt = (select(BlueprintLock, ContentItem.type).join(ContentItem, ContentItem.id == BlueprintLock.item_id)
            .where(BlueprintLock.template_id == template.id, BlueprintLock.kind == "item",
                   BlueprintLock.restricted.is_(True)))
    if item_ids is not None:
        stmt = stmt.where(BlueprintLock.item_id.in_(sorted(item_ids)))
    return {lock.item_id: locked_classes(effective_restrictions(course, typ, lock))
            for lock, typ in db.execute(stmt).all()}


def locked_classes_of_copy(db: Session, item: ContentItem) -> frozenset[str]:
    """The locked classes of a synced copy in an associated course (empty for anything else)."""
    if item.lineage_id is None:
        return frozenset()
    row = db.execute(
        select(BlueprintLock, Course, ContentItem.type)
        .join(BlueprintSubscription, and_(BlueprintSubscription.template_id == BlueprintLock.template_id,
                                          BlueprintSubscription.child_course_id == item.course_id,
                                          BlueprintSubscription.workflow_state == "active"))
        .join(BlueprintTemplate, BlueprintTemplate.id == BlueprintLock.template_id)
        .join(Course, Course.id == BlueprintTemplate.course_id)
        .join(ContentItem, ContentItem.id == BlueprintLock.item_id)
        .where(BlueprintLock.kind == "item", BlueprintLock.lineage_key == item.lineage_id,
               Course.blueprint.is_(True)).limit(1)).first()
    if row is None:
        return frozenset()
    lock, course, typ = row
    return locked_classes(effective_restrictions(course, typ, lock))


def file_locks(db: Session, template: BlueprintTemplate, course: Course) -> dict[int, frozenset[str]]:
    """Blueprint file id -> its locked classes, for the template's locked files."""
    stmt = select(BlueprintLock).where(BlueprintLock.template_id == template.id, BlueprintLock.kind == "attachment",
                                       BlueprintLock.restricted.is_(True))
    return {lock.item_id: locked_classes(effective_restrictions(course, "file", lock)) for lock in db.scalars(stmt)}


def _locked_classes_of_file_copy(db: Session, file: File) -> frozenset[str]:
    row = db.execute(
        select(BlueprintLock, Course)
        .join(BlueprintSubscription, and_(BlueprintSubscription.template_id == BlueprintLock.template_id,
                                          BlueprintSubscription.child_course_id == file.course_id,
                                          BlueprintSubscription.workflow_state == "active"))
        .join(BlueprintTemplate, BlueprintTemplate.id == BlueprintLock.template_id)
        .join(Course, Course.id == BlueprintTemplate.course_id)
        .where(BlueprintLock.kind == "attachment", BlueprintLock.lineage_key == file.lineage_id,
               Course.blueprint.is_(True)).limit(1)).first()
    return frozenset() if row is None else locked_classes(effective_restrictions(row[1], "file", row[0]))


def refuse_locked_file_changes(db: Session, file: File, changing: set[str]) -> None:
    """A rename, move, lock change or delete of a locked synced file copy is refused as items are."""
    if not changing or file.lineage_id is None:
        return
    locked = _locked_classes_of_file_copy(db, file)
    columns = sorted({FILE_COLUMN_NAMES.get(c, c) for c in changing if FILE_RESTRICTION_CLASSES.get(c) in locked})
    if columns:
        raise InvalidInput("base", f"cannot change column(s): {', '.join(columns)} - locked by Master Course")


def refuse_locked_edits(db: Session, item: ContentItem, changing: set[str]) -> None:
    """A local edit of a locked field of a synced copy is refused with Canvas's words."""
    if not changing or item.lineage_id is None:
        return
    locked = locked_classes_of_copy(db, item)
    fields = sorted(f for f in changing if RESTRICTION_CLASSES[f] in locked)
    if fields:
        names = ", ".join(_COLUMN_NAMES.get(f, f) for f in fields)
        raise InvalidInput("base", f"cannot change column(s): {names} - locked by Master Course")


def set_lock(db: Session, template: BlueprintTemplate, content_type: str, content_id: int | str,
             restricted: bool, restrictions: dict[str, Any] | None) -> BlueprintLock:
    """Set or lift the restrictions on one blueprint object; a change makes it count as changed."""
    if content_type not in CONTENT_TYPES:
        raise InvalidInput("content_type", f"content_type must be one of {', '.join(CONTENT_TYPES)}")
    if restrictions is not None and (not isinstance(restrictions, dict) or set(restrictions) - set(RESTRICTION_KEYS)):
        raise InvalidInput("restrictions", f"restrictions may name only {', '.join(RESTRICTION_KEYS)}")
    kind, item_id, lineage_key = _locked_object(db, template, content_type, content_id)
    lock = db.scalar(select(BlueprintLock).where(BlueprintLock.template_id == template.id,
                                                 BlueprintLock.kind == kind, BlueprintLock.item_id == item_id))
    if lock is None:
        lock = BlueprintLock(template_id=template.id, kind=kind, item_id=item_id, lineage_key=lineage_key)
        db.add(lock)
    values = {k: bool(v) for k, v in (restrictions or {}).items()} or None
    lock.restricted, lock.restrictions = bool(restricted), values
    lock.updated_at = datetime.now(UTC)  # to the microsecond, as syncs compare with their start
    db.flush()
    return lock


def _locked_object(db: Session, template: BlueprintTemplate, content_type: str,
                   content_id: int | str) -> tuple[str, int, int]:
    """(lock kind, id, lineage key) of the blueprint object restrict_item names."""
    if content_type in OBJECT_TYPES:
        try:
            item = content.get_item(db, template.course_id, content_id, OBJECT_TYPES[content_type])
        except NotFound:
            raise NotFound(content_type.replace("_", " ")) from None
        return "item", item.id, item.lineage_id or item.id
    if store_id(content_id) is None:
        raise NotFound(content_type.replace("_", " "))
    if content_type in CONTENTLESS:
        return content_type, int(content_id), int(content_id)
    file = db.scalar(select(File).where(File.id == int(content_id), File.course_id == template.course_id,
                                        File.workflow_state != "deleted"))
    if file is None:
        raise NotFound("attachment")
    return "attachment", file.id, file.lineage_id or file.id
