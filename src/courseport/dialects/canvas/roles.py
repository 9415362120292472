"""Canvas Roles API routes: the roles of an account (built-in first) and one role; custom roles made,
changed, deactivated and activated (`core/identity/role_writes.py`)."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.identity import role_writes, roles
from courseport.core.identity.role_writes import PermissionChange, RoleChanges
from courseport.core.identity.roles import PermissionView, RoleView
from courseport.core.kit.changes import UNSET, kinds
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.protocol import Call, coerce, delete, get, iso, post, put


def render_role(view: RoleView) -> dict[str, Any]:
    """Canvas's Role object, each permission as Canvas's RolePermissions."""
    role, account = view.role, view.account
    return {
        "id": role.id, "role": role.name, "label": view.label, "last_updated_at": iso(role.updated_at),
        "base_role_type": role.base_role_type, "is_account_role": view.is_account_role,
        "workflow_state": "built_in" if view.built_in else role.workflow_state, "created_at": iso(role.created_at),
        "account": {"id": account.id, "name": account.name, "parent_account_id": account.parent_account_id,
                    "root_account_id": account.root_account_id, "uuid": account.uuid},
        "permissions": {name: _render_permission(p) for name, p in view.permissions.items()},
    }


def _render_permission(p: PermissionView) -> dict[str, bool]:
    """`prior_default` only where the role sets the permission, `applies_to_*` only where it is enabled."""
    out = {"enabled": p.enabled, "locked": p.locked, "readonly": False, "explicit": p.explicit}
    if p.explicit:
        out["prior_default"] = p.prior_default
    if p.enabled:
        out["applies_to_self"], out["applies_to_descendants"] = p.applies_to_self, p.applies_to_descendants
    return out


def _changes(call: Call, *, create: bool) -> RoleChanges:
    """`label` (or its deprecated alias `role`), `base_role_type` on create, and `permissions[<name>][...]`."""
    label = call.str("label") if call.has("label") else call.str("role")
    base = call.str("base_role_type") if create else None
    given = coerce(call.raw("permissions"), dict, "permissions")
    return RoleChanges(label=UNSET if label is None else label, base_role_type=UNSET if base is None else base,
                       permissions=UNSET if given is None else {n: _permission(n, v) for n, v in given.items()})


def _permission(name: str, node: Any) -> PermissionChange:
    where = f"permissions[{name}]"
    if not isinstance(node, dict):
        raise InvalidInput(where, f"{where} must be a hash of settings (explicit, enabled, locked, ...)")
    return PermissionChange(**{key: coerce(node[key], kind, f"{where}[{key}]")
                               for key, kind in kinds(PermissionChange).items() if key in node})


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


@post("/accounts/{account_id:str}/roles", status_code=200)
def create_role(call: Call, account_id: str) -> dict:
    changes = _changes(call, create=True)
    with call.write() as (db, me):
        return render_role(role_writes.create_role(db, me, account_id, changes))


@put("/accounts/{account_id:str}/roles/{role_id:str}")
def update_role(call: Call, account_id: str, role_id: str) -> dict:
    changes = _changes(call, create=False)
    with call.write() as (db, me):
        return render_role(role_writes.update_role(db, me, account_id, role_id, changes))


@delete("/accounts/{account_id:str}/roles/{role_id:str}")
def deactivate_role(call: Call, account_id: str, role_id: str) -> dict:
    with call.write() as (db, me):
        return render_role(role_writes.set_role_state(db, me, account_id, role_id, "inactive"))


@post("/accounts/{account_id:str}/roles/{role_id:str}/activate", status_code=200)
def activate_role(call: Call, account_id: str, role_id: str) -> dict:
    with call.write() as (db, me):
        return render_role(role_writes.set_role_state(db, me, account_id, role_id, "active"))


ROUTES = [list_roles, get_role, create_role, update_role, deactivate_role, activate_role]
