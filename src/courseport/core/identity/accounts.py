"""Accounts (a tree), terms and built-in roles; the bootstrap of an empty store."""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass

from sqlalchemy import ColumnElement, bindparam, func, select, text
from sqlalchemy.orm import Session

from courseport.core.identity import tenancy
from courseport.core.kit.errors import NotAllowed, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.row_reads import RowRead
from courseport.schema import Account, AccountUser, Role, Term
from courseport.schema.base import Base

ROOT_ACCOUNT_ID = 1
ACCOUNT_ADMIN_ROLE_ID = 1
# Built-in course roles, with the ids Canvas gives them.
BUILT_IN_ROLES = {
    "StudentEnrollment": 3,
    "TeacherEnrollment": 4,
    "TaEnrollment": 5,
    "DesignerEnrollment": 6,
    "ObserverEnrollment": 7,
}


# Permission checks run them on nearly every API call: plain rows (see row_reads).
_PARENT_OF = RowRead(select(Account.parent_account_id).where(Account.id == bindparam("account_id")))
_ADMINISTERED_BY = RowRead(select(AccountUser.account_id).where(AccountUser.user_id == bindparam("user_id")))


def new_uuid() -> str:
    return uuidlib.uuid4().hex


def ensure_root(db: Session) -> Account:
    """Create root account 1, its default term and the built-in roles, once."""
    root = db.get(Account, ROOT_ACCOUNT_ID)
    if root is not None:
        return root
    root = Account(id=ROOT_ACCOUNT_ID, name="courseport", uuid=new_uuid())
    db.add(root)
    db.flush()
    db.add(Role(id=ACCOUNT_ADMIN_ROLE_ID, name="AccountAdmin", base_role_type="AccountMembership"))
    for name, role_id in BUILT_IN_ROLES.items():
        db.add(Role(id=role_id, name=name, base_role_type=name))
    db.add(Term(root_account_id=root.id, name="Default Term"))
    db.flush()
    _advance_id_sequences(db, (Account, Role))
    return root


def _advance_id_sequences(db: Session, models: tuple[type[Base], ...]) -> None:
    """Rows inserted with explicit ids leave PostgreSQL's id sequences behind; move them past those ids."""
    if db.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        db.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


def create_account(db: Session, name: str, parent_id: int, sis_account_id: str | None = None) -> Account:
    parent = get_account(db, parent_id)
    account = Account(
        name=name,
        parent_account_id=parent.id,
        root_account_id=parent.root_account_id or parent.id,
        uuid=new_uuid(),
        sis_account_id=sis_account_id,
    )
    db.add(account)
    db.flush()
    return account


def get_account(db: Session, account_id: int) -> Account:
    account = db.get(Account, account_id)
    if account is None or account.workflow_state == "deleted":
        raise NotFound("account")
    return account


def resolve_account(db: Session, ref: str, actor_id: int | None = None) -> Account:
    """An account by numeric id, `sis_account_id:X` or `self` (the root account, as on Canvas's own domain).
    For an actor, `self` and root account 1 (which faces without account ids name for "the root account")
    are their tenant's root account, and other tenants' accounts are not found."""
    tenant = tenancy.tenant_of(db, actor_id) if actor_id is not None else None
    if ref in ("self", str(ROOT_ACCOUNT_ID)):
        ref = str(tenant or ROOT_ACCOUNT_ID)
    if ref.startswith("sis_account_id:"):
        holders = select(Account).where(Account.sis_account_id == ref.split(":", 1)[1])
        account = db.scalar(holders.where(in_root(tenant)) if tenant is not None else holders.order_by(Account.id))
        if account is None or account.workflow_state == "deleted":
            raise NotFound("account")
    else:
        account_id = store_id(ref)
        if account_id is None:
            raise NotFound("account")
        account = get_account(db, account_id)
    if tenant is not None and (account.root_account_id or account.id) != tenant:
        raise NotFound("account")
    return account


def in_root(root_account_id: int) -> ColumnElement[bool]:
    """The condition an account of that tenant (root account), the root itself included, meets."""
    return func.coalesce(Account.root_account_id, Account.id) == root_account_id


def ancestor_ids(db: Session, account_id: int) -> list[int]:
    """The account and every account above it, nearest first."""
    ids: list[int] = []
    current: int | None = account_id
    while current is not None and current not in ids:
        ids.append(current)
        parent = _PARENT_OF.first(db, account_id=current)
        current = parent.parent_account_id if parent else None
    return ids


def is_admin_of(db: Session, user_id: int, account_id: int) -> bool:
    # Most users administer nothing and most admins administer the account itself: one query
    # answers both; only the rest walk up the account tree.
    administered = tenancy.administered_by(db, user_id)  # read with a reading caller (tokens.py)
    if administered is None:
        administered = frozenset(row.account_id for row in _ADMINISTERED_BY.all(db, user_id=user_id))
    if not administered or account_id in administered:
        return account_id in administered
    return not administered.isdisjoint(ancestor_ids(db, account_id))


def make_admin(db: Session, user_id: int, account_id: int = ROOT_ACCOUNT_ID) -> None:
    exists = db.scalar(
        select(AccountUser.id).where(AccountUser.user_id == user_id, AccountUser.account_id == account_id)
    )
    if exists is None:
        db.add(AccountUser(account_id=account_id, user_id=user_id, role_id=ACCOUNT_ADMIN_ROLE_ID))
        db.flush()


def default_term(db: Session, root_account_id: int) -> Term:
    term = db.scalar(
        select(Term).where(Term.root_account_id == root_account_id, Term.name == "Default Term").order_by(Term.id)
    )
    if term is None:
        raise NotFound("term")
    return term


def get_term(db: Session, root_account_id: int, ref: str | int) -> Term:
    ref = str(ref)
    if ref.startswith("sis_term_id:"):
        term = db.scalar(select(Term).where(Term.sis_term_id == ref.split(":", 1)[1],
                                            Term.root_account_id == root_account_id))
    else:
        term = db.get(Term, store_id(ref)) if is_id(ref) else None
    if term is None or term.root_account_id != root_account_id:
        raise NotFound("term")
    return term


def create_term(db: Session, root_account_id: int, name: str, **fields) -> Term:
    term = Term(root_account_id=root_account_id, name=name, **fields)
    db.add(term)
    db.flush()
    return term


@dataclass(frozen=True)
class AccountSummary:
    account: Account
    is_admin: bool


def readable_account(db: Session, actor_id: int, ref: str) -> Account:
    """An account its admins (or admins of an account above it) may see."""
    account = resolve_account(db, ref, actor_id)
    if not is_admin_of(db, actor_id, account.id):
        raise NotAllowed()
    return account


def administered_accounts(db: Session, actor_id: int, window: Window) -> Slice[Account]:
    """The accounts the actor is directly an admin of, by id."""
    stmt = (select(Account).join(AccountUser, AccountUser.account_id == Account.id)
            .where(AccountUser.user_id == actor_id, Account.workflow_state != "deleted").order_by(Account.id))
    return fetch_window(db, stmt, window)
