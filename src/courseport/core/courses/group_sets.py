"""Group sets (Canvas's group categories): making, changing and deleting them, with their rules (a name
unique among the course's sets, self sign-up, group limit); the groups in them are `groups.py`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses import group_sis, groups
from courseport.core.courses.courses import readable_course
from courseport.core.courses.groups import CategoryChanges
from courseport.core.kit.changes import given
from courseport.core.kit.errors import InvalidInput
from courseport.schema import CourseGroup, GroupCategory, User


def _checked(db: Session, course_id: int, changes: CategoryChanges, exclude_id: int | None = None
             ) -> dict[str, Any]:
    """The changes to store, checked: a name (unique among the course's categories), sign-up, limit."""
    values = given(changes)
    if "name" in values:
        values["name"] = groups.checked_name(values["name"])
        taken = select(GroupCategory.id).where(GroupCategory.course_id == course_id,
                                               GroupCategory.name == values["name"],
                                               GroupCategory.workflow_state != "deleted")
        if db.scalar(taken.where(GroupCategory.id != (exclude_id or 0))) is not None:
            raise InvalidInput("name", "name has already been taken")
    if values.get("self_signup", None) not in groups.SELF_SIGNUP:
        raise InvalidInput("self_signup", "self_signup must be enabled, restricted or empty")
    groups.check_limit(values, "group_limit")
    groups.check_record(db, GroupCategory, course_id, values, exclude_id)
    return values


def create_category(db: Session, actor: User, course_ref: str, changes: CategoryChanges, group_count: int = 0
                    ) -> GroupCategory:
    course, _ = readable_course(db, actor, course_ref, groups.MANAGE)
    group_sis.require_right(db, actor, changes.sis_source_id, updating=False)
    values = _checked(db, course.id, changes)
    if "name" not in values:
        raise InvalidInput("name", "name is required")
    if not 0 <= group_count <= 200:
        raise InvalidInput("create_group_count", "create_group_count must be from 0 to 200")
    category = GroupCategory(course_id=course.id)
    groups.store_row(db, category, values | groups.new_ids(values))
    for n in range(1, group_count + 1):
        db.add(CourseGroup(category_id=category.id, course_id=course.id, name=f"{category.name} {n}",
                           **groups.new_ids({})))
    db.flush()
    return category


def update_category(db: Session, actor: User, category_id: str, changes: CategoryChanges) -> GroupCategory:
    category, _ = groups.category_of(db, actor, category_id, groups.MANAGE)
    group_sis.require_right(db, actor, changes.sis_source_id, updating=True)
    groups.store_row(db, category, _checked(db, category.course_id, changes, category.id))
    return category


def delete_category(db: Session, actor: User, category_id: str) -> GroupCategory:
    """The category and its groups are deleted (their members with them)."""
    category, _ = groups.category_of(db, actor, category_id, groups.MANAGE)
    for group in db.scalars(select(CourseGroup).where(CourseGroup.category_id == category.id)):
        groups.delete_group_row(db, group)
    category.workflow_state, category.external_id = "deleted", None
    db.flush()
    return category
