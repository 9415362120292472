"""Users: creation, lookup by the id forms clients use, and the names derived from a full name."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.identity import accounts, channel_rows, logins
from courseport.core.identity.accounts import new_uuid
from courseport.core.identity.tenancy import same_tenant
from courseport.core.kit.errors import Conflict, InvalidInput, NotFound
from courseport.core.kit.ids import store_id
from courseport.schema import Account, Login, User


def sortable_name_of(name: str) -> str:
    parts = name.strip().split()
    if len(parts) < 2:
        return name.strip()
    return f"{parts[-1]}, {' '.join(parts[:-1])}"


def create_user(
    db: Session,
    name: str,
    login_id: str | None = None,
    *,
    email: str | None = None,
    sis_user_id: str | None = None,
    root_account_id: int = accounts.ROOT_ACCOUNT_ID,
    **fields,
) -> User:
    """A user with, when `login_id` is given, a login in that root account (login ids are unique per root)."""
    if not name or not name.strip():
        raise InvalidInput("name", "name is required")
    if login_id and find_by_login(db, login_id, root_account_id) is not None:
        raise Conflict(f"login {login_id!r} is already in use")
    integration_id = fields.pop("integration_id", None)
    user = User(
        name=name.strip(),
        sortable_name=sortable_name_of(name),
        short_name=name.strip(),
        email=email,
        uuid=new_uuid(),
        **fields,
    )
    db.add(user)
    db.flush()
    root = db.get(Account, root_account_id)
    if login_id and root is not None:  # every login is a row of its own (core/identity/logins.py)
        changes = logins.LoginChanges({"unique_id", "sis_user_id", "integration_id"}, unique_id=login_id,
                                      sis_user_id=sis_user_id, integration_id=integration_id)
        logins.add_login(db, user, root, changes)
    else:
        user.login_id, user.sis_user_id, user.integration_id = login_id, sis_user_id, integration_id
        db.flush()
    channel_rows.record_email(db, user)
    return user


def get_user(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None or user.workflow_state == "deleted":
        raise NotFound("user")
    return user


def find_by_login(db: Session, login_id: str, root_account_id: int = accounts.ROOT_ACCOUNT_ID) -> User | None:
    """The user holding that live login in the root account (or, for users without login rows, on their row)."""
    held = select(Login.user_id).where(Login.account_id == root_account_id, Login.unique_id == login_id,
                                       Login.workflow_state != "deleted")
    user = db.scalar(select(User).where(User.id.in_(held)).order_by(User.id).limit(1))
    if user is None and root_account_id == accounts.ROOT_ACCOUNT_ID:
        without_logins = ~select(Login.id).where(Login.user_id == User.id).exists()
        user = db.scalar(select(User).where(User.login_id == login_id, without_logins).limit(1))
    return user


def resolve_user(db: Session, ref: str, me: User) -> User:
    """A user of `me`'s tenant by `self`, numeric id, `sis_user_id:X` or `sis_login_id:X`."""
    if ref == "self":
        return me
    for prefix, column in (("sis_user_id:", User.sis_user_id), ("sis_login_id:", User.login_id)):
        if ref.startswith(prefix):
            found = db.scalars(select(User).where(column == ref[len(prefix) :]).order_by(User.id)).all()
            return _in_tenant_of(db, me.id, found)
    user_id = store_id(ref)
    if user_id is None:
        raise NotFound("user")
    return _in_tenant_of(db, me.id, [get_user(db, user_id)])


def _in_tenant_of(db: Session, actor_id: int | None, found: Sequence[User], message: str | None = None) -> User:
    """The first of `found` in the actor's tenant: users of other tenants are not found (tenancy.py)."""
    for user in found:
        if actor_id is None or same_tenant(db, actor_id, user.id):
            return user
    raise NotFound("user", message)


def find_user(db: Session, kind: str, value: str | int, actor: User | None = None) -> User:
    """A live user by primary id (kind "id"), login (`login_id`), SIS id (`sis_user_id`) or `uuid`:
    the addresses faces other than Canvas's use (Learn's `_N_1`, `userName:`, `externalId:`, `uuid:`);
    with an actor, only a user of the actor's tenant."""
    columns = {"id": User.id, "login_id": User.login_id, "sis_user_id": User.sis_user_id, "uuid": User.uuid}
    found = value if kind == "id" else str(value)
    users = db.scalars(select(User).where(columns[kind] == found, User.workflow_state != "deleted")
                       .order_by(User.id)).all()
    return _in_tenant_of(db, actor.id if actor is not None else None, users, "User not found")
