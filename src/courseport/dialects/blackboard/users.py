"""Learn Users API (v1): list with filters, create by userName, get, update and delete by any id form.
A Learn user is core's user with a login in the root account: the same row the Canvas face reads."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from courseport.core.identity import account_users, accounts, users
from courseport.core.identity.account_users import NewUser, UserChanges, UserFilters
from courseport.core.identity.logins import MIN_PASSWORD_LENGTH, LoginChanges, LoginTaken, PasswordTooShort
from courseport.core.kit.errors import Conflict, InvalidInput, NotAllowed, spelled_as
from courseport.dialects.blackboard import entitlements as entitled
from courseport.dialects.blackboard.course_fields import SYSTEM_DATA_SOURCE, SYSTEM_SOURCE_KEY
from courseport.dialects.blackboard.protocol import Call, delete, get, on_versions, patch, post
from courseport.dialects.blackboard.user_json import names_of, render_user, user_ref

_V1 = ("v1",)
# Learn wire name -> type; what a user body may carry here (the rest of UserV1 is not kept: 400 naming it).
CREATE_TYPES: dict[str, type] = {
    "userName": str, "password": str, "externalId": str, "name.given": str, "name.family": str,
    "contact.email": str, "availability.available": str,
}
UPDATE_TYPES = {k: v for k, v in CREATE_TYPES.items() if k in ("name.given", "name.family", "contact.email",
                                                               "availability.available")}
# Core word -> Learn's, for errors the core raises.
NAMES = {"unique_id": "userName", "password": "password", "sis_user_id": "externalId", "name": "name.given",
         "email": "contact.email", "login_id": "userName"}
_ROOT = str(accounts.ROOT_ACCOUNT_ID)
# Learn's sort names -> core's (every user has the one data source: by it, users keep their id order).
USER_SORTS = {"userName": "login_id", "name.family": "sortable_name", "externalId": "sis_user_id",
              "created": "created_at", "dataSourceId": "id"}


def _user_changes(fields: dict[str, Any], base: tuple[str, str] = ("", "")) -> UserChanges:
    changes = UserChanges()
    if "name.given" in fields or "name.family" in fields:
        given = fields.get("name.given", base[0]) or ""
        family = fields.get("name.family", base[1]) or ""
        if not given.strip() or not family.strip():
            raise InvalidInput("name", "name.given and name.family are required")
        changes.name, changes.short_name = f"{given} {family}", given
        changes.sortable_name = f"{family}, {given}"
        changes.given |= {"name", "short_name", "sortable_name"}
    if "contact.email" in fields:
        changes.email = fields["contact.email"]
        changes.given.add("email")
    return changes


def _checked(call: Call, table: dict[str, type]) -> dict[str, Any]:
    fields = call.body_fields(table)
    for name in fields:
        if name not in table:
            raise InvalidInput(name, f"{name} is not a field that may be set")
    available = fields.get("availability.available")
    if available not in (None, "Yes"):
        raise InvalidInput("availability.available", "availability.available may only be Yes here")
    return fields


def user_filters(call: Call) -> UserFilters:
    """Every search parameter of GET /v1/users; a value no user here can have matches nothing."""
    available = call.str("availability.available")
    if available not in (None, "Yes", "No", "Disabled"):
        raise InvalidInput("availability.available", "availability.available must be Yes, No or Disabled")
    source = call.str("dataSourceId")
    nothing = (source not in (None, SYSTEM_DATA_SOURCE, SYSTEM_SOURCE_KEY) or call.str("studentId") is not None
               or call.str("institutionRoleIds") is not None)  # no user here has a student id or institution role
    return UserFilters(login_id=call.str("userName"), sis_user_id=call.str("externalId"),
                       family_name=call.str("name.family"), email=call.str("contact.email"),
                       stamps=call.stamp("created", "created_at") + call.stamp("modified", "created_at")
                       + call.stamp("lastLogin", "last_login"),
                       available=False if nothing or available in ("No", "Disabled") else None,
                       sort=call.order(USER_SORTS))


def list_users(call: Call) -> dict:
    window, filters = call.window(), user_filters(call)
    with call.read(*entitled.USER_VIEW) as (db, me):
        if filters.email and not call.entitled(db, *entitled.EMAIL_SEARCH):
            filters = replace(filters, email=None)  # Learn ignores the parameter for such callers
        page = account_users.search_users(db, me, filters, window)
    return call.paged([render_user(u) for u in page.items], window, page)


def create_user(call: Call) -> dict:
    fields = _checked(call, CREATE_TYPES)
    for required in ("userName", "password", "name.given", "name.family"):
        if not fields.get(required):
            raise InvalidInput(required, f"{required} is required")
    login = LoginChanges({"unique_id", "password", "sis_user_id"}, unique_id=fields["userName"],
                         password=fields["password"], sis_user_id=fields.get("externalId"))
    new = NewUser(_user_changes(fields), login, skip_registration=True)
    with call.write(*entitled.USER_CREATE) as (db, me), spelled_as(NAMES):
        try:
            user = account_users.create_user(db, me, _ROOT, new)
        except LoginTaken:  # Learn: 409 for a userName or externalId another user holds
            raise Conflict("A user with the same userName or externalId already exists") from None
        except PasswordTooShort:
            raise InvalidInput("password", f"password must be at least {MIN_PASSWORD_LENGTH} characters long"
                               ) from None
        return call.pick(render_user(user))


def get_user(call: Call, user_id: str) -> dict:
    with call.read(*entitled.USER_READ) as (db, me):
        user = users.find_user(db, *user_ref(user_id), me)
        if user.id != me.id and not account_users.administers_user(db, me.id, user):
            raise NotAllowed()  # a user reads themselves; administrators read the users they administer
        return call.pick(render_user(user))


def update_user(call: Call, user_id: str) -> dict:
    fields = _checked(call, UPDATE_TYPES)
    with call.write() as (db, me), spelled_as(NAMES):
        user = users.find_user(db, *user_ref(user_id), me)
        call.require(db, entitled.SELF_MODIFY if user.id == me.id else entitled.USER_MODIFY)
        user = account_users.update_user(db, me, str(user.id), _user_changes(fields, names_of(user)))
        return call.pick(render_user(user))


def delete_user(call: Call, user_id: str) -> None:
    with call.write(*entitled.USER_DELETE) as (db, me):
        user = users.find_user(db, *user_ref(user_id), me)
        account_users.remove_user(db, me, _ROOT, str(user.id))


ROUTES = [
    *on_versions(get, "/users", list_users, _V1), *on_versions(post, "/users", create_user, _V1, status_code=201),
    *on_versions(get, "/users/{user_id:str}", get_user, _V1),
    *on_versions(patch, "/users/{user_id:str}", update_user, _V1),
    *on_versions(delete, "/users/{user_id:str}", delete_user, _V1, status_code=204),
]
