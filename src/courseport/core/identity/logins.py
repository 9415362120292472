"""Logins: the ways to sign in as a user within a root account (Canvas calls them pseudonyms).

A login's `unique_id` is unique among the live logins of its root account, compared case-insensitively
as Canvas does; its SIS id is unique in the store (users are found by it). Passwords are kept as scrypt
hashes (stdlib `hashlib.scrypt`: memory-hard, no extra dependency), never in clear.

A user's first live login is mirrored on the user row (`login_id`, `sis_user_id`, `integration_id`):
lookups by `sis_login_id:`, rosters and search read those, and every login change goes through here.
Who manages logins: admins of the login's account (Canvas's manage_user_logins); users read their own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courseport.core.identity import accounts, tenancy
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotAuthenticated, NotFound
from courseport.core.kit.ids import store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Account, Login, User
from courseport.schema.base import utcnow

MIN_PASSWORD_LENGTH = 8  # Canvas's default password policy
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_LIMIT = 255  # the columns' length


class LoginTaken(InvalidInput):
    """A unique value (`unique_id`, `sis_user_id`) another login holds: Canvas reports it as `taken`."""

    reason = "taken"


class PasswordTooShort(InvalidInput):
    reason = "too_short"


class LastLogin(InvalidInput):
    """Deleting a user's only live login: an error of the login as a whole, not of one attribute."""

    def __init__(self) -> None:
        super().__init__("login", "Users must have at least one login")
        self.reason = self.message


@dataclass
class LoginChanges:
    """What a create or update sets; a field absent from `given` is left alone."""

    given: set[str] = field(default_factory=set)
    unique_id: str | None = None
    password: str | None = None
    sis_user_id: str | None = None
    integration_id: str | None = None
    authentication_provider_id: int | None = None
    declared_user_type: str | None = None
    workflow_state: str | None = None


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def password_matches(login: Login, password: str) -> bool:
    if not login.password_hash or not login.password_hash.startswith("scrypt$"):
        return False
    _, salt, digest = login.password_hash.split("$")
    tried = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), **_SCRYPT)
    return hmac.compare_digest(tried, base64.b64decode(digest))


def root_of(account: Account) -> int:
    return account.root_account_id or account.id


def add_login(db: Session, user: User, account: Account, changes: LoginChanges) -> Login:
    """A new login for `user` in `account`'s root account (no rights checked: callers check them)."""
    login = Login(user_id=user.id, account_id=root_of(account), unique_id="", workflow_state="active",
                  home_account_id=account.id if account.parent_account_id is not None else None)
    if not (changes.unique_id or "").strip():
        raise InvalidInput("unique_id", "unique_id is required")
    apply_changes(db, login, changes)
    db.add(login)
    db.flush()
    mirror_primary(db, user)
    return login


def apply_changes(db: Session, login: Login, changes: LoginChanges) -> None:
    if "unique_id" in changes.given:
        unique_id = (changes.unique_id or "").strip()
        if not unique_id or len(unique_id) > _LIMIT:
            raise InvalidInput("unique_id", "unique_id is invalid")
        if _holder(db, login, func.lower(Login.unique_id) == unique_id.lower(), Login.account_id == login.account_id):
            raise LoginTaken("unique_id", "ID already in use for this account and authentication provider")
        login.unique_id = unique_id
    if "sis_user_id" in changes.given:
        sis_id = changes.sis_user_id or None
        # Canvas counts deleted logins too: their SIS id comes back through enable_sis_reactivation.
        if sis_id is not None and (_holder(db, login, Login.sis_user_id == sis_id, Login.account_id == login.account_id,
                                           live=False)
                                   or _user_holds_sis(db, login, sis_id)):
            raise LoginTaken("sis_user_id", f'SIS ID "{sis_id}" is already in use')
        login.sis_user_id = sis_id
    if "password" in changes.given and changes.password is not None:
        if len(changes.password) < MIN_PASSWORD_LENGTH:
            raise PasswordTooShort("password", "too_short")
        login.password_hash = hash_password(changes.password)
    for key in ("integration_id", "authentication_provider_id", "declared_user_type"):
        if key in changes.given:
            setattr(login, key, getattr(changes, key) or None)
    if "workflow_state" in changes.given and changes.workflow_state is not None:
        if changes.workflow_state not in ("active", "suspended"):
            raise InvalidInput("workflow_state", "workflow_state must be active or suspended")
        login.workflow_state = changes.workflow_state


