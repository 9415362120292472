"""Module items: adding content to a module, editing and moving items, and a student's marks on them
(viewed, done). An item's target must be content of the right type in the same course."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content import content, module_progress
from courseport.core.content.modules import (
    ITEM_KINDS,
    REQUIREMENTS,
    ItemView,
    get_module_item,
    live_children,
    managed_course,
    place,
    publish_item,
    renumber,
    view_of_item,
)
from courseport.core.kit.changes import UNSET, Unset, given, kinds
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.schema import Course, User
from courseport.schema.content import ContentItem
from courseport.schema.files import File

_LINKS = ("ExternalUrl", "ExternalTool")


@dataclass(frozen=True)
class ModuleItemChanges:
    """The module item attributes a create or update sets; UNSET leaves an attribute as it is, None
    clears it. type (an ITEM_KINDS key) and the target (content_id, or page_url for a page) are taken
    on create; module_id moves the item to another module of the course."""

    title: str | None | Unset = UNSET
    type: str | None | Unset = UNSET
    content_id: str | int | None | Unset = UNSET
    page_url: str | None | Unset = UNSET
    external_url: str | None | Unset = UNSET
    new_tab: bool | None | Unset = UNSET
    indent: str | int | None | Unset = UNSET
    position: int | None | Unset = UNSET
    published: bool | None | Unset = UNSET
    module_id: str | int | None | Unset = UNSET
    completion_requirement: dict[str, Any] | None | Unset = UNSET


# Every writable module item attribute and its type: the one table dialects coerce wire values by.
ITEM_FIELDS: dict[str, type] = kinds(ModuleItemChanges)


def _target_for(db: Session, course: Course, kind: str, fields: dict[str, Any]
                ) -> tuple[ContentItem | None, File | None]:
    types, content_id = ITEM_KINDS[kind], fields.get("content_id")
    if kind == "Page" and fields.get("page_url"):
        page = db.scalar(select(ContentItem).where(
            ContentItem.course_id == course.id, ContentItem.group_id.is_(None), ContentItem.type == "page",
            ContentItem.slug == fields["page_url"],
            ContentItem.workflow_state != "deleted"))
        if page is None:
            raise InvalidInput("page_url", "invalid page_url parameter")
        return page, None
    if types == ():
        return None, None
    if content_id in (None, ""):
        if kind == "ExternalTool":
            return None, None
        if kind == "Page":
            raise InvalidInput("page_url", "missing page_url parameter")
        raise InvalidInput("content_id", f"content_id is required for {kind} items")
    if types is None:
        file = db.get(File, store_id(content_id)) if is_id(content_id) else None
        if file is None or file.course_id != course.id or file.workflow_state == "deleted":
            raise InvalidInput("content_id", "Could not find content")
        return None, file
    try:
        return content.get_item(db, course.id, content_id, types), None
    except NotFound:
        raise InvalidInput("content_id", "Could not find content") from None


def external_url(value: Any) -> str:
    """The rule for a link a course may hold: an absolute http or https URL (Canvas refuses the rest)."""
    url = str(value or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidInput("external_url", "external_url must be an http or https URL")
    return url


def _indent(value: Any) -> int:
    if value is None or value == "":
        return 0
    if store_id(value) is None:
        raise InvalidInput("indent", "indent must be a whole number of 0 or more")
    return int(value)


def requirement(kind: str | None, raw: Any) -> dict[str, Any]:
    """A completion requirement from its parameters; {} for none (Canvas ignores inapplicable types)."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise InvalidInput("completion_requirement", "completion_requirement must be a hash with a type")
    rtype = str(raw.get("type") or "").strip()
    if not rtype:
        return {}
    if rtype not in REQUIREMENTS:
        raise InvalidInput("completion_requirement[type]",
                           f"completion_requirement type must be one of {', '.join(REQUIREMENTS)}")
    if kind not in REQUIREMENTS[rtype]:
        return {}
    if rtype != "min_score":
        return {"type": rtype}
    try:
        score = float(raw.get("min_score"))  # type: ignore[arg-type]  # None raises TypeError, answered below
    except (TypeError, ValueError):
        raise InvalidInput("completion_requirement[min_score]",
                           "min_score is required (a number) for a min_score requirement") from None
    if score < 0:
        raise InvalidInput("completion_requirement[min_score]", "min_score must be 0 or more")
    return {"type": rtype, "min_score": int(score) if score.is_integer() else score}


