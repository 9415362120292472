"""Who is in a course group: join, leave, list (the rules are in core/courses/groups.py's docstring)."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.core.courses.groups import HIDDEN, IMPORTED, MANAGE, SELF_JOIN, group_of
from courseport.core.identity import users
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import CourseGroup, Enrollment, GroupCategory, GroupMembership, User

_LIVE_ENROLLMENTS = ("active", "invited", "creation_pending", "completed", "inactive")


class GroupFull(InvalidInput):
    """A member signing themself up for a group at its limit: bad input to Canvas (400), a conflict to Learn
    (409); each face's error table says which."""

    def __init__(self) -> None:
        super().__init__("group_id", "the group is full")


def _may_change(rights: CourseRights, category: GroupCategory, group: CourseGroup, actor: User, user: User) -> None:
    """Managers change anyone; a member of the course themself, in a self sign-up category or a group in
    no set that is open to join."""
    if rights.can(MANAGE):
        return
    open_group = category.role == IMPORTED and group.join_level == SELF_JOIN
    if user.id != actor.id or (category.self_signup is None and not open_group):
        raise NotAllowed()


def group_limit(category: GroupCategory, group: CourseGroup) -> int | None:
    """How many members a group may have by self sign-up: its own limit in no set, else its category's."""
    return group.max_membership if category.role == IMPORTED else category.group_limit


def lock_category(db: Session, category: GroupCategory) -> None:
    """Membership writes to a category's groups take turns (PostgreSQL; SQLite's writers do anyway): each reads
    who is where and how full each group is, then writes, so two at once could put one student in two groups of
    a set, or one more member in a group than its limit. Later statements of the transaction read what the
    writer before it committed (READ COMMITTED takes a snapshot per statement)."""
    db.execute(select(GroupCategory.id).where(GroupCategory.id == category.id).with_for_update())


def add_member(db: Session, actor: User, group_id: str, user_ref: str | None) -> GroupMembership:
    """Put a user of the course in the group, out of any other group of its category; again, the same."""
    group, rights = group_of(db, actor, group_id)
    if not user_ref:
        raise InvalidInput("user_id", "user_id is required")
    user = users.resolve_user(db, user_ref, actor)
    category = db.get_one(GroupCategory, group.category_id)
    _may_change(rights, category, group, actor, user)
    if not rights.can(MANAGE) and HIDDEN in (group.availability, category.availability):
        raise NotAllowed()  # members do not sign up for a group (or set) hidden from them
    enrolled = select(Enrollment.id).where(Enrollment.user_id == user.id, Enrollment.course_id == group.course_id,
                                           Enrollment.workflow_state.in_(_LIVE_ENROLLMENTS)).limit(1)
    if db.scalar(enrolled) is None:
        raise InvalidInput("user_id", "user_id must name a user enrolled in the group's course")
    lock_category(db, category)
    found = db.scalar(select(GroupMembership).where(GroupMembership.group_id == group.id,
                                                    GroupMembership.user_id == user.id))
    if found is not None:
        return found
    limit = group_limit(category, group)
    if limit is not None and not rights.can(MANAGE) and _count(db, group) >= limit:
        raise GroupFull()
    if category.role != IMPORTED:  # one group of a set at a time; groups in no set are each their own
        siblings = select(CourseGroup.id).where(CourseGroup.category_id == category.id)
        db.execute(delete(GroupMembership).where(GroupMembership.user_id == user.id,
                                                 GroupMembership.group_id.in_(siblings)))
    try:
        with db.begin_nested():
            membership = GroupMembership(group_id=group.id, user_id=user.id)
            db.add(membership)
    except IntegrityError:  # a concurrent request put them in first
        return db.get_one(GroupMembership, db.scalar(select(GroupMembership.id).where(
            GroupMembership.group_id == group.id, GroupMembership.user_id == user.id)))
    return membership


