"""Learn roles (v1): the course roles (list, one), the system roles and the institution roles (lists,
one; an administrator's, as Learn asks the `system.systemrole.manager.VIEW` or `system.institutionrole.VIEW`
entitlement). Every role here is built in: `custom=true` finds none. The tables are role_json.py's and
membership_json.py's COURSE_ROLES."""

from __future__ import annotations

from typing import Any

from courseport.core.identity import accounts, roles
from courseport.core.kit.paging import window_of
from courseport.dialects.blackboard import entitlements as entitled
from courseport.dialects.blackboard.membership_json import COURSE_ROLES, render_course_role
from courseport.dialects.blackboard.protocol import Call, get, on_versions
from courseport.dialects.blackboard.role_json import (
    INSTITUTION_ROLES,
    ROLE_SORTS,
    SYSTEM_ROLES,
    numbered,
    render_role,
)

_V1 = ("v1",)
_ROOT = str(accounts.ROOT_ACCOUNT_ID)


def _listed(call: Call, rendered: list[dict[str, Any]]) -> dict:
    """The roles a list's roleId, custom and sort parameters keep, one window of them."""
    window, wanted, order = call.window(), call.str("roleId"), call.order(ROLE_SORTS)
    kept = [] if call.bool("custom") else [r for r in rendered if wanted in (None, r["roleId"])]
    for key, descending in reversed(order):
        kept.sort(key=lambda r: r[key], reverse=descending)
    page = window_of(kept, window)
    return call.paged(page.items, window, page)


def _administrator(call: Call, entitlements: tuple[str, ...]) -> None:
    with call.read(*entitlements) as (db, me):
        roles.admin_account(db, me, _ROOT)  # Learn's role entitlements are administrators'


def list_course_roles(call: Call) -> dict:
    call.require_token()
    return _listed(call, [render_course_role(n, r) for n, r in enumerate(COURSE_ROLES, 1)])


def get_course_role(call: Call, role_id: str) -> dict:
    call.require_token()
    return call.pick(render_course_role(*numbered(COURSE_ROLES, role_id, "Course role")))


def list_system_roles(call: Call) -> dict:
    _administrator(call, entitled.SYSTEM_ROLE_VIEW)
    return _listed(call, [render_role(n, r) for n, r in enumerate(SYSTEM_ROLES, 1)])


def get_system_role(call: Call, role_id: str) -> dict:
    _administrator(call, entitled.SYSTEM_ROLE_VIEW)
    return call.pick(render_role(*numbered(SYSTEM_ROLES, role_id, "System role")))


def list_institution_roles(call: Call) -> dict:
    _administrator(call, entitled.INSTITUTION_ROLE_VIEW)
    return _listed(call, [render_role(n, r) for n, r in enumerate(INSTITUTION_ROLES, 1)])


def get_institution_role(call: Call, role_id: str) -> dict:
    _administrator(call, entitled.INSTITUTION_ROLE_VIEW)
    return call.pick(render_role(*numbered(INSTITUTION_ROLES, role_id, "Institution role")))


ROUTES = [
    *on_versions(get, "/courseRoles", list_course_roles, _V1),
    *on_versions(get, "/courseRoles/{role_id:str}", get_course_role, _V1),
    *on_versions(get, "/systemRoles", list_system_roles, _V1),
    *on_versions(get, "/systemRoles/{role_id:str}", get_system_role, _V1),
    *on_versions(get, "/institutionRoles", list_institution_roles, _V1),
    *on_versions(get, "/institutionRoles/{role_id:str}", get_institution_role, _V1),
]
