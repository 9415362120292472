"""The request log over HTTP: `GET /_courseport/requests` with filters, and the ASGI wrapper that records
every request to a face (method, path, face, status, timing, headers and bodies; request_store masks them)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from courseport.core.jobs import jobs
from courseport.core.kit.errors import Conflict, InvalidInput
from courseport.db import transaction
from courseport.dialects.canvas.protocol import Call, get, iso, to_datetime
from courseport.logs import caller_id
from courseport.web.controls.access import controls_router, tenant_admin
from courseport.web.controls.fault_rules import FACES
from courseport.web.controls.request_store import (
    CAPTURE_LIMIT,
    Captured,
    RequestStore,
    Stored,
    microseconds,
    store_for,
    stored_records,
)

MAX_LIMIT = 1000


def render_record(record_id: int, r: Stored) -> dict[str, Any]:
    return {"id": record_id, "request_id": r.request_id, "at": iso(r.at_datetime), "method": r.method,
            "path": r.path, "query": r.query, "face": r.face, "status": r.status, "duration_ms": r.duration_ms,
            "user_id": r.user_id, "request": {"headers": r.request_headers, "body": r.request_body},
            "response": {"headers": r.response_headers, "body": r.response_body}}


@get("/requests", summary="The last requests to the faces in the caller's tenant, oldest first, with filters",
     description=("Query: face, status, method, path (a prefix), since (ISO 8601), after (a record id: only newer ones,"
                  " for following), limit (1 to 1000, default 100). 409 when this server runs with its request log"
                  " off."))
def list_requests(call: Call) -> list:
    with call.read() as (db, me):
        tenant_id = tenant_admin(db, me)
    if not call.services.settings.request_log:
        raise Conflict("the request log is off on this server (its request_log setting, COURSEPORT_REQUEST_LOG)")
    limit = call.int("limit", 100) or 100
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("limit", f"limit must be from 1 to {MAX_LIMIT}")
    if (face := call.str("face")) is not None and face not in FACES:
        raise InvalidInput("face", f"face must be one of: {', '.join(FACES)}")
    store = store_for(call.services.engine)
    store.flush(reader=tenant_id)  # this process's records not yet written; the tenant's log cut to KEEP
    after = call.int("after")
    with transaction(store.engine, write=False) as db:
        records = stored_records(db, tenant_id, after)
    wanted = _matching(call, face)
    found = [(rid, r) for rid, r in records if wanted(r)]
    return [render_record(rid, r) for rid, r in (found[:limit] if after is not None else found[-limit:])]


def _matching(call: Call, face: str | None) -> Callable[[Stored], bool]:
    """The filters of a log read (face, status, method, a path prefix, since) as one test of a record."""
    status, method, prefix = call.int("status"), (call.str("method") or "").upper() or None, call.str("path")
    since = to_datetime(call.raw("since"), "since")
    since_us = None if since is None else microseconds(since)
    return lambda r: ((face is None or r.face == face) and (status is None or r.status == status)
                      and (method is None or r.method == method) and (not prefix or r.path.startswith(prefix))
                      and (since_us is None or r.at >= since_us))


class RequestRecorder:
    """ASGI wrapper: every request to a face, with its answer, goes to the request store."""

    def __init__(self, app: Any, store: RequestStore, face_of: Callable[[dict], str]):
        self.app, self.store, self.face_of = app, store, face_of

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self.face_of(scope) not in FACES:
            await self.app(scope, receive, send)
            return
        start, at = time.perf_counter(), time.time()  # raw references only: the writer thread converts
        request_id, headers = jobs.REQUEST_ID.get() or "", list(scope["headers"])
        method, path, query = scope["method"], scope["path"], scope.get("query_string", b"")
        status, response_headers, request_size, response_size = 0, [], 0, 0
        request_body: bytes | bytearray = b""
        response_body: bytes | bytearray = b""

        async def receive_kept() -> Any:
            nonlocal request_body, request_size
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                request_body, request_size = _keep(request_body, chunk, request_size), request_size + len(chunk)
            return message

        async def send_kept(message: Any) -> None:
            nonlocal status, response_headers, response_body, response_size
            if message["type"] == "http.response.body":
                chunk = message.get("body", b"")
                response_body, response_size = _keep(response_body, chunk, response_size), response_size + len(chunk)
            elif message["type"] == "http.response.start":
                status, response_headers = message["status"], list(message.get("headers", []))
            await send(message)

        try:
            await self.app(scope, receive_kept, send_kept)
        finally:
            duration_ms = (time.perf_counter() - start) * 1000
            if (scope.get("state") or {}).get("courseport.fault") == "drop":
                status, response_headers = 0, []  # no answer reached the client
            self.store.add(Captured(at, request_id, method, path, query, self.face_of(scope), caller_id(scope), headers,
                                    status, duration_ms, request_body, request_size, response_headers, response_body,
                                    response_size))


def _keep(kept: bytes | bytearray, chunk: bytes, size: int) -> bytes | bytearray:
    """What is kept of a body after `chunk`, `size` bytes having come before it: all of it while the body fits
    in CAPTURE_LIMIT bytes (a body in one chunk as it is, not copied), and nothing once it is longer, as the
    log then shows only its size and type (request_masking.mask_body). Keeping the first CAPTURE_LIMIT bytes of
    a 100-course page cost a copy of 64 KiB per request, held until the writer's next flush."""
    if size + len(chunk) > CAPTURE_LIMIT:
        return b""
    if not chunk:
        return kept
    if not kept:
        return bytes(chunk)  # the chunk itself when it is bytes
    if not isinstance(kept, bytearray):
        kept = bytearray(kept)
    kept += chunk
    return kept


ROUTES = [controls_router([list_requests], "request log")]
