"""The request log over HTTP: `GET /_courseport/requests` with filters, and the ASGI wrapper that records
every request to a face (method, path, face, status, timing, headers and bodies; request_store masks them)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from courseport.core.jobs import jobs
from courseport.core.kit.errors import InvalidInput
from courseport.db import transaction
from courseport.dialects.canvas.protocol import Call, get, iso, to_datetime
from courseport.logs import caller_id
from courseport.schema import RequestRecord
from courseport.web.controls.access import controls_router, tenant_admin
from courseport.web.controls.fault_rules import FACES
from courseport.web.controls.request_store import CAPTURE_LIMIT, Captured, RequestStore, store_for

MAX_LIMIT = 1000


def render_record(r: RequestRecord) -> dict[str, Any]:
    return {"id": r.id, "request_id": r.request_id, "at": iso(r.at), "method": r.method, "path": r.path,
            "query": r.query, "face": r.face, "status": r.status, "duration_ms": r.duration_ms, "user_id": r.user_id,
            "request": {"headers": r.request_headers, "body": r.request_body},
            "response": {"headers": r.response_headers, "body": r.response_body}}


@get("/requests", summary="The last requests to the faces in the caller's tenant, oldest first, with filters",
     description=("Query: face, status, method, path (a prefix), since (ISO 8601), after (a record id: only newer ones,"
                  " for following), limit (1 to 1000, default 100)."))
def list_requests(call: Call) -> list:
    with call.read() as (db, me):
        tenant_id = tenant_admin(db, me)
    limit = call.int("limit", 100) or 100
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("limit", f"limit must be from 1 to {MAX_LIMIT}")
    if (face := call.str("face")) is not None and face not in FACES:
        raise InvalidInput("face", f"face must be one of: {', '.join(FACES)}")
    store = store_for(call.services.engine)
    store.flush()  # this process's records not yet written
    with transaction(store.engine, write=False) as db:
        query = select(RequestRecord).where(RequestRecord.tenant_id == tenant_id)
        for column, value in ((RequestRecord.face, face), (RequestRecord.status, call.int("status")),
                              (RequestRecord.method, (call.str("method") or "").upper() or None)):
            if value is not None:
                query = query.where(column == value)
        if prefix := call.str("path"):
            query = query.where(RequestRecord.path.startswith(prefix, autoescape=True))
        if (since := to_datetime(call.raw("since"), "since")) is not None:
            query = query.where(RequestRecord.at >= since)
        if (after := call.int("after")) is not None:
            rows = list(db.scalars(query.where(RequestRecord.id > after).order_by(RequestRecord.id).limit(limit)))
        else:
            rows = list(reversed(db.scalars(query.order_by(RequestRecord.id.desc()).limit(limit)).all()))
        return [render_record(r) for r in rows]


class RequestRecorder:
    """ASGI wrapper: every request to a face, with its answer, goes to the request store."""

    def __init__(self, app: Any, store: RequestStore, face_of: Callable[[dict], str]):
        self.app, self.store, self.face_of = app, store, face_of

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self.face_of(scope) not in FACES:
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        item = Captured(at=datetime.now(UTC), request_id=jobs.REQUEST_ID.get() or "", method=scope["method"],
                        path=scope["path"], query=scope.get("query_string", b"").decode("latin-1"), face="",
                        user_id=None, request_headers=list(scope["headers"]))

        async def receive_kept() -> Any:
            message = await receive()
            if message["type"] == "http.request":
                _keep(item.request_body, message.get("body", b""))
                item.request_size += len(message.get("body", b""))
            return message

        async def send_kept(message: Any) -> None:
            if message["type"] == "http.response.start":
                item.status, item.response_headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                _keep(item.response_body, message.get("body", b""))
                item.response_size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive_kept, send_kept)
        finally:
            item.duration_ms = (time.perf_counter() - start) * 1000
            item.face, item.user_id = self.face_of(scope), caller_id(scope)
            if (scope.get("state") or {}).get("courseport.fault") == "drop":
                item.status, item.response_headers = 0, []  # no answer reached the client
            self.store.add(item)


def _keep(kept: bytearray, chunk: bytes) -> None:
    if len(kept) < CAPTURE_LIMIT:
        kept += chunk[:CAPTURE_LIMIT - len(kept)]


ROUTES = [controls_router([list_requests], "request log")]
