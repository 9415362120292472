"""Account notifications: dated global announcements an account's admins post to its users.

Who: admins of the account (or an account above it) create and edit them and see every one of the account
(`include_all`). A user of the account or of an account below it (account_users.belongs_to) sees the live ones
of the account and the accounts above it, those limited to roles only when they hold one of the roles (an
enrollment's or an adminship's). Closing one (Canvas's DELETE) hides it for that user alone; past ones (closed
or ended) are listed again when asked. A message is sanitised HTML; end_at may not come before start_at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, delete, exists, or_, select
from sqlalchemy.orm import Session

from courseport.core.identity import account_users, accounts, roles, users
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.html import sanitize_html
from courseport.core.kit.ids import store_id
from courseport.schema import (
    Account,
    AccountNotification,
    AccountNotificationClosure,
    AccountNotificationRole,
    AccountUser,
    Enrollment,
    Role,
    User,
)
from courseport.schema.base import utcnow

ICONS = ("warning", "information", "question", "error", "calendar")
_REQUIRED = ("subject", "message", "start_at", "end_at")


@dataclass(frozen=True)
class NoticeChanges:
    """What a create or update sets; `roles` are role ids or names (none: every user of the account)."""

    subject: str | None | Unset = UNSET
    message: str | None | Unset = UNSET
    start_at: datetime | None | Unset = UNSET
    end_at: datetime | None | Unset = UNSET
    icon: str | None | Unset = UNSET
    roles: list | None | Unset = UNSET


@dataclass(frozen=True)
class Notice:
    """A notification with the roles it is limited to, as listed."""

    row: AccountNotification
    roles: list[Role]


@dataclass(frozen=True)
class NoticeQuery:
    include_past: bool = False  # closed and ended ones too
    include_all: bool = False  # an admin's: every notification of the account, whoever it is shown to


def _admin_account(db: Session, actor: User, account_ref: str) -> Account:
    account = accounts.resolve_account(db, account_ref, actor.id)
    if not accounts.is_admin_of(db, actor.id, account.id):
        raise NotAllowed()
    return account


def create_notice(db: Session, actor: User, account_ref: str, changes: NoticeChanges) -> Notice:
    account = _admin_account(db, actor, account_ref)
    fields = given(changes)
    for name in _REQUIRED:
        if fields.get(name) in (None, ""):
            raise InvalidInput(name, f"{name} is required")
    row = AccountNotification(account_id=account.id, author_id=actor.id, icon="warning")
    role_rows = _apply(db, account, row, fields)
    db.add(row)
    db.flush()
    _set_roles(db, row, role_rows or [])
    return Notice(row, role_rows or [])


def update_notice(db: Session, actor: User, account_ref: str, notice_id: str, changes: NoticeChanges) -> Notice:
    account = _admin_account(db, actor, account_ref)
    row = _row(db, account, notice_id)
    fields = given(changes)
    for name in _REQUIRED:
        if name in fields and fields[name] in (None, ""):
            raise InvalidInput(name, f"{name} may not be blank")
    role_rows = _apply(db, account, row, fields)
    if role_rows is not None:
        _set_roles(db, row, role_rows)
    db.flush()
    return Notice(row, _roles_of(db, row))


def _apply(db: Session, account: Account, row: AccountNotification, fields: dict) -> list[Role] | None:
    """Checks every field before setting any; the roles named, when `roles` is given."""
    subject = (fields.get("subject") or row.subject or "").strip()
    if len(subject) > 255:
        raise InvalidInput("subject", "subject is too long (maximum is 255 characters)")
    icon = fields.get("icon") or row.icon
    if icon not in ICONS:
        raise InvalidInput("icon", f"icon must be one of {', '.join(ICONS)}")
    start_at, end_at = fields.get("start_at") or row.start_at, fields.get("end_at") or row.end_at
    if end_at < start_at:
        raise InvalidInput("end_at", "end_at must be after start_at")
    message = sanitize_html(fields["message"], "message") if "message" in fields else row.message
    role_rows = _named_roles(db, account, fields["roles"] or []) if "roles" in fields else None
    row.subject, row.icon, row.start_at, row.end_at, row.message = subject, icon, start_at, end_at, message
    return role_rows


def _named_roles(db: Session, account: Account, refs: list) -> list[Role]:
    found: dict[int, Role] = {}
    for ref in refs:
        try:
            role = roles.role_for(db, account, str(ref))
        except NotFound:
            raise InvalidInput("roles", f"no role {ref!r} in this account") from None
        found.setdefault(role.id, role)
    return list(found.values())


def _set_roles(db: Session, row: AccountNotification, role_rows: list[Role]) -> None:
    db.execute(delete(AccountNotificationRole).where(AccountNotificationRole.notification_id == row.id))
    db.add_all(AccountNotificationRole(notification_id=row.id, role_id=role.id) for role in role_rows)
    db.flush()


def _roles_of(db: Session, row: AccountNotification) -> list[Role]:
    return list(db.scalars(select(Role).join(AccountNotificationRole, AccountNotificationRole.role_id == Role.id)
                           .where(AccountNotificationRole.notification_id == row.id).order_by(Role.id)))


def _row(db: Session, account: Account, notice_id: str) -> AccountNotification:
    row_id = store_id(notice_id)
    row = db.get(AccountNotification, row_id) if row_id is not None else None
    if row is None or row.account_id != account.id:
        raise NotFound("account notification")
    return row


def list_notices(db: Session, actor: User, account_ref: str, query: NoticeQuery) -> list[Notice]:
    """The notifications the actor sees in the account (see the module docstring), newest start first."""
    account = accounts.resolve_account(db, account_ref, actor.id)
    admin = accounts.is_admin_of(db, actor.id, account.id)
    if query.include_all and admin:
        stmt = select(AccountNotification).where(AccountNotification.account_id == account.id)
    else:
        stmt = _shown_to(db, actor, account, admin, query.include_past)
    rows = db.scalars(stmt.order_by(AccountNotification.start_at.desc(), AccountNotification.id.desc()))
    return [Notice(row, _roles_of(db, row)) for row in rows]


def _shown_to(db: Session, actor: User, account: Account, admin: bool, include_past: bool,
              ) -> Select[AccountNotification]:
    if not admin and not account_users.belongs_to(db, actor.id, account):
        raise NotAllowed()
    now = utcnow()
    stmt = select(AccountNotification).where(
        AccountNotification.account_id.in_(accounts.ancestor_ids(db, account.id)),
        AccountNotification.start_at <= now, _for_roles_of(actor.id))
    if include_past:
        return stmt
    closed = exists().where(AccountNotificationClosure.notification_id == AccountNotification.id,
                            AccountNotificationClosure.user_id == actor.id)
    return stmt.where(AccountNotification.end_at >= now, ~closed)


def _for_roles_of(user_id: int) -> ColumnElement[bool]:
    """No roles named, or one the user holds by a live enrollment or an adminship."""
    limited = exists().where(AccountNotificationRole.notification_id == AccountNotification.id)
    held = exists().where(AccountNotificationRole.notification_id == AccountNotification.id, or_(
        exists().where(Enrollment.user_id == user_id, Enrollment.role_id == AccountNotificationRole.role_id,
                       Enrollment.workflow_state != "deleted"),
        exists().where(AccountUser.user_id == user_id, AccountUser.role_id == AccountNotificationRole.role_id)))
    return or_(~limited, held)


def get_notice(db: Session, actor: User, account_ref: str, notice_id: str) -> Notice:
    """One notification the actor sees (past and closed ones included); an admin sees any of the account's."""
    account = accounts.resolve_account(db, account_ref, actor.id)
    admin = accounts.is_admin_of(db, actor.id, account.id)
    row_id = store_id(notice_id)
    row = db.get(AccountNotification, row_id) if admin and row_id is not None else None
    if row is None or row.account_id != account.id:
        row = _visible(db, actor, account, notice_id)
    return Notice(row, _roles_of(db, row))


def _visible(db: Session, actor: User, account: Account, notice_id: str) -> AccountNotification:
    row_id = store_id(notice_id)
    stmt = _shown_to(db, actor, account, accounts.is_admin_of(db, actor.id, account.id), True)
    row = db.scalar(stmt.where(AccountNotification.id == row_id)) if row_id is not None else None
    if row is None:
        raise NotFound("account notification")
    return row


def close_notice(db: Session, actor: User, account_ref: str, notice_id: str) -> Notice:
    """Hide the notification for the actor alone (closing it twice is closing it once)."""
    notice = get_notice(db, actor, account_ref, notice_id)
    if db.get(AccountNotificationClosure, (notice.row.id, actor.id)) is None:
        db.add(AccountNotificationClosure(notification_id=notice.row.id, user_id=actor.id))
        db.flush()
    return notice


def for_self(db: Session, actor: User, user_ref: str) -> None:
    """The user-scoped forms of these routes serve the caller alone: any other user is refused."""
    if users.resolve_user(db, user_ref, actor).id != actor.id:
        raise NotAllowed()