def _holder(db: Session, login: Login, *conditions, live: bool = True) -> bool:  # noqa: ANN002 - SQL conditions
    stmt = select(Login.id).where(*conditions)
    if live:
        stmt = stmt.where(Login.workflow_state != "deleted")
    if login.id is not None:
        stmt = stmt.where(Login.id != login.id)
    return db.scalar(stmt.limit(1)) is not None


def _user_holds_sis(db: Session, login: Login, sis_id: str) -> bool:
    """Users made before logins existed (or by other faces) hold SIS ids on their row; those of the
    login's tenant (root account) count."""
    holders = db.scalars(select(User.id).where(User.sis_user_id == sis_id, User.id != login.user_id))
    return any(tenancy.tenant_of(db, holder) == login.account_id for holder in holders)


def mirror_primary(db: Session, user: User) -> None:
    """The user row shows the first live login's ids (none once every login is deleted)."""
    primary = db.scalar(select(Login).where(Login.user_id == user.id, Login.workflow_state != "deleted")
                        .order_by(Login.id).limit(1))
    user.login_id = primary.unique_id if primary else None
    user.sis_user_id = primary.sis_user_id if primary else None
    user.integration_id = primary.integration_id if primary else None
    user.sis_import_id = primary.sis_import_id if primary else None
    db.flush()


def _may_manage(db: Session, actor: User, account_id: int) -> bool:
    return accounts.is_admin_of(db, actor.id, account_id)


def sees_sis(db: Session, actor: User, login: Login) -> bool:
    """SIS and integration ids show to admins of the login's root account (Canvas's read_sis there)."""
    return _may_manage(db, actor, login.account_id)


def may_manage_login(db: Session, actor: User, login: Login) -> bool:
    """Admins of the root account, or of the sub-account the user was created in."""
    return _may_manage(db, actor, login.home_account_id or login.account_id)


def create_login(db: Session, actor: User, account_ref: str, user: User, changes: LoginChanges) -> Login:
    account = accounts.resolve_account(db, account_ref, actor.id)
    if not _may_manage(db, actor, account.id):
        raise NotAllowed()
    return add_login(db, user, account, changes)


def update_login(db: Session, actor: User, account_ref: str, login_ref: str, changes: LoginChanges) -> Login:
    account = accounts.resolve_account(db, account_ref, actor.id)
    login = _login_in(db, root_of(account), login_ref)
    if not may_manage_login(db, actor, login):
        raise NotAllowed()
    apply_changes(db, login, changes)
    db.flush()
    mirror_primary(db, db.get_one(User, login.user_id))
    return login


def clear_password(db: Session, actor: User, account_ref: str, login_ref: str) -> Login:
    """The login keeps no password (no one signs in with one until it is set again); its managers only."""
    account = accounts.resolve_account(db, account_ref, actor.id)
    login = _login_in(db, root_of(account), login_ref)
    if not may_manage_login(db, actor, login):
        raise NotAllowed()
    login.password_hash = None
    db.flush()
    return login


def delete_login(db: Session, actor: User, user: User, login_ref: str) -> Login:
    """Mark the login deleted; a user's last login stays (Canvas: "Users must have at least one login")."""
    login = _login_of(db, user, login_ref)
    if not may_manage_login(db, actor, login):
        raise NotAllowed()
    others = select(func.count()).where(Login.user_id == user.id, Login.workflow_state != "deleted",
                                        Login.id != login.id)
    if not db.scalar(others):
        raise LastLogin()
    login.workflow_state = "deleted"
    db.flush()
    mirror_primary(db, user)
    return login


