"""Course groups: group categories (group sets) and their groups, and who is in each group.

Rules, as Canvas keeps them for course groups: a user is in at most one group of a category (joining
another group of it leaves the first); members are users enrolled in the course. Those who manage the
course's students (teachers, TAs, admins) make and delete categories and groups and put anyone enrolled
in a group; in a self-signup category a member of the course joins and leaves groups themself, up to the
category's group limit (a member over it is `GroupFull`). Everyone who reads the course reads its
categories, groups and members, as Canvas has it; a face that keeps Learn's rule asks `only_seen`, which
shows a student only their groups and the open self sign-up ones.

Groups made outside any group set (Learn's standalone groups) go in the course's one category of role
"imported", made when first needed: Canvas keeps groups that came without a category in such a category
too, so the Canvas face lists them as Canvas would, and a user may be in several of its groups. Each of
those groups carries its own self sign-up (`join_level` "parent_context_auto_join") and member limit
(`max_membership`), the settings a set otherwise holds for all its groups. A category and a group have an
external id unique in the course (their uuid unless one is given), freed when the row is deleted.
Making, changing and deleting a category is `group_sets.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.core.courses import group_sis
from courseport.core.courses.courses import readable_course
from courseport.core.courses.group_queries import EVERY_GROUP, GroupQuery, matching
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import Conflict, FieldText, InvalidInput, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Course, CourseGroup, GroupCategory, GroupMembership, User

MANAGE = "manage_students"
SELF_SIGNUP = (None, "enabled", "restricted")
JOIN_LEVELS = ("invitation_only", "parent_context_auto_join", "parent_context_request")
SELF_JOIN = "parent_context_auto_join"  # a group of the imported category that members join themselves
AVAILABILITY = ("available", "hidden", "signup_only")
HIDDEN = "hidden"  # members neither see into nor sign up for it; managers do
IMPORTED = "imported"  # the role of the category of groups in no group set
IMPORTED_NAME = "Imported Groups"
MAX_EXTERNAL_ID = 256
SIGNUP_SHEET = {"name": str, "description": str, "show_members": bool}  # a sign-up sheet's parts and types


@dataclass(frozen=True)
class CategoryChanges:
    name: str | None | Unset = UNSET
    self_signup: str | None | Unset = UNSET
    group_limit: int | None | Unset = UNSET
    description: str | None | Unset = UNSET
    external_id: str | None | Unset = UNSET
    availability: str | None | Unset = UNSET
    signup_sheet: dict[str, Any] | None | Unset = UNSET  # name, description, show_members (SIGNUP_SHEET)
    sis_source_id: str | None | Unset = UNSET  # root account admins only (group_sis.py)


@dataclass(frozen=True)
class CourseGroupChanges:
    name: str | None | Unset = UNSET
    description: str | None | Unset = UNSET
    join_level: str | None | Unset = UNSET
    max_membership: int | None | Unset = UNSET
    external_id: str | None | Unset = UNSET
    availability: str | None | Unset = UNSET
    signup_sheet: dict[str, Any] | None | Unset = UNSET  # name, description, show_members (SIGNUP_SHEET)
    sis_source_id: str | None | Unset = UNSET  # root account admins only (group_sis.py)


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


def category_of(db: Session, actor: User, category_id: str | int, right: str = "read"
                ) -> tuple[GroupCategory, CourseRights]:
    """A live category (group set) of a course the actor holds `right` in."""
    return _category(db, actor, category_id, right)


def group_of(db: Session, actor: User, group_id: str | int, right: str = "read") -> tuple[CourseGroup, CourseRights]:
    """A live group of a course the actor holds `right` in."""
    return _group(db, actor, group_id, right)


def _group(db: Session, actor: User, group_id: str | int, right: str = "read") -> tuple[CourseGroup, CourseRights]:
    group = db.get(CourseGroup, store_id(str(group_id))) if is_id(str(group_id)) else None
    if group is None or group.workflow_state == "deleted":
        raise NotFound("group")
    _, rights = _course(db, actor, group.course_id, right)
    return group, rights


def checked_name(value: str | None) -> str:
    """A category's or group's name, stripped; refused when empty."""
    name = (value or "").strip()
    if not name:
        raise InvalidInput("name", "name is required")
    return name


def check_limit(values: dict[str, Any], field: str) -> None:
    """A member limit (`field`), when given, is 1 or more."""
    if values.get(field) is not None and values[field] < 1:
        raise InvalidInput(field, f"{field} must be 1 or more")


def check_record(db: Session, model: type[GroupCategory] | type[CourseGroup], course_id: int,
                 values: dict[str, Any], exclude_id: int | None) -> None:
    """Availability and the external id (given, at most 256 characters, not another live row's of the course)."""
    if "availability" in values and values["availability"] not in AVAILABILITY:
        raise InvalidInput("availability", f"availability must be one of {', '.join(AVAILABILITY)}")
    _check_sheet(values.get("signup_sheet"))
    group_sis.check_free(db, model, course_id, values, exclude_id)
    if "external_id" not in values:
        return
    external_id = values["external_id"]
    if not external_id or len(external_id) > MAX_EXTERNAL_ID:
        raise InvalidInput("external_id", f"external_id must be 1 to {MAX_EXTERNAL_ID} characters long")
    taken = select(model.id).where(model.course_id == course_id, model.external_id == external_id,
                                   model.id != (exclude_id or 0))
    if db.scalar(taken) is not None:
        raise _taken(external_id)


def _check_sheet(sheet: dict[str, Any] | None) -> None:
    for part, value in (sheet or {}).items():
        kind = SIGNUP_SHEET.get(part)
        if kind is None or not isinstance(value, kind):
            raise InvalidInput("signup_sheet", f"signup_sheet may hold only {', '.join(SIGNUP_SHEET)}, "
                                               f"as text (show_members: true or false)")


def _taken(external_id: Any) -> Conflict:
    return Conflict(FieldText("{external_id} {value} is already used in this course", value=repr(external_id)))


def store_row(db: Session, row: GroupCategory | CourseGroup, values: dict[str, Any]) -> None:
    """The values set on the row, flushed; an external id a concurrent request took first is the same Conflict."""
    try:
        with db.begin_nested():
            for name, value in values.items():
                setattr(row, name, value)
            db.add(row)
            db.flush()
    except IntegrityError:
        raise _taken(values.get("external_id")) from None


def new_ids(values: dict[str, Any]) -> dict[str, Any]:
    """A new row's uuid, and its external id: the one given, or the uuid."""
    made = uuid4().hex
    return {"uuid": made, "external_id": values.get("external_id") or made}


def get_category(db: Session, actor: User, category_id: str) -> GroupCategory:
    return _category(db, actor, category_id)[0]


def list_categories(db: Session, actor: User, course_ref: str, window: Window, *, sets_only: bool = False,
                    query: GroupQuery = EVERY_GROUP) -> Slice[GroupCategory]:
    """A course's live categories the query matches, by id unless it sorts; `sets_only`: without the
    category of groups in no set."""
    course, _ = _course(db, actor, course_ref)
    stmt = select(GroupCategory).where(GroupCategory.course_id == course.id, GroupCategory.workflow_state != "deleted")
    if sets_only:
        stmt = stmt.where(GroupCategory.role.is_(None))
    return fetch_window(db, matching(stmt, GroupCategory, query), window)


def create_group(db: Session, actor: User, category_id: str, changes: CourseGroupChanges) -> GroupView:
    category, _ = _category(db, actor, category_id, MANAGE)
    group_sis.require_right(db, actor, changes.sis_source_id, updating=False)
    return _new_group(db, category, changes)


def create_standalone_group(db: Session, actor: User, course_ref: str, changes: CourseGroupChanges) -> GroupView:
    """A group in no group set: in the course's imported category (made now if it has none)."""
    course, _ = _course(db, actor, course_ref, MANAGE)
    group_sis.require_right(db, actor, changes.sis_source_id, updating=False)
    return _new_group(db, _imported_category(db, course.id), changes)


def _find_imported(db: Session, course_id: int) -> GroupCategory | None:
    return db.scalar(select(GroupCategory).where(GroupCategory.course_id == course_id, GroupCategory.role == IMPORTED,
                                                 GroupCategory.workflow_state != "deleted"))


def _imported_category(db: Session, course_id: int) -> GroupCategory:
    """The course's one live imported category, made now if it has none; one a concurrent request made
    first (the partial unique index refuses a second) is read again and used."""
    found = _find_imported(db, course_id)
    if found is not None:
        return found
    category = GroupCategory(course_id=course_id, name=IMPORTED_NAME, role=IMPORTED, **new_ids({}))
    try:
        with db.begin_nested():
            db.add(category)
    except IntegrityError:
        made = _find_imported(db, course_id)
        if made is None:  # refused for another reason: not ours to hide
            raise
        return made
    return category


def _new_group(db: Session, category: GroupCategory, changes: CourseGroupChanges) -> GroupView:
    values = _group_values(db, category.course_id, changes)
    if "name" not in values:
        raise InvalidInput("name", "name is required")
    values["join_level"] = values.get("join_level") or "invitation_only"
    values["availability"] = values.get("availability") or "available"
    group = CourseGroup(category_id=category.id, course_id=category.course_id)
    store_row(db, group, values | new_ids(values))
    return GroupView(group, category, 0)


def _group_values(db: Session, course_id: int, changes: CourseGroupChanges, exclude_id: int | None = None
                  ) -> dict[str, Any]:
    values = given(changes)
    if "name" in values:
        values["name"] = checked_name(values["name"])
    if values.get("join_level") is not None and values["join_level"] not in JOIN_LEVELS:
        raise InvalidInput("join_level", f"join_level must be one of {', '.join(JOIN_LEVELS)}")
    check_limit(values, "max_membership")
    check_record(db, CourseGroup, course_id, values, exclude_id)
    return values


def update_group(db: Session, actor: User, group_id: str, changes: CourseGroupChanges) -> GroupView:
    group, _ = _group(db, actor, group_id, MANAGE)
    group_sis.require_right(db, actor, changes.sis_source_id, updating=True)
    values = _group_values(db, group.course_id, changes, group.id)
    if "join_level" in values:
        values["join_level"] = values["join_level"] or "invitation_only"
    store_row(db, group, values)
    return view_of(db, group)


def delete_group(db: Session, actor: User, group_id: str) -> GroupView:
    group, _ = _group(db, actor, group_id, MANAGE)
    view = view_of(db, group)
    delete_group_row(db, group)
    return view


def delete_group_row(db: Session, group: CourseGroup) -> None:
    """The group deleted with its memberships, its external id freed (no right asked: the caller's)."""
    group.workflow_state, group.external_id = "deleted", None
    db.query(GroupMembership).filter(GroupMembership.group_id == group.id).delete()
    db.flush()


def get_group(db: Session, actor: User, group_id: str) -> GroupView:
    return view_of(db, _group(db, actor, group_id)[0])


def view_of(db: Session, group: CourseGroup) -> GroupView:
    count = db.scalar(select(func.count()).select_from(GroupMembership).where(GroupMembership.group_id == group.id))
    return GroupView(group, db.get_one(GroupCategory, group.category_id), count or 0)


def _seen_by(actor: User) -> ColumnElement[bool]:
    """The groups a member who does not manage the course sees when `only_seen` asks for it: theirs, and the
    groups open for self sign-up (in a self sign-up set, or in no set and open to join) that are not hidden,
    nor is their set."""
    mine = select(GroupMembership.group_id).where(GroupMembership.user_id == actor.id)
    shown = select(GroupCategory.id).where(GroupCategory.availability != HIDDEN)
    open_sets = shown.where(GroupCategory.role.is_(None), GroupCategory.self_signup.is_not(None))
    no_set = shown.where(GroupCategory.role == IMPORTED)
    open_group = or_(CourseGroup.category_id.in_(open_sets),
                     and_(CourseGroup.category_id.in_(no_set), CourseGroup.join_level == SELF_JOIN))
    return or_(CourseGroup.id.in_(mine), and_(CourseGroup.availability != HIDDEN, open_group))


def list_groups(db: Session, actor: User, *, course_ref: str | None = None, category_id: str | None = None,
                only_own: bool = False, only_seen: bool = False, query: GroupQuery = EVERY_GROUP,
                window: Window) -> Slice[GroupView]:
    """A course's live groups (or a category's) the query matches, by id unless it sorts; `only_own`:
    those the actor is in; `only_seen`: all to those who manage the course's students, else `_seen_by`'s
    (Learn's rule; everyone who reads a course reads all its groups otherwise, as Canvas has it)."""
    if category_id is not None:
        category, rights = _category(db, actor, category_id)
        stmt = select(CourseGroup).where(CourseGroup.category_id == category.id)
    else:
        course, rights = _course(db, actor, str(course_ref))
        stmt = select(CourseGroup).where(CourseGroup.course_id == course.id)
    stmt = stmt.where(CourseGroup.workflow_state != "deleted")
    if only_own:
        mine = select(GroupMembership.group_id).where(GroupMembership.user_id == actor.id)
        stmt = stmt.where(CourseGroup.id.in_(mine))
    if only_seen and not rights.can(MANAGE):
        stmt = stmt.where(_seen_by(actor))
    if query.in_set is not None:
        imported = select(GroupCategory.id).where(GroupCategory.role == IMPORTED)
        in_none = CourseGroup.category_id.in_(imported)
        stmt = stmt.where(~in_none if query.in_set else in_none)
    page = fetch_window(db, matching(stmt, CourseGroup, query), window)
    return Slice([view_of(db, g) for g in page.items], page.has_more, page.total)


def my_groups(db: Session, actor: User, window: Window) -> Slice[GroupView]:
    """The actor's live groups in every course, by id."""
    stmt = select(CourseGroup).where(CourseGroup.workflow_state != "deleted", CourseGroup.id.in_(
        select(GroupMembership.group_id).where(GroupMembership.user_id == actor.id)))
    page = fetch_window(db, stmt.order_by(CourseGroup.id), window)
    return Slice([view_of(db, g) for g in page.items], page.has_more, page.total)


def find_category(db: Session, actor: User, course_ref: str, kind: str, value: str | int) -> GroupCategory:
    """A live group set of the course by `kind` id, external_id or uuid; never the imported category."""
    course, _ = _course(db, actor, course_ref)
    found = db.scalar(_by_ref(GroupCategory, course.id, kind, value).where(GroupCategory.role.is_(None)))
    if found is None:
        raise NotFound("group category", "Group set not found")
    return found


def find_group(db: Session, actor: User, course_ref: str, kind: str, value: str | int, *, only_seen: bool = False
               ) -> GroupView:
    """A live group of the course by `kind` id, external_id or uuid; `only_seen`: as `list_groups` says."""
    course, rights = _course(db, actor, course_ref)
    stmt = _by_ref(CourseGroup, course.id, kind, value)
    found = db.scalar(stmt.where(_seen_by(actor)) if only_seen and not rights.can(MANAGE) else stmt)
    if found is None:
        raise NotFound("group", "Group not found")
    return view_of(db, found)


def _by_ref(model: Any, course_id: int, kind: str, value: str | int) -> Any:
    column = {"id": model.id, "external_id": model.external_id, "uuid": model.uuid}[kind]
    return select(model).where(model.course_id == course_id, column == value, model.workflow_state != "deleted")
