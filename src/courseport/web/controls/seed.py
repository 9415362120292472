"""`POST /_courseport/seed`: with a YAML or JSON document (web/controls/seed_document.py), the objects it
describes, answered with their ids on each face; with no document, the demo data (as before: `enroll_me`
enrolls the caller in the demo courses)."""

from __future__ import annotations

from dataclasses import asdict

import anyio
import litestar
from litestar import Request

from courseport import demo
from courseport.dialects.canvas import protocol
from courseport.dialects.canvas.protocol import Call
from courseport.web.controls import seed_document
from courseport.web.controls.access import controls_router, tenant_admin

_YAML = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


@litestar.post("/seed", status_code=200, summary="Seed objects from a YAML or JSON document, or the demo data",
               description="A YAML (application/yaml) or JSON document with accounts, terms, users, courses (with "
                           "sections, enrollments, pages, assignments, modules); answers each object's ids per face. "
                           "Without a document: the demo data.")
async def seed(request: Request) -> dict:
    call = await protocol.provide_call(request)
    body, content_type = await request.body(), request.headers.get("content-type", "").lower()
    return await anyio.to_thread.run_sync(_seed, call, body, content_type)


def _seed(call: Call, body: bytes, content_type: str) -> dict:
    as_document = content_type.startswith(_YAML) or (
        "json" in content_type and any(call.raw(s) is not None for s in seed_document.SECTIONS))
    document = seed_document.parse(body, content_type) if as_document else None
    with call.write() as (db, me):
        tenant_id = tenant_admin(db, me)
        if document is not None:
            seeder = seed_document.Seeder(db, me, tenant_id, call.services.blobs)
            return {"tenant_id": tenant_id, **seeder.seed(document)}
        summary = demo.seed_demo(db, me, enroll_me=bool(call.bool("enroll_me", False)), blobs=call.services.blobs)
    return asdict(summary)


ROUTES = [controls_router([seed], "seed")]
