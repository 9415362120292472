"""Course groups: group categories (group sets) and their groups, and who is in each group.

Rules, as Canvas keeps them for course groups: a user is in at most one group of a category (joining
another group of it leaves the first); members are users enrolled in the course. Those who manage the
course's students (teachers, TAs, admins) make and delete categories and groups and put anyone enrolled
in a group; in a self-signup category a member of the course joins and leaves groups themself, up to the
category's group limit. Everyone who reads the course reads its categories, groups and members.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Course, CourseGroup, GroupCategory, GroupMembership, User

MANAGE = "manage_students"
SELF_SIGNUP = (None, "enabled", "restricted")
JOIN_LEVELS = ("invitation_only", "parent_context_auto_join", "parent_context_request")
_LIVE_ENROLLMENTS = ("active", "invited", "creation_pending", "completed", "inactive")


@dataclass(frozen=True)
class CategoryChanges:
    given: frozenset[str]
    name: str | None = None
    self_signup: str | None = None
    group_limit: int | None = None


@dataclass(frozen=True)
class GroupView:
    group: CourseGroup
    category: GroupCategory
    members_count: int


def _course(db: Session, actor: User, course_ref: str | int, right: str = "read") -> tuple[Course, CourseRights]:
    return readable_course(db, actor, course_ref, right)


def _category(db: Session, actor: User, category_id: str | int, right: str = "read"
              ) -> tuple[GroupCategory, CourseRights]:
    category = db.get(GroupCategory, store_id(str(category_id))) if is_id(str(category_id)) else None
    if category is None or category.workflow_state == "deleted":
        raise NotFound("group category")
    _, rights = _course(db, actor, category.course_id, right)
    return category, rights


def group_of(db: Session, actor: User, group_id: str | int, right: str = "read") -> tuple[CourseGroup, CourseRights]:
    """A live group of a course the actor holds `right` in."""
    return _group(db, actor, group_id, right)


def _group(db: Session, actor: User, group_id: str | int, right: str = "read") -> tuple[CourseGroup, CourseRights]:
    group = db.get(CourseGroup, store_id(str(group_id))) if is_id(str(group_id)) else None
    if group is None or group.workflow_state == "deleted":
        raise NotFound("group")
    _, rights = _course(db, actor, group.course_id, right)
    return group, rights


def _checked(db: Session, course_id: int, changes: CategoryChanges, exclude_id: int | None = None) -> None:
    if "name" in changes.given:
        name = (changes.name or "").strip()
        if not name:
            raise InvalidInput("name", "name is required")
        taken = select(GroupCategory.id).where(GroupCategory.course_id == course_id, GroupCategory.name == name,
                                               GroupCategory.workflow_state != "deleted")
        if db.scalar(taken.where(GroupCategory.id != (exclude_id or 0))) is not None:
            raise InvalidInput("name", "name has already been taken")
    if "self_signup" in changes.given and changes.self_signup not in SELF_SIGNUP:
        raise InvalidInput("self_signup", "self_signup must be enabled, restricted or empty")
    if "group_limit" in changes.given and changes.group_limit is not None and changes.group_limit < 1:
        raise InvalidInput("group_limit", "group_limit must be 1 or more")


def create_category(db: Session, actor: User, course_ref: str, changes: CategoryChanges, group_count: int = 0
                    ) -> GroupCategory:
    course, _ = _course(db, actor, course_ref, MANAGE)
    _checked(db, course.id, replace(changes, given=changes.given | {"name"}))
    if not 0 <= group_count <= 200:
        raise InvalidInput("create_group_count", "create_group_count must be from 0 to 200")
    category = GroupCategory(course_id=course.id, name=(changes.name or "").strip(), self_signup=changes.self_signup,
                             group_limit=changes.group_limit)
    db.add(category)
    db.flush()
    for n in range(1, group_count + 1):
        db.add(CourseGroup(category_id=category.id, course_id=course.id, name=f"{category.name} {n}"))
    db.flush()
    return category


def update_category(db: Session, actor: User, category_id: str, changes: CategoryChanges) -> GroupCategory:
    category, _ = _category(db, actor, category_id, MANAGE)
    _checked(db, category.course_id, changes, category.id)
    for name in changes.given:
        value = getattr(changes, name)
        setattr(category, name, value.strip() if name == "name" and value else value)
    db.flush()
    return category


def delete_category(db: Session, actor: User, category_id: str) -> GroupCategory:
    """The category and its groups are deleted (their members with them)."""
    category, _ = _category(db, actor, category_id, MANAGE)
    for group in db.scalars(select(CourseGroup).where(CourseGroup.category_id == category.id)):
        _delete_group(db, group)
    category.workflow_state = "deleted"
    db.flush()
    return category


def get_category(db: Session, actor: User, category_id: str) -> GroupCategory:
    return _category(db, actor, category_id)[0]


def list_categories(db: Session, actor: User, course_ref: str, window: Window) -> Slice[GroupCategory]:
    course, _ = _course(db, actor, course_ref)
    stmt = select(GroupCategory).where(GroupCategory.course_id == course.id, GroupCategory.workflow_state != "deleted")
    return fetch_window(db, stmt.order_by(GroupCategory.id), window)


def create_group(db: Session, actor: User, category_id: str, name: str | None, description: str | None,
                 join_level: str | None) -> GroupView:
    category, _ = _category(db, actor, category_id, MANAGE)
    if not (name or "").strip():
        raise InvalidInput("name", "name is required")
    if join_level is not None and join_level not in JOIN_LEVELS:
        raise InvalidInput("join_level", f"join_level must be one of {', '.join(JOIN_LEVELS)}")
    group = CourseGroup(category_id=category.id, course_id=category.course_id, name=(name or "").strip(),
                        description=description, join_level=join_level or "invitation_only")
    db.add(group)
    db.flush()
    return GroupView(group, category, 0)


def update_group(db: Session, actor: User, group_id: str, name: str | None, description: str | None) -> GroupView:
    group, _ = _group(db, actor, group_id, MANAGE)
    if name is not None:
        if not name.strip():
            raise InvalidInput("name", "name is required")
        group.name = name.strip()
    if description is not None:
        group.description = description
    db.flush()
    return view_of(db, group)


def delete_group(db: Session, actor: User, group_id: str) -> GroupView:
    group, _ = _group(db, actor, group_id, MANAGE)
    view = view_of(db, group)
    _delete_group(db, group)
    return view


def _delete_group(db: Session, group: CourseGroup) -> None:
    group.workflow_state = "deleted"
    db.query(GroupMembership).filter(GroupMembership.group_id == group.id).delete()
    db.flush()


def get_group(db: Session, actor: User, group_id: str) -> GroupView:
    return view_of(db, _group(db, actor, group_id)[0])


def view_of(db: Session, group: CourseGroup) -> GroupView:
    count = db.scalar(select(func.count()).select_from(GroupMembership).where(GroupMembership.group_id == group.id))
    return GroupView(group, db.get_one(GroupCategory, group.category_id), count or 0)


def list_groups(db: Session, actor: User, *, course_ref: str | None = None, category_id: str | None = None,
                only_own: bool = False, window: Window) -> Slice[GroupView]:
    """A course's live groups (or a category's), by id; `only_own`: those the actor is in."""
    if category_id is not None:
        category, _ = _category(db, actor, category_id)
        stmt = select(CourseGroup).where(CourseGroup.category_id == category.id)
    else:
        course, _ = _course(db, actor, str(course_ref))
        stmt = select(CourseGroup).where(CourseGroup.course_id == course.id)
    stmt = stmt.where(CourseGroup.workflow_state != "deleted")
    if only_own:
        mine = select(GroupMembership.group_id).where(GroupMembership.user_id == actor.id)
        stmt = stmt.where(CourseGroup.id.in_(mine))
    page = fetch_window(db, stmt.order_by(CourseGroup.id), window)
    return Slice([view_of(db, g) for g in page.items], page.has_more, page.total)


def my_groups(db: Session, actor: User, window: Window) -> Slice[GroupView]:
    """The actor's live groups in every course, by id."""
    stmt = select(CourseGroup).where(CourseGroup.workflow_state != "deleted", CourseGroup.id.in_(
        select(GroupMembership.group_id).where(GroupMembership.user_id == actor.id)))
    page = fetch_window(db, stmt.order_by(CourseGroup.id), window)
    return Slice([view_of(db, g) for g in page.items], page.has_more, page.total)
