"""Assignment groups: content items of type "assignment_group" holding a course's assignments.

A group's title is its name; data holds {"group_weight": float, "rules": {"drop_lowest": int,
"drop_highest": int, "never_drop": [assignment ids]}}. A course without groups gets an
"Assignments" group the first time something needs one. Deleting a group deletes its
assignments unless they are moved to another group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content import content
from courseport.core.courses.courses import readable_course
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.schema import ContentItem, Course, User

DEFAULT_GROUP_NAME = "Assignments"
RULE_KEYS = ("drop_lowest", "drop_highest", "never_drop")
MANAGE = "manage_content"


@dataclass
class GroupChanges:
    """What a create or update asks for; None = leave as is."""

    name: str | None = None
    position: int | None = None
    group_weight: float | None = None
    rules: dict[str, Any] | None = None
    sis_source_id: str | None = None
    integration_data: dict[str, Any] | None = None


def live_groups(db: Session, course_id: int) -> list[ContentItem]:
    return list(db.scalars(select(ContentItem).where(
        ContentItem.course_id == course_id, ContentItem.type == "assignment_group",
        ContentItem.workflow_state != "deleted").order_by(ContentItem.position, ContentItem.id)))


def default_group(db: Session, course_id: int) -> ContentItem:
    """The course's first group, created as "Assignments" when it has none."""
    groups = live_groups(db, course_id)
    if groups:
        return groups[0]
    return content.create_item(db, course_id, "assignment_group", {
        "title": DEFAULT_GROUP_NAME, "workflow_state": "available", "data": {"group_weight": 0.0, "rules": {}}})


def group_in(db: Session, course_id: int, group_id: int | str) -> ContentItem:
    return content.get_item(db, course_id, group_id, "assignment_group")


def list_groups(db: Session, actor: User, course_ref: str | int) -> tuple[Course, CourseRights, list[ContentItem]]:
    course, rights = readable_course(db, actor, course_ref)
    return course, rights, live_groups(db, course.id)


def show_group(db: Session, actor: User, course_ref: str | int, group_id: str) -> tuple[Course, CourseRights,
                                                                                         ContentItem]:
    course, rights = readable_course(db, actor, course_ref)
    return course, rights, group_in(db, course.id, group_id)


def create_group(db: Session, actor: User, course_ref: str | int, changes: GroupChanges) -> ContentItem:
    course, _ = readable_course(db, actor, course_ref, MANAGE)
    fields: dict[str, Any] = {"title": "", "workflow_state": "available",
                              "data": {"group_weight": 0.0, "rules": {}}}
    fields.update(_fields(changes, {}))
    if not (changes.name or "").strip():
        fields["title"] = DEFAULT_GROUP_NAME
    return content.create_item(db, course.id, "assignment_group", fields, user_id=actor.id)


def update_group(db: Session, actor: User, course_ref: str | int, group_id: str,
                 changes: GroupChanges) -> ContentItem:
    course, _ = readable_course(db, actor, course_ref, MANAGE)
    group = group_in(db, course.id, group_id)
    content.update_item(db, group, _fields(changes, group.data or {}))
    return group


def delete_group(db: Session, actor: User, course_ref: str | int, group_id: str,
                 move_assignments_to: str | None) -> ContentItem:
    """Soft-delete a group; its assignments move to `move_assignments_to` or are deleted with it."""
    course, _ = readable_course(db, actor, course_ref, MANAGE)
    group = group_in(db, course.id, group_id)
    target = None
    if move_assignments_to:
        try:
            target = group_in(db, course.id, move_assignments_to)
        except NotFound:
            raise InvalidInput("move_assignments_to", "move_assignments_to must name another assignment group "
                                                      "of this course") from None
        if target.id == group.id:
            raise InvalidInput("move_assignments_to", "move_assignments_to must name another assignment group")
    members = db.scalars(select(ContentItem).where(
        ContentItem.parent_id == group.id, ContentItem.type == "assignment", ContentItem.workflow_state != "deleted"))
    for assignment in members:
        if target is not None:
            content.update_item(db, assignment, {
                "parent_id": target.id, "position": content.next_position(db, course.id, "assignment", target.id)})
        else:
            content.delete_item(db, assignment)
    content.delete_item(db, group)
    return group


def _fields(changes: GroupChanges, data: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    new_data: dict[str, Any] = {}
    if changes.name is not None:
        if len(changes.name) > 255:
            raise InvalidInput("name", "name is too long (at most 255 characters)")
        fields["title"] = changes.name.strip() or DEFAULT_GROUP_NAME
    if changes.position is not None:
        if changes.position < 1:
            raise InvalidInput("position", "position must be 1 or more")
        fields["position"] = changes.position
    if changes.group_weight is not None:
        if not math.isfinite(changes.group_weight) or changes.group_weight < 0:
            raise InvalidInput("group_weight", "group_weight must be a number of 0 or more")
        new_data["group_weight"] = changes.group_weight
    if changes.rules is not None:
        new_data["rules"] = checked_rules(changes.rules)
    if changes.sis_source_id is not None:
        new_data["sis_source_id"] = changes.sis_source_id or None
    if changes.integration_data is not None:
        new_data["integration_data"] = changes.integration_data
    if new_data:
        fields["data"] = new_data
    return fields


def checked_rules(rules: dict[str, Any]) -> dict[str, Any]:
    """Grading rules as stored: non-negative drop counts and a list of never-dropped assignment ids."""
    unknown = set(rules) - set(RULE_KEYS)
    if unknown:
        raise InvalidInput("rules", f"rules may hold only {', '.join(RULE_KEYS)}; got {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for key in ("drop_lowest", "drop_highest"):
        if rules.get(key) not in (None, ""):
            value = str(rules[key]).strip()
            if store_id(value) is None:
                raise InvalidInput(f"rules[{key}]", f"rules[{key}] must be a whole number of 0 or more")
            if int(value):
                out[key] = int(value)
    never = rules.get("never_drop")
    if never not in (None, "", []):
        ids = never if isinstance(never, list) else list(never.values()) if isinstance(never, dict) else [never]
        if not all(is_id(i) for i in ids):
            raise InvalidInput("rules[never_drop]", "rules[never_drop] must list assignment ids")
        out["never_drop"] = [int(str(i).strip()) for i in ids]
    return out


def parse_rules_text(text: str) -> dict[str, Any]:
    """Canvas's text form of rules ("drop_lowest:1\\nnever_drop:33\\nnever_drop:34") as a hash."""
    out: dict[str, Any] = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not key:
            continue
        if key == "never_drop":
            out.setdefault("never_drop", []).append(value)
        else:
            out[key] = value
    return out
