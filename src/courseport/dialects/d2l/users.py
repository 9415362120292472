"""User routes (lp): whoami, create, read, find (by OrgDefinedId, UserName, ExternalEmail), page through,
update, delete, set or clear the password. A Valence user is the core user (`account_users`): UserName is
its login's unique id, OrgDefinedId its SIS user id, and the organization is the root account, whose admins alone may
create, change or delete users (a D2L user without the admin role gets Valence's 403).
"""

from __future__ import annotations

from typing import Any

from litestar import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses import org_units
from courseport.core.identity import account_users, accounts, logins, roles
from courseport.core.identity.account_users import NewUser, UserChanges
from courseport.core.identity.logins import MIN_PASSWORD_LENGTH, LoginChanges, PasswordTooShort
from courseport.core.kit.errors import InvalidInput, NotFound, spelled_as
from courseport.core.kit.paging import Window
from courseport.dialects.d2l.protocol import (
    BOOLEAN,
    OPTIONAL_D2LID,
    OPTIONAL_STRING,
    PAGE_SIZE,
    STRING,
    Call,
    block_fields,
    delete,
    empty,
    get,
    post,
    put,
    route_id,
)
from courseport.dialects.d2l.user_json import full_name, render_user, render_whoami
from courseport.schema import Login
from courseport.schema import User as UserRow

BASE = "/api/lp/{version:str}/users"
ORG = str(accounts.ROOT_ACCOUNT_ID)
USER_SPEC = {"OrgDefinedId": (OPTIONAL_STRING, False), "FirstName": (STRING, True),
             "MiddleName": (OPTIONAL_STRING, False), "LastName": (STRING, True),
             "ExternalEmail": (OPTIONAL_STRING, False), "UserName": (STRING, True)}
CREATE_SPEC = {**USER_SPEC, "RoleId": (OPTIONAL_D2LID, False), "IsActive": (BOOLEAN, True),
               "SendCreationEmail": (BOOLEAN, False)}
# Core user and login field -> its name in Valence's user blocks.
VALENCE_NAMES = {"name": "FirstName", "email": "ExternalEmail", "unique_id": "UserName",
                 "sis_user_id": "OrgDefinedId", "role_id": "RoleId"}


@get(BASE + "/whoami")
def whoami(call: Call, version: str) -> dict:
    with call.read() as (_db, me):
        return render_whoami(me)


@post(BASE + "/")
def create_user(call: Call, version: str) -> dict:
    f = block_fields(call.block(), CREATE_SPEC)
    new = NewUser(_user_changes(f), LoginChanges({"unique_id", "sis_user_id"}, unique_id=f["UserName"],
                                                 sis_user_id=f["OrgDefinedId"] or None),
                  skip_registration=f["IsActive"])
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        if f["RoleId"] is not None:
            _org_role(db, f["RoleId"])
        return render_user(account_users.create_user(db, me, ORG, new), _org_id(db, me))


@get(BASE + "/")
def find_users(call: Call, version: str) -> Any:
    """One UserData by userName; a list by orgDefinedId or externalEmail; else a PagedResultSet."""
    q = call.query
    with call.read() as (db, me):
        if "userName" in q:
            return render_user(account_users.readable_user(db, me, "sis_login_id:" + q["userName"]), _org_id(db, me))
        if "orgDefinedId" in q:
            return [render_user(u, _org_id(db, me)) for u in _by_org_defined_id(db, me, q["orgDefinedId"])]
        if "externalEmail" in q:
            return [render_user(u, _org_id(db, me))
                    for u in account_users.users_with_email(db, me, ORG, q["externalEmail"])]
        offset = bookmark_offset(call.bookmark())
        page = account_users.list_users(db, me, ORG, account_users.UserQuery(), Window(offset, PAGE_SIZE))
        items = [render_user(u, _org_id(db, me)) for u in page.items]
        return call.paged(items, str(offset + len(items)) if items else None, page.has_more)


@get(BASE + "/{user_id:str}")
def get_user(call: Call, version: str, user_id: str) -> dict:
    uid = route_id(user_id, "user")
    with call.read() as (db, me):
        return render_user(account_users.readable_user(db, me, str(uid)), _org_id(db, me))


@put(BASE + "/{user_id:str}")
def update_user(call: Call, version: str, user_id: str) -> dict:
    """UpdateUserData replaces names, email, UserName, OrgDefinedId and activation; answers the UserData."""
    uid = route_id(user_id, "user")
    block = call.block()
    f = block_fields(block, USER_SPEC)
    active = block_fields(_activation(block), {"IsActive": (BOOLEAN, True)})["IsActive"]
    with call.write() as (db, me), spelled_as(VALENCE_NAMES):
        user = account_users.readable_user(db, me, str(uid))
        login = _primary_login(db, user)
        changes = LoginChanges({"unique_id", "sis_user_id"}, unique_id=f["UserName"],
                               sis_user_id=f["OrgDefinedId"] or None)
        logins.update_login(db, me, ORG, str(login.id), changes)
        account_users.update_user(db, me, str(uid), _user_changes(f))
        return render_user(account_users.set_active(db, me, str(uid), active), _org_id(db, me))


