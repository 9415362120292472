"""Which tenant (root account) a user belongs to: the question every face asks of its caller.

The root account of the user's first login; else of the first account they administer; else of
their first enrollment's course (a test student has no login); else root account 1.

Kept apart from `tenants` (which makes and deletes tenants through users, tokens and keys) so that
`users` and `permissions` can ask it without an import circle. See tenants.py for what a tenant is.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, bindparam, case, cast, func, literal, select
from sqlalchemy.orm import Session

from courseport.row_reads import RowRead
from courseport.schema import Account, AccountUser, Enrollment, Login, User

ROOT_ACCOUNT_ID = 1  # accounts.ROOT_ACCOUNT_ID, the installation's own tenant (accounts imports this module)

_KNOWN = "courseport.tenant_of"  # db.info key: user id -> tenant, from their first login

# The same first login's root account as a column of a select from users: the query that finds the
# caller (tokens.py) carries it, and `note_caller` keeps it, so a call asks the store once, not twice.
LOGIN_TENANT = (select(Login.account_id).where(Login.user_id == User.id).order_by(Login.id).limit(1)
                .scalar_subquery().label("login_tenant"))
# The accounts a user administers, comma-joined (None: none), likewise read with the caller on a
# read; `administered_by` answers from it. Writes ask the store (they may change what is administered).
ADMINISTERED = (select(func.aggregate_strings(cast(AccountUser.account_id, String), ","))
                .where(AccountUser.user_id == User.id).scalar_subquery().label("administered"))
_ADMINISTERED = "courseport.administered"  # db.info key: (user id, the account ids they administer)
_LOGIN_ROOT = RowRead(select(Login.account_id).where(Login.user_id == bindparam("user_id"))
                      .order_by(Login.id).limit(1))
_ADMIN_ROOT = RowRead(select(func.coalesce(Account.root_account_id, Account.id).label("root_id"))
                      .join(AccountUser, AccountUser.account_id == Account.id)
                      .where(AccountUser.user_id == bindparam("user_id")).order_by(AccountUser.id).limit(1))
_ENROLLMENT_ROOT = RowRead(select(Enrollment.root_account_id).where(Enrollment.user_id == bindparam("user_id"))
                           .order_by(Enrollment.id).limit(1))


def tenant_of(db: Session, user_id: int) -> int:
    """The root account (tenant) a user belongs to: the one question every face asks of its caller."""
    known = db.info.setdefault(_KNOWN, {})
    if user_id in known:
        return known[user_id]
    login = _LOGIN_ROOT.first(db, user_id=user_id)
    if login is not None:
        known[user_id] = login.account_id  # a first login stays first: kept for the session's life
        return login.account_id
    admin = _ADMIN_ROOT.first(db, user_id=user_id)
    if admin is not None:
        return admin.root_id
    enrollment = _ENROLLMENT_ROOT.first(db, user_id=user_id)
    return enrollment.root_account_id if enrollment is not None else ROOT_ACCOUNT_ID


def same_tenant(db: Session, actor_id: int, user_id: int) -> bool:
    return actor_id == user_id or tenant_of(db, actor_id) == tenant_of(db, user_id)


_CALLER = "courseport.caller"  # db.info key: the user whose credentials this request (session) carries


def note_caller(db: Session, user_id: int, login_tenant: int | None = None) -> None:
    """Remember who is calling (the faces' authenticate functions do), so lookups by an id a caller
    chooses (SIS ids, Learn externalId, Valence OrgDefinedId) answer the caller's tenant's holder.
    `login_tenant`: the caller's LOGIN_TENANT where it was read with them (kept as `tenant_of` keeps it)."""
    db.info[_CALLER] = user_id
    if login_tenant is not None:
        db.info.setdefault(_KNOWN, {})[user_id] = login_tenant


def note_administered(db: Session, user_id: int, administered: str | None) -> None:
    """Keep the accounts a reading caller administers, as ADMINISTERED read them, for `administered_by`."""
    ids = frozenset(int(n) for n in administered.split(",")) if administered else frozenset()
    db.info[_ADMINISTERED] = (user_id, ids)


def forget_administered(db: Session) -> None:
    """A write session asks the store each time: it may make or unmake administrators."""
    db.info.pop(_ADMINISTERED, None)


def administered_by(db: Session, user_id: int) -> frozenset[int] | None:
    """The account ids `user_id` administers where noted for this session, else None (ask the store)."""
    noted = db.info.get(_ADMINISTERED)
    return noted[1] if noted is not None and noted[0] == user_id else None


def caller_tenant(db: Session) -> int | None:
    """The tenant of the user `note_caller` recorded for this session; None when nobody is calling."""
    user_id = db.info.get(_CALLER)
    return tenant_of(db, user_id) if user_id is not None else None


def caller_first(db: Session, root_column: Any) -> Any:
    """An ORDER BY term putting rows whose `root_column` is the caller's tenant first: a lookup by an id
    two tenants may both hold (a SIS id) answers the caller's own holder."""
    tenant = caller_tenant(db)
    return case((root_column == tenant, 0), else_=1) if tenant is not None else literal(0)
