"""Account administrators as an account's admins manage them: list, make and remove.

An adminship is a user's account role in one account (`AccountUser`); it grants rights over the account
and everything under it (`accounts.is_admin_of`). Who may manage an account's adminships: its admins
and the admins of the accounts above it (Canvas's manage_account_memberships). The role is an account
role (base type AccountMembership): AccountAdmin unless another is named. A user holds one adminship
per account; making them an admin again with another account role changes its role. A removed
adminship is deleted (its last state is answered once, as removed).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.identity import account_users, accounts, roles, users
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Account, AccountUser, Role, User

ACTIVE, DELETED = "active", "deleted"


@dataclass(frozen=True)
class Adminship:
    id: int
    user: User
    role: Role
    state: str  # ACTIVE or DELETED (just removed)


@dataclass(frozen=True)
class AdminQuery:
    user_refs: tuple[str, ...] = ()
    search_term: str | None = None


def _managed_account(db: Session, actor: User, account_ref: str) -> Account:
    account = accounts.resolve_account(db, account_ref, actor.id)
    if not accounts.is_admin_of(db, actor.id, account.id):
        raise NotAllowed()
    return account


def _account_role(db: Session, account: Account, role_ref: str | None) -> Role:
    """The named account role usable in `account`, AccountAdmin when none is named."""
    if role_ref is None:
        return db.get_one(Role, accounts.ACCOUNT_ADMIN_ROLE_ID)
    role = roles.role_for(db, account, role_ref)
    if role.base_role_type != roles.ACCOUNT_MEMBERSHIP:
        raise InvalidInput("role_id", "role_id must name an account role, not a course role")
    if role.workflow_state != "active":
        raise InvalidInput("role_id", "role_id names an inactive role: activate it first")
    return role


def _live_user(db: Session, actor: User, user_ref: str) -> User:
    user = users.resolve_user(db, user_ref, actor)
    if user.workflow_state == "deleted":
        raise NotFound("user")
    return user


def make_admin(db: Session, actor: User, account_ref: str, user_ref: str | None, role_ref: str | None
               ) -> Adminship:
    """Make a user of the actor's tenant an admin of the account (idempotent for the same role)."""
    if not user_ref:
        raise InvalidInput("user_id", "user_id is required")
    account = _managed_account(db, actor, account_ref)
    role = _account_role(db, account, role_ref)
    user = _live_user(db, actor, user_ref)
    row = db.scalar(select(AccountUser).where(AccountUser.account_id == account.id, AccountUser.user_id == user.id))
    if row is None:
        row = AccountUser(account_id=account.id, user_id=user.id, role_id=role.id)
        db.add(row)
    row.role_id = role.id
    db.flush()
    return Adminship(row.id, user, role, ACTIVE)


def remove_admin(db: Session, actor: User, account_ref: str, user_ref: str, role_ref: str | None) -> Adminship:
    """Remove the user's adminship of the account in that role (AccountAdmin unless named); 404 if none."""
    account = _managed_account(db, actor, account_ref)
    role = _account_role(db, account, role_ref)
    user = users.resolve_user(db, user_ref, actor)
    row = db.scalar(select(AccountUser).where(AccountUser.account_id == account.id, AccountUser.user_id == user.id,
                                              AccountUser.role_id == role.id))
    if row is None:
        raise NotFound("admin")
    removed = Adminship(row.id, user, role, DELETED)
    db.delete(row)
    db.flush()
    return removed


def list_admins(db: Session, actor: User, account_ref: str, query: AdminQuery, window: Window) -> Slice[Adminship]:
    """The account's own adminships (not those of accounts above it), by id."""
    account = _managed_account(db, actor, account_ref)
    stmt = (select(AccountUser).join(User, User.id == AccountUser.user_id)
            .where(AccountUser.account_id == account.id))
    if query.user_refs:
        stmt = stmt.where(AccountUser.user_id.in_(_user_ids(db, actor, query.user_refs)))
    if query.search_term is not None:
        stmt = stmt.where(account_users.search_condition(query.search_term))
    page = fetch_window(db, stmt.order_by(AccountUser.id), window)
    return Slice([Adminship(row.id, db.get_one(User, row.user_id), db.get_one(Role, row.role_id), ACTIVE)
                  for row in page.items], page.has_more, page.total)


def _user_ids(db: Session, actor: User, refs: tuple[str, ...]) -> list[int]:
    found = []
    for ref in refs:
        try:
            found.append(users.resolve_user(db, ref, actor).id)
        except NotFound:
            continue  # Canvas scopes to the ids it finds
    return found
