"""Canvas Roles API routes: the roles of an account (built-in first) and one role."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.identity import roles
from courseport.core.identity.roles import RoleView
from courseport.dialects.canvas.protocol import Call, get


def render_role(view: RoleView) -> dict[str, Any]:
    """Canvas's Role object; each permission as Canvas reports a role's default (never locked here)."""
    role, account = view.role, view.account
    return {
        "id": role.id, "role": role.name, "label": view.label, "last_updated_at": None,
        "base_role_type": role.base_role_type, "is_account_role": view.is_account_role,
        "workflow_state": "built_in" if view.built_in else role.workflow_state, "created_at": None,
        "account": {"id": account.id, "name": account.name, "parent_account_id": account.parent_account_id,
                    "root_account_id": account.root_account_id, "uuid": account.uuid},
        "permissions": {name: {"enabled": enabled, "locked": False, "readonly": False, "explicit": False}
                        for name, enabled in view.permissions.items()},
    }


@get("/accounts/{account_id:str}/roles")
def list_roles(call: Call, account_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = roles.list_roles(db, me, account_id, call.list("state[]"), bool(call.bool("show_inherited")), window)
    return call.paged([render_role(v) for v in page.items], window, page)


@get("/accounts/{account_id:str}/roles/{role_id:str}")
def get_role(call: Call, account_id: str, role_id: str) -> dict:
    with call.read() as (db, me):
        return render_role(roles.get_role(db, me, account_id, role_id))


ROUTES = [list_roles, get_role]