def reactivate_by_sis_id(db: Session, account: Account, sis_user_id: str) -> Login | None:
    """A deleted login of the root account holding that SIS id, made live again (enable_sis_reactivation)."""
    login = db.scalar(select(Login).where(Login.account_id == root_of(account), Login.sis_user_id == sis_user_id,
                                          Login.workflow_state == "deleted").limit(1))
    if login is not None:
        login.workflow_state = "active"
        db.flush()
    return login


def delete_all_logins(db: Session, user: User, root_account_id: int) -> None:
    for login in db.scalars(select(Login).where(Login.user_id == user.id, Login.account_id == root_account_id)):
        login.workflow_state = "deleted"
    db.flush()
    mirror_primary(db, user)


def user_logins(db: Session, actor: User, user: User, window: Window) -> Slice[Login]:
    """A user's live logins: for the user themself and for admins of each login's account."""
    stmt = select(Login).where(Login.user_id == user.id, Login.workflow_state != "deleted").order_by(Login.id)
    if actor.id != user.id:
        managed = [lg.id for lg in db.scalars(stmt) if may_manage_login(db, actor, lg)]
        if not managed:
            raise NotAllowed()
        stmt = stmt.where(Login.id.in_(managed))
    return fetch_window(db, stmt, window)


def account_logins(db: Session, actor: User, account_ref: str, user: User | None, window: Window) -> Slice[Login]:
    """The live logins of a root account (of one user, when named), for its admins."""
    account = accounts.resolve_account(db, account_ref, actor.id)
    if not _may_manage(db, actor, account.id):
        raise NotAllowed()
    stmt = select(Login).where(Login.account_id == root_of(account), Login.workflow_state != "deleted")
    if user is not None:
        stmt = stmt.where(Login.user_id == user.id)
    return fetch_window(db, stmt.order_by(Login.id), window)


def _login_in(db: Session, root_account_id: int, ref: str) -> Login:
    login_id = store_id(ref)
    login = db.get(Login, login_id) if login_id is not None else None
    if login is None or login.account_id != root_account_id or login.workflow_state == "deleted":
        raise NotFound("login")
    return login


def _login_of(db: Session, user: User, ref: str) -> Login:
    login_id = store_id(ref)
    login = db.get(Login, login_id) if login_id is not None else None
    if login is None or login.user_id != user.id or login.workflow_state == "deleted":
        raise NotFound("login")
    return login


def sign_in(db: Session, unique_id: str, password: str, root_account_id: int = accounts.ROOT_ACCOUNT_ID) -> User:
    """The user whose active login in the root account is `unique_id` (case-insensitively) with this password,
    their login stamped; NotAuthenticated, the same for an unknown login and a wrong password, otherwise."""
    login, user = _credentials(db, unique_id, password, root_account_id)
    login.last_login_at = utcnow()
    return user


def credentials_user(db: Session, unique_id: str, password: str, root_account_id: int) -> User:
    """Whose login and password these are, as `sign_in` finds them, without signing them in (a user proving
    they know another's credentials, as an observer linking a student does)."""
    return _credentials(db, unique_id, password, root_account_id)[1]


def _credentials(db: Session, unique_id: str, password: str, root_account_id: int) -> tuple[Login, User]:
    login = db.scalar(select(Login).where(Login.account_id == root_account_id, Login.workflow_state == "active",
                                          func.lower(Login.unique_id) == unique_id.strip().lower()))
    user = db.get(User, login.user_id) if login is not None and password_matches(login, password) else None
    if login is None or user is None or user.workflow_state == "deleted":
        raise NotAuthenticated("The login or password is not right.", invalid=True)
    return login, user
