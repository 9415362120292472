"""Canvas Admins API routes: list, make and remove an account's admins (`core/identity/account_admins.py`)."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.identity import account_admins
from courseport.core.identity.account_admins import AdminQuery, Adminship
from courseport.core.kit.errors import spelled_as
from courseport.dialects.canvas.protocol import Call, delete, get, post
from courseport.dialects.canvas.user_json import render_account_user


def render_admin(admin: Adminship, origin: str) -> dict[str, Any]:
    """Canvas's Admin object: the account role assignment with its user."""
    return {"id": admin.id, "role": admin.role.name, "role_id": admin.role.id,
            "user": render_account_user(admin.user, set(), origin), "workflow_state": admin.state}


def _role(call: Call) -> tuple[str | None, dict[str, str]]:
    """The role asked for, by `role_id` or by the deprecated `role` name, and how its errors spell it."""
    role_id = call.str("role_id")
    if role_id is not None:
        return role_id, {}
    return call.str("role"), {"role_id": "role"}


@get("/accounts/{account_id:str}/admins")
def list_admins(call: Call, account_id: str) -> Response:
    window = call.window()
    query = AdminQuery(tuple(call.list("user_id[]")), call.str("search_term"))
    with call.read() as (db, me):
        page = account_admins.list_admins(db, me, account_id, query, window)
    return call.paged([render_admin(a, call.origin) for a in page.items], window, page)


@post("/accounts/{account_id:str}/admins", status_code=200)
def make_admin(call: Call, account_id: str) -> dict:
    role, names = _role(call)
    with call.write() as (db, me), spelled_as(names):
        return render_admin(account_admins.make_admin(db, me, account_id, call.str("user_id"), role), call.origin)


@delete("/accounts/{account_id:str}/admins/{user_id:str}")
def remove_admin(call: Call, account_id: str, user_id: str) -> dict:
    role, names = _role(call)
    with call.write() as (db, me), spelled_as(names):
        return render_admin(account_admins.remove_admin(db, me, account_id, user_id, role), call.origin)


ROUTES = [list_admins, make_admin, remove_admin]
