"""Blueprint restrictions: which restriction classes of a blueprint item are locked, setting them
(`restrict_item`), and the one check every local edit of a synced copy passes (registered with
`content.edit_check`, so no API can edit a locked field of a copy in an associated course).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from courseport.core import content
from courseport.core.content import RESTRICTION_CLASSES
from courseport.core.courses import RESTRICTION_KEYS
from courseport.core.errors import InvalidInput, NotFound
from courseport.schema import BlueprintLock, BlueprintSubscription, BlueprintTemplate, ContentItem, Course

LOCK_CLASSES = frozenset(RESTRICTION_CLASSES.values())
# The Canvas object type names (restrict_item content_type, restrictions by object type) per item type.
OBJECT_TYPES = {"assignment": ("assignment",), "quiz": ("quiz",), "wiki_page": ("page",),
                "discussion_topic": ("discussion_topic", "announcement")}
_OBJECT_TYPE_OF = {typ: name for name, types in OBJECT_TYPES.items() for typ in types}
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
            .where(BlueprintLock.template_id == template.id, BlueprintLock.restricted.is_(True)))
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
        .where(BlueprintLock.lineage_key == item.lineage_id, Course.blueprint.is_(True)).limit(1)).first()
    if row is None:
        return frozenset()
    lock, course, typ = row
    return locked_classes(effective_restrictions(course, typ, lock))


@content.edit_check
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
    """Set or lift the restrictions on one blueprint item; a change makes the item count as changed."""
    types = OBJECT_TYPES.get(content_type)
    if types is None:
        raise InvalidInput("content_type", f"content_type must be one of {', '.join(sorted(OBJECT_TYPES))}")
    if restrictions is not None and (not isinstance(restrictions, dict) or set(restrictions) - set(RESTRICTION_KEYS)):
        raise InvalidInput("restrictions", f"restrictions may name only {', '.join(RESTRICTION_KEYS)}")
    try:
        item = content.get_item(db, template.course_id, content_id, types)
    except NotFound:
        raise NotFound(content_type.replace("_", " ")) from None
    lock = db.scalar(select(BlueprintLock).where(BlueprintLock.template_id == template.id,
                                                 BlueprintLock.item_id == item.id))
    if lock is None:
        lock = BlueprintLock(template_id=template.id, item_id=item.id, lineage_key=item.lineage_id or item.id)
        db.add(lock)
    values = {k: bool(v) for k, v in (restrictions or {}).items()} or None
    lock.restricted, lock.restrictions = bool(restricted), values
    lock.updated_at = datetime.now(timezone.utc)  # to the microsecond, as syncs compare with their start
    db.flush()
    return lock
