"""The admin API under /_courseport: tokens, reset, demo data and running jobs on demand.

Every call needs the token of a root-account administrator; errors have the Canvas body.
"""

from __future__ import annotations

from litestar import Router
from litestar.di import Provide

from courseport.core.identity import admin
from courseport.dialects.canvas import protocol
from courseport.dialects.canvas.protocol import Call, post
from courseport.dialects.error_status import error_handler


@post("/tokens", status_code=201)
def create_token(call: Call) -> dict:
    with call.write() as (db, me):
        admin.require_site_admin(db, me)
        user, token = admin.create_token_for(db, call.str("login") or "", admin=bool(call.bool("admin", False)),
                                             purpose=call.str("purpose", "") or "")
    return {"user_id": user.id, "login": user.login_id, "token": token}


@post("/reset", status_code=200)
def reset(call: Call) -> dict:
    with call.write() as (db, me):
        admin.require_site_admin(db, me)
        admin.reset_store(db)
    return {"reset": True}


@post("/jobs/run", status_code=200)
def run_jobs(call: Call) -> dict:
    with call.read() as (db, me):
        admin.require_site_admin(db, me)
    return {"ran": call.services.jobs.run_pending()}


ROUTES = [
    Router(
        path="/_courseport",
        route_handlers=[create_token, reset, run_jobs],  # POST /seed: web/controls/seed.py
        dependencies={"call": Provide(protocol.provide_call)},
        exception_handlers={Exception: error_handler(protocol)},  # Canvas bodies; a 500 is logged
    )
]
