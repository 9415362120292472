"""The one content model: item types and item writes with tracking.

Every content type of every dialect is a row of `content_items` with a `type` from ITEM_TYPES.
A copy selects item types, plus "@settings" and "@files" for course settings and the course's files
and folders, which live outside content_items (ALL_SELECTABLE); which component names select which
of them is the one table of core/copy/components.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.schema.content import ContentItem, ContentLink

ITEM_TYPES = frozenset({
    "assignment_group", "assignment", "quiz", "quiz_question", "question_bank", "discussion_topic",
    "announcement", "page", "module", "module_item", "calendar_event", "external_tool", "outcome",
    "outcome_group", "outcome_link",
    "rubric", "rubric_association", "glossary_entry", "blog", "journal", "wiki", "task", "contact", "group_set",
    "release_rule",
    "retention_rule", "content_area", "link", "checklist", "faq", "survey", "attendance_register",
    "competency", "form", "navbar", "widget", "homepage", "self_assessment", "intelligent_agent", "tool_name",
})
SETTINGS, FILES = "@settings", "@files"
ALL_SELECTABLE = frozenset(ITEM_TYPES | {SETTINGS, FILES})

# Fields whose edits are tracked, and the restriction class (blueprint locks) each belongs to.
RESTRICTION_CLASSES: dict[str, str] = {
    "title": "content", "body": "content", "data": "content", "slug": "content", "position": "content",
    "workflow_state": "content", "points": "points", "due_at": "due_dates", "unlock_at": "availability_dates",
    "lock_at": "availability_dates", "start_at": "content", "end_at": "content",
}
TRACKED_FIELDS = tuple(RESTRICTION_CLASSES)
# Checks a local edit must pass before it is applied: check(db, item, changing field names) raises
# to refuse it. courseport/wiring.py registers blueprint locks' check, so this module imports no blueprint code.
EDIT_CHECKS: list[Callable[[Session, ContentItem, set[str]], None]] = []


# Hooks told of a write that came from elsewhere (local=False: a blueprint sync), after it is applied:
# hook(db, item, changed field names). courseport/wiring.py registers late_regrades' so work follows a synced
# due date; an edit in the course (local=True) settles what it moves itself, as its write needs (after overrides).
CHANGE_HOOKS: list[Callable[[Session, ContentItem, set[str]], None]] = []


def register_edit_check(check: Callable[[Session, ContentItem, set[str]], None]) -> None:
    if check not in EDIT_CHECKS:
        EDIT_CHECKS.append(check)


def register_change_hook(hook: Callable[[Session, ContentItem, set[str]], None]) -> None:
    if hook not in CHANGE_HOOKS:
        CHANGE_HOOKS.append(hook)


def field_hash(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def create_item(db: Session, course_id: int | None, item_type: str, fields: dict[str, Any], *,
                user_id: int | None = None, group_id: int | None = None) -> ContentItem:
    """A new item of the course's own content, or (group_id) of one of its groups'."""
    if item_type not in ITEM_TYPES:
        raise InvalidInput("type", f"unknown content type {item_type!r}")
    fields = dict(fields)
    if "position" not in fields:
        fields["position"] = next_position(db, course_id, item_type, fields.get("parent_id"))
    fields.setdefault("data", {})
    now = datetime.now(UTC)
    fields.setdefault("created_at", now)
    fields.setdefault("updated_at", now)
    item = ContentItem(course_id=course_id, type=item_type, user_id=user_id, group_id=group_id, local_edits={},
                       **fields)
    item.field_hashes = {f: field_hash(getattr(item, f)) for f in TRACKED_FIELDS}
    db.add(item)
    db.flush()
    sync_links(db, item)
    return item


def update_item(db: Session, item: ContentItem, fields: dict[str, Any], *, local: bool = True,
                flush: bool = True) -> set[str]:
    """Apply changed fields; returns the names of tracked fields that really changed.

    `local=True` (an edit in this course) records the edit time per field, which copies and
    blueprint syncs consult before overwriting; a sync passes local=False. `flush=False` leaves the
    UPDATE to the caller's next flush (a sync flushes a course's items at once), unless the body changed
    or a change hook flushes (CHANGE_HOOKS run on a write with local=False that changed something).
    """
    changed: set[str] = set()
    now = datetime.now(UTC)  # to the microsecond: blueprint syncs export what changed after their start
    if local and EDIT_CHECKS:
        changing = {name for name, value in fields.items() if name in RESTRICTION_CLASSES and getattr(item, name) != (
            {**(item.data or {}), **value} if name == "data" else value)}
        for check in EDIT_CHECKS:
            check(db, item, changing)
    for name, value in fields.items():
        if name == "data":
            value = {**(item.data or {}), **value}
        if getattr(item, name) == value:
            continue
        setattr(item, name, value)
        if name in RESTRICTION_CLASSES:
            changed.add(name)
    if changed:
        hashes = dict(item.field_hashes or {})
        edits = dict(item.local_edits or {})
        for name in changed:
            hashes[name] = field_hash(getattr(item, name))
            if local:
                edits[name] = now.isoformat()
            else:
                edits.pop(name, None)
        item.field_hashes, item.local_edits = hashes, edits
        item.updated_at = now
        if flush or "body" in changed:
            db.flush()
        if "body" in changed:
            sync_links(db, item)
        if not local:
            for hook in CHANGE_HOOKS:
                hook(db, item, changed)
    return changed


def get_item(db: Session, course_id: int, item_id: int | str, item_type: str | Iterable[str], *,
             group_id: int | None = None) -> ContentItem:
    """A live item of the course's own content, or (group_id) of that group's."""
    types = {item_type} if isinstance(item_type, str) else set(item_type)
    item = db.get(ContentItem, store_id(item_id)) if is_id(item_id) else None
    if (item is None or item.course_id != course_id or item.group_id != group_id or item.type not in types
            or item.workflow_state == "deleted"):
        raise NotFound(next(iter(types)).replace("_", " "))
    return item


def delete_item(db: Session, item: ContentItem, *, local: bool = True) -> None:
    update_item(db, item, {"workflow_state": "deleted"}, local=local)


def next_position(db: Session, course_id: int | None, item_type: str, parent_id: int | None) -> int:
    stmt = select(func.max(ContentItem.position)).where(ContentItem.course_id == course_id,
                                                         ContentItem.type == item_type)
    stmt = stmt.where(ContentItem.parent_id == parent_id) if parent_id else stmt.where(ContentItem.parent_id.is_(None))
    return (db.scalar(stmt) or 0) + 1


_LINK = re.compile(r"/courses/(\d+)/(files|pages|assignments|quizzes|discussion_topics|modules/items)/([\w\-]+)")
_LINK_TYPES = {"pages": ("page",), "assignments": ("assignment",), "quizzes": ("quiz",),
               "discussion_topics": ("discussion_topic", "announcement"), "modules/items": ("module_item",)}


def sync_links(db: Session, item: ContentItem) -> None:
    """Record the items and files this item's HTML links to (same course only)."""
    db.execute(delete(ContentLink).where(ContentLink.item_id == item.id))
    for course_id, kind, ref in set(_LINK.findall(item.body or "")):
        if int(course_id) != item.course_id:
            continue
        if kind == "files" and is_id(ref):
            db.add(ContentLink(item_id=item.id, target_file_id=int(ref)))
            continue
        column = ContentItem.slug if kind == "pages" and not is_id(ref) else ContentItem.id
        value = ref if column is ContentItem.slug else store_id(ref)
        if value is None:
            continue
        target = db.scalar(select(ContentItem.id).where(
            ContentItem.course_id == item.course_id, ContentItem.group_id == item.group_id, column == value,
            ContentItem.type.in_(_LINK_TYPES[kind])))
        if target is not None:
            db.add(ContentLink(item_id=item.id, target_item_id=target))
    db.flush()