@get(BASE + "/{user_id:str}/activation")
def get_activation(call: Call, version: str, user_id: str) -> dict:
    """UserActivationData of a user the caller may read whole."""
    uid = route_id(user_id, "user")
    with call.read() as (db, me):
        return {"IsActive": account_users.readable_user(db, me, str(uid)).workflow_state == "registered"}


@put(BASE + "/{user_id:str}/activation")
def update_activation(call: Call, version: str, user_id: str) -> dict:
    """UserActivationData in and out: activate or deactivate a user one administers."""
    uid = route_id(user_id, "user")
    active = block_fields(call.block(), {"IsActive": (BOOLEAN, True)})["IsActive"]
    with call.write() as (db, me):
        account_users.readable_user(db, me, str(uid))
        return {"IsActive": account_users.set_active(db, me, str(uid), active).workflow_state == "registered"}


@put(BASE + "/{user_id:str}/password")
def set_password(call: Call, version: str, user_id: str) -> Response:
    """UserPasswordData `{Password}`: the password of the user's login (UserName); 200 with no body."""
    uid = route_id(user_id, "user")
    password = block_fields(call.block(), {"Password": (STRING, True)})["Password"]
    with call.write() as (db, me):
        login = _primary_login(db, account_users.readable_user(db, me, str(uid)))
        try:
            logins.update_login(db, me, ORG, str(login.id), LoginChanges({"password"}, password=password))
        except PasswordTooShort:
            raise InvalidInput("Password", f"Password must be at least {MIN_PASSWORD_LENGTH} characters long."
                               ) from None
    return empty()


@delete(BASE + "/{user_id:str}/password")
def clear_password(call: Call, version: str, user_id: str) -> Response:
    """The user's login keeps no password; 200 with no body."""
    uid = route_id(user_id, "user")
    with call.write() as (db, me):
        login = _primary_login(db, account_users.readable_user(db, me, str(uid)))
        logins.clear_password(db, me, ORG, str(login.id))
    return empty()


@delete(BASE + "/{user_id:str}")
def delete_user(call: Call, version: str, user_id: str) -> Response:
    uid = route_id(user_id, "user")
    with call.write() as (db, me):
        account_users.readable_user(db, me, str(uid))
        account_users.remove_user(db, me, ORG, str(uid))
    return empty()


def _user_changes(f: dict[str, Any]) -> UserChanges:
    name = full_name(f["FirstName"], f["MiddleName"], f["LastName"])
    return UserChanges({"name", "email"}, name=name, email=f["ExternalEmail"] or None)


def _activation(block: dict[str, Any]) -> dict[str, Any]:
    activation = block.get("Activation")
    if not isinstance(activation, dict):
        raise InvalidInput("Activation", "Activation must be a UserActivationData block.")
    return activation


def _org_role(db: Session, role_id: int) -> None:
    try:
        roles.role_for(db, accounts.ROOT_ACCOUNT_ID, role_id)
    except NotFound:
        raise InvalidInput("role_id", "No such role.") from None


def _by_org_defined_id(db: Session, me: UserRow, org_defined_id: str) -> list[UserRow]:
    """OrgDefinedId is unique in the store (a SIS user id), so the list holds one user or none."""
    try:
        return [account_users.readable_user(db, me, "sis_user_id:" + org_defined_id)]
    except NotFound:
        return []


def _primary_login(db: Session, user: UserRow) -> Login:
    """The login UserName names: the user's first live login in the organization."""
    stmt = select(Login).where(Login.user_id == user.id, Login.account_id == accounts.ROOT_ACCOUNT_ID,
                               Login.workflow_state != "deleted").order_by(Login.id).limit(1)
    login = db.scalar(stmt)
    if login is None:
        raise NotFound("user")
    return login


def bookmark_offset(bookmark: str | None) -> int:
    if bookmark is None:
        return 0
    if not (bookmark.isascii() and bookmark.isdigit()) or len(bookmark) > 9:
        raise InvalidInput("bookmark", "bookmark must be one this API returned.")
    return int(bookmark)


def _org_id(db: Session, me: UserRow) -> int:
    """The organization's org unit id (UserData.OrgId)."""
    return org_units.organization(db, me).id


ROUTES = [get_activation, update_activation, whoami, create_user, find_users, get_user, update_user, delete_user,
          set_password, clear_password]