def leave_course_groups(db: Session, course_id: int, user_id: int) -> None:
    """A user with no live enrollment left in a course leaves its groups (enrollments call this on delete)."""
    enrolled = select(Enrollment.id).where(Enrollment.user_id == user_id, Enrollment.course_id == course_id,
                                           Enrollment.workflow_state.in_(_LIVE_ENROLLMENTS)).limit(1)
    if db.scalar(enrolled) is None:
        groups = select(CourseGroup.id).where(CourseGroup.course_id == course_id)
        db.execute(delete(GroupMembership).where(GroupMembership.user_id == user_id,
                                                 GroupMembership.group_id.in_(groups)))


def _count(db: Session, group: CourseGroup) -> int:
    return db.scalar(select(func.count()).select_from(GroupMembership).where(GroupMembership.group_id == group.id)) or 0


def remove_member(db: Session, actor: User, group_id: str, user_ref: str) -> None:
    group, rights = group_of(db, actor, group_id)
    user = users.resolve_user(db, user_ref, actor)
    _may_change(rights, db.get_one(GroupCategory, group.category_id), group, actor, user)
    row = db.scalar(select(GroupMembership).where(GroupMembership.group_id == group.id,
                                                  GroupMembership.user_id == user.id))
    if row is None:
        raise NotFound("group membership", "Group membership not found")
    db.delete(row)
    db.flush()


def remove_membership(db: Session, actor: User, group_id: str, membership_ref: str) -> None:
    """By membership id, or `self` for the actor's own."""
    if membership_ref == "self":
        return remove_member(db, actor, group_id, "self")
    group, _ = group_of(db, actor, group_id)
    row = db.get(GroupMembership, store_id(membership_ref)) if is_id(membership_ref) else None
    if row is None or row.group_id != group.id:
        raise NotFound("group membership")
    return remove_member(db, actor, group_id, str(row.user_id))


def list_memberships(db: Session, actor: User, group_id: str, window: Window) -> Slice[GroupMembership]:
    group, _ = group_of(db, actor, group_id)
    stmt = select(GroupMembership).where(GroupMembership.group_id == group.id).order_by(GroupMembership.id)
    return fetch_window(db, stmt, window)


def list_members(db: Session, actor: User, group_id: str, window: Window) -> Slice[User]:
    group, _ = group_of(db, actor, group_id)
    members = select(GroupMembership.user_id).where(GroupMembership.group_id == group.id)
    return fetch_window(db, select(User).where(User.id.in_(members)).order_by(User.sortable_name, User.id), window)


def get_member(db: Session, actor: User, group_id: str, user_ref: str) -> GroupMembership:
    """One user's membership of the group; NotFound when they are not in it."""
    group, _ = group_of(db, actor, group_id)
    user = users.resolve_user(db, user_ref, actor)
    row = db.scalar(select(GroupMembership).where(GroupMembership.group_id == group.id,
                                                  GroupMembership.user_id == user.id))
    if row is None:
        raise NotFound("group membership", "Group membership not found")
    return row


def update_member(db: Session, actor: User, group_id: str, ref: str, *, by_membership: bool,
                  moderator: bool | None, accepted: bool) -> GroupMembership:
    """Make a member a moderator or not (managers only); accepting is what every membership here already is
    (there are no invitations to accept). `ref` names the user, or the membership with `by_membership`."""
    group, rights = group_of(db, actor, group_id)
    if by_membership:
        row = db.get(GroupMembership, store_id(ref)) if is_id(ref) else None
        if row is None or row.group_id != group.id:
            raise NotFound("group membership", "Group membership not found")
    else:
        row = get_member(db, actor, group_id, ref)
    if moderator is not None:
        if not rights.can(MANAGE):
            raise NotAllowed()
        row.moderator = moderator
    elif not accepted:
        raise InvalidInput("moderator", "moderator or workflow_state=accepted is required")
    db.flush()
    return row

