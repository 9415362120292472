"""Whose outcomes: a course's, an account's, or the global ones that belong to no one.

Outcomes, their groups and links are content items (outcomes.py, outcome_groups.py). A course's have its
`course_id`; an account's have no course and the account's `account_id`; global ones have neither. An `Owner`
is one of these contexts as the actor sees it: the condition its items meet and whether the actor manages them.
A course's outcomes are read by its readers and managed with its content-manage right (Canvas's
manage_outcomes); an account's are managed by its admins (and those of accounts above it) and read by anyone
enrolled in a course of it or of an account under it; global ones are read by everyone and managed by site
admins (the root account's admins).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from courseport.core.content import content
from courseport.core.courses.courses import readable_course
from courseport.core.identity import accounts
from courseport.core.identity.permissions import course_rights
from courseport.core.kit.errors import NotAllowed, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.schema import Course, Enrollment, User
from courseport.schema.content import ContentItem

COURSE, ACCOUNT, GLOBAL = "course", "account", "global"
MANAGE = "manage_content"  # Canvas's manage_outcomes (core/identity/permissions.py)
ROOT_ACCOUNT_ID = accounts.ROOT_ACCOUNT_ID
_LIVE_ENROLLMENTS = ("active", "invited", "completed")


@dataclass(frozen=True)
class Owner:
    kind: str  # COURSE, ACCOUNT or GLOBAL
    id: int | None  # the course's or the account's id; none for GLOBAL
    title: str  # the root group's title
    can_manage: bool

    @property
    def course_id(self) -> int | None:
        return self.id if self.kind == COURSE else None

    def where(self) -> ColumnElement[bool]:
        """The condition the owner's items meet."""
        if self.kind == COURSE:
            return ContentItem.course_id == self.id
        if self.kind == ACCOUNT:
            return and_(ContentItem.course_id.is_(None), ContentItem.account_id == self.id)
        return and_(ContentItem.course_id.is_(None), ContentItem.account_id.is_(None))

    def holds(self, item: ContentItem) -> bool:
        return context_of(item) == (self.kind, self.id)


def context_of(item: ContentItem) -> tuple[str, int | None]:
    """The kind and id of the context an outcome item belongs to."""
    if item.course_id is not None:
        return COURSE, item.course_id
    return (ACCOUNT, item.account_id) if item.account_id is not None else (GLOBAL, None)


def course_owner(db: Session, actor: User, course_ref: str | int, *, manage: bool = False) -> Owner:
    """A course the actor reads (manages the outcomes of, with `manage`)."""
    course, rights = readable_course(db, actor, course_ref, MANAGE if manage else "read")
    return Owner(COURSE, course.id, course.name, rights.can(MANAGE))


def of_course(course: Course) -> Owner:
    """A course as the owner of its outcomes, for reads that checked the actor's rights already."""
    return Owner(COURSE, course.id, course.name, False)


def account_owner(db: Session, actor: User, account_ref: str, *, manage: bool = False) -> Owner:
    """An account whose outcomes the actor reads (administers, with `manage`)."""
    account = accounts.resolve_account(db, account_ref, actor.id)
    admin = accounts.is_admin_of(db, actor.id, account.id)
    if not admin and (manage or not _member(db, actor, account.id)):
        raise NotAllowed()
    return Owner(ACCOUNT, account.id, account.name, admin)


def global_owner(db: Session, actor: User, *, manage: bool = False) -> Owner:
    """The global outcomes: everyone reads them, site admins manage them."""
    admin = accounts.is_admin_of(db, actor.id, accounts.ROOT_ACCOUNT_ID)
    if manage and not admin:
        raise NotAllowed()
    return Owner(GLOBAL, None, "ROOT", admin)


def owner_of(db: Session, actor: User, item: ContentItem, *, manage: bool = False) -> Owner:
    """The owner of an outcome item, as the actor sees it (NotAllowed unless the actor reads it, or manages it
    with `manage`)."""
    kind, owner_id = context_of(item)
    if kind == COURSE:
        return course_owner(db, actor, owner_id or 0, manage=manage)
    if kind == ACCOUNT:
        return account_owner(db, actor, str(owner_id), manage=manage)
    return global_owner(db, actor, manage=manage)


def _member(db: Session, actor: User, account_id: int) -> bool:
    """Whether the actor is enrolled in a course of the account or of an account under it."""
    course_accounts = db.scalars(select(Course.account_id).join(Enrollment, Enrollment.course_id == Course.id).where(
        Enrollment.user_id == actor.id, Enrollment.workflow_state.in_(_LIVE_ENROLLMENTS),
        Course.workflow_state != "deleted").distinct())
    return any(account_id in accounts.ancestor_ids(db, held) for held in course_accounts)


def reads_course(db: Session, actor: User, course_id: int) -> bool:
    course = db.get(Course, course_id)
    return course is not None and course_rights(db, actor, course).can("read")


def create_item(db: Session, owner: Owner, kind: str, fields: dict[str, Any], *,
                user_id: int | None = None) -> ContentItem:
    extra = {"account_id": owner.id} if owner.kind == ACCOUNT else {}
    return content.create_item(db, owner.course_id, kind, {**fields, **extra}, user_id=user_id)


def get_item(db: Session, owner: Owner, item_id: str | int, kind: str) -> ContentItem:
    item = db.get(ContentItem, store_id(item_id)) if is_id(item_id) else None
    if item is None or item.type != kind or item.workflow_state == "deleted" or not owner.holds(item):
        raise NotFound(kind.replace("_", " "))
    return item
