"""Role routes (lp): the roles an enrollment may take. Valence role ids are core role ids (the built-in
course roles and the organization's custom roles); `roles.role_for` is the one lookup."""

from __future__ import annotations

from courseport.core.identity import accounts, roles
from courseport.core.kit.paging import Window
from courseport.dialects.d2l.protocol import Call, get, route_id
from courseport.dialects.d2l.user_json import render_role

BASE = "/api/lp/{version:str}/roles"
ORG = str(accounts.ROOT_ACCOUNT_ID)
ALL_ROLES = Window(0, 10_000)


@get(BASE + "/")
def list_roles(call: Call, version: str) -> list:
    with call.read() as (db, me):
        listed = roles.list_roles(db, me, ORG, ["active"], True, ALL_ROLES)
        return [render_role(view.role) for view in listed.items]


@get(BASE + "/{role_id:str}")
def get_role(call: Call, version: str, role_id: str) -> dict:
    rid = route_id(role_id, "role")
    with call.read() as (db, me):
        return render_role(roles.get_role(db, me, ORG, str(rid)).role)


ROUTES = [list_roles, get_role]
