"""Tenants under /_courseport/tenants: make, list and delete isolated root accounts (core/identity/tenants.py).

Every call needs the installation administrator's token (an admin of root account 1); a tenant's own
administrator is refused. Errors have the Canvas body, as the rest of the admin API.
"""

from __future__ import annotations

from typing import Any

from litestar import Router
from litestar.di import Provide

from courseport.core.identity import admin, tenants
from courseport.dialects.canvas import protocol
from courseport.dialects.canvas.protocol import Call, delete, get, post
from courseport.dialects.error_status import error_handler


def _tenant_json(tenant: tenants.Tenant) -> dict[str, Any]:
    root, user = tenant.account, tenant.admin
    return {"id": root.id, "name": root.name, "uuid": root.uuid, "created_at": protocol.iso(root.created_at),
            "admin": None if user is None else {"id": user.id, "login": user.login_id}}


@post("/tenants", status_code=201, summary="Create a tenant",
      description="An isolated root account with an administrator `admin` and credentials for the Canvas, "
                  "Learn, SCORM Cloud and D2L faces, shaped as credentials.json holds them (shown once). "
                  "Form or JSON field: `name`.")
def create_tenant(call: Call) -> dict[str, Any]:
    with call.write() as (db, me):
        admin.require_site_admin(db, me)
        made = tenants.create_tenant(db, call.str("name") or "tenant")
        body = _tenant_json(made.tenant)
    return {**body, "credentials": {"base_url": call.origin, **made.credentials}}


@get("/tenants", summary="List tenants", description="Every root account, by id, the installation's own first.")
def list_tenants(call: Call) -> list[dict[str, Any]]:
    with call.read() as (db, me):
        admin.require_site_admin(db, me)
        return [_tenant_json(t) for t in tenants.list_tenants(db)]


@delete("/tenants/{tenant_id:int}", summary="Delete a tenant",
         description="The root account and everything it owns: accounts, users, courses, enrollments, "
                     "content, packages, jobs, tokens and keys. Blobs go once nothing refers to them.")
def delete_tenant(call: Call, tenant_id: int) -> dict[str, Any]:
    with call.write() as (db, me):
        admin.require_site_admin(db, me)
        tenants.delete_tenant(db, tenant_id)
    return {"id": tenant_id, "deleted": True}


ROUTES = [
    Router(
        path="/_courseport",
        route_handlers=[create_tenant, list_tenants, delete_tenant],
        dependencies={"call": Provide(protocol.provide_call)},
        exception_handlers={Exception: error_handler(protocol)},  # Canvas bodies, a busy store's 503; a 500 is logged
        tags=["tenants"],
    )
]