def create_module_item(db: Session, me: User, course_ref: str | int, module_id: str,
                       changes: ModuleItemChanges) -> ItemView:
    fields = given(changes)
    course = managed_course(db, me, course_ref)
    module = content.get_item(db, course.id, module_id, "module")
    kind = fields.get("type")
    if kind not in ITEM_KINDS:
        raise InvalidInput("type", f"type must be one of {', '.join(ITEM_KINDS)}")
    target, file = _target_for(db, course, kind, fields)
    data: dict[str, Any] = {"type": kind, "indent": _indent(fields.get("indent"))}
    if kind in _LINKS:
        data.update(external_url=external_url(fields.get("external_url")), new_tab=bool(fields.get("new_tab")))
    title = (fields.get("title") or "").strip() or (
        target.title if target else file.display_name if file else data.get("external_url", ""))
    if not title:
        raise InvalidInput("title", f"title is required for {kind} items")
    req = requirement(kind, fields.get("completion_requirement"))
    if req:
        data["completion_requirement"] = req
    live = (file is not None and not file.hidden) or (
        target is not None and target.workflow_state in module_progress.LIVE_TARGET_STATES)
    item = content.create_item(db, course.id, "module_item", {
        "parent_id": module.id, "ref_id": target.id if target else None, "file_id": file.id if file else None,
        "title": title, "workflow_state": "active" if live else "unpublished", "data": data,
    }, user_id=me.id)
    place(db, item, fields.get("position"))
    if fields.get("published") is not None:
        publish_item(db, item, bool(fields["published"]))
    return view_of_item(db, course, item)


def _live_item(db: Session, course: Course, module_id: str, item_id: str) -> ContentItem:
    module = content.get_item(db, course.id, module_id, "module")
    item = content.get_item(db, course.id, item_id, "module_item")
    if item.parent_id != module.id:
        raise NotFound("module item")
    return item


def _data_changes(item: ContentItem, fields: dict[str, Any]) -> dict[str, Any]:
    kind = (item.data or {}).get("type")
    data: dict[str, Any] = {}
    if fields.get("external_url") is not None and kind in _LINKS:
        data["external_url"] = external_url(fields["external_url"])
    if fields.get("indent") is not None:
        data["indent"] = _indent(fields["indent"])
    if fields.get("new_tab") is not None and kind in _LINKS:
        data["new_tab"] = bool(fields["new_tab"])
    if "completion_requirement" in fields:
        data["completion_requirement"] = requirement(kind, fields["completion_requirement"]) or None
    return data


def update_module_item(db: Session, me: User, course_ref: str | int, module_id: str, item_id: str,
                       changes: ModuleItemChanges) -> ItemView:
    fields = given(changes)
    course = managed_course(db, me, course_ref)
    item = _live_item(db, course, module_id, item_id)
    values: dict[str, Any] = {}
    title = (fields.get("title") or "").strip()
    if title:
        values["title"] = title
        target = db.get(ContentItem, item.ref_id) if item.ref_id else None
        if target is not None:  # Canvas renames the content along with its module item
            content.update_item(db, target, {"title": title})
    data = _data_changes(item, fields)
    if data:
        values["data"] = data
    content.update_item(db, item, values)
    _move(db, course, item, fields.get("module_id"), fields.get("position"))
    if fields.get("published") is not None:
        publish_item(db, item, bool(fields["published"]))
    return view_of_item(db, course, item)


def _move(db: Session, course: Course, item: ContentItem, module_id: Any, position: int | None) -> None:
    if module_id in (None, "") or str(module_id) == str(item.parent_id):
        if position is not None:
            place(db, item, position)
        return
    try:
        target = content.get_item(db, course.id, module_id, "module")
    except NotFound:
        raise InvalidInput("module_id", "invalid module_id") from None
    old_parent = item.parent_id
    content.update_item(db, item, {"parent_id": target.id})
    renumber(db, live_children(db, course.id, "module_item", old_parent))
    place(db, item, position)


def delete_module_item(db: Session, me: User, course_ref: str | int, module_id: str, item_id: str) -> ItemView:
    course = managed_course(db, me, course_ref)
    item = _live_item(db, course, module_id, item_id)
    content.delete_item(db, item)
    renumber(db, live_children(db, course.id, "module_item", item.parent_id))
    return view_of_item(db, course, item)


def mark_item(db: Session, me: User, course_ref: str | int, module_id: str, item_id: str, *,
              read: bool = False, done: bool | None = None) -> None:
    """A user's own mark on an item they can see: read (must_view), done or not done (must_mark_done).
    A locked item (module locked, earlier sequential requirement unmet, dates) cannot be marked."""
    view = get_module_item(db, me, course_ref, module_id, item_id)
    if view.status is not None and view.status.locked and (read or done):
        raise NotAllowed("The module item is locked.")
    kind = (view.entry.requirement or {}).get("type")
    if read:
        module_progress.record_progress(db, view.item.course_id, me.id, view.item.id, viewed=True)
    elif kind == "must_mark_done":
        module_progress.record_progress(db, view.item.course_id, me.id, view.item.id, done=done)
