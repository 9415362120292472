"""Fault injection over HTTP: rules listed, added and removed under /_courseport/faults, and the raw ASGI
wrapper that applies them to the faces (never to the admin API itself, so a rule can always be removed).

Per matching rule, in the order they were added: `latency` waits its seconds and goes on; `status` answers
that status with the face's own error body; `rate_limit` answers 429 as the vendor documents it (Canvas:
X-Rate-Limit-Remaining and X-Request-Cost, a text body; Learn: X-Rate-Limit-Limit/-Remaining/-Reset;
Valence and SCORM Cloud: Retry-After, with their error bodies); `drop` starts an answer and closes the
connection before any of its body is sent. The first rule that answers ends the request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
from litestar import Response

from courseport.dialects.blackboard import protocol as blackboard_protocol
from courseport.dialects.canvas import protocol as canvas_protocol
from courseport.dialects.canvas.protocol import Call, delete, get, post, to_float
from courseport.dialects.d2l import protocol as d2l_protocol
from courseport.dialects.scorm_cloud import protocol as scorm_protocol
from courseport.schema import FaultRule
from courseport.web.controls import fault_rules
from courseport.web.controls.access import controls_router, tenant_admin, tenant_of_request
from courseport.web.controls.fault_rules import FaultBook, FaultSpec, Rule

PROTOCOLS: dict[str, Any] = {"canvas": canvas_protocol, "blackboard": blackboard_protocol, "d2l": d2l_protocol,
                             "scorm_cloud": scorm_protocol}
RETRY_SECONDS = 60
_PHRASES = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout"}


def render_rule(rule: FaultRule) -> dict[str, Any]:
    return {"id": rule.id, "face": rule.face, "method": rule.method, "path": rule.path, "action": rule.action,
            "status": rule.status, "seconds": rule.seconds, "message": rule.message, "probability": rule.probability,
            "remaining": rule.remaining}


@get("/faults", summary="The fault rules of the caller's tenant")
def list_faults(call: Call) -> list:
    with call.read() as (db, me):
        return [render_rule(r) for r in fault_rules.list_rules(db, tenant_admin(db, me))]


@post("/faults", status_code=201, summary="Add a fault rule: latency, status, rate_limit or drop",
      description=("Body (JSON or form): action; face (canvas, blackboard, d2l, scorm_cloud, player; default all); "
                   "method; path (a glob: * and ?; default *); status (action status); "
                   "seconds (latency; Retry-After of a rate limit); message; "
                   "probability (above 0, at most 1; default 1); count (applied at most this many times)."))
def add_fault(call: Call) -> dict:
    with call.write() as (db, me):
        tenant_id = tenant_admin(db, me)
        spec = fault_rules.checked(FaultSpec(
            call.str("face"), call.str("method"), call.str("path") or "*", call.str("action") or "",
            call.int("status"), to_float(call.raw("seconds"), "seconds"), call.str("message"),
            to_float(call.raw("probability"), "probability", 1.0) or 0.0, call.int("count")))
        return render_rule(fault_rules.add_rule(db, tenant_id, spec))


@delete("/faults/{rule_id:int}", summary="Remove one fault rule")
def remove_fault(call: Call, rule_id: int) -> dict:
    with call.write() as (db, me):
        fault_rules.remove_rule(db, tenant_admin(db, me), rule_id)
    return {"id": rule_id, "removed": True}


@delete("/faults", summary="Remove every fault rule of the caller's tenant")
def remove_faults(call: Call) -> dict:
    with call.write() as (db, me):
        return {"removed": fault_rules.remove_rule(db, tenant_admin(db, me), None)}


def _rendered(response: Response) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    media_type = str(response.media_type or "application/json")
    body = response.render(response.content, media_type)
    headers = [(k.lower().encode(), str(v).encode()) for k, v in response.headers.items()]
    return int(response.status_code or 500), [(b"content-type", media_type.encode()), *headers], body


def error_answer(face: str, status: int, message: str | None) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """The face's own error body for `status`."""
    text = message or _PHRASES.get(status, "The request failed.")
    protocol = PROTOCOLS.get(face)
    if protocol is None:
        return status, [(b"content-type", b"text/plain; charset=utf-8")], text.encode()
    return _rendered(protocol.http_error_response(status, text))


def rate_limit_answer(face: str, rule: Rule) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """429 as each vendor documents it."""
    wait = str(int(rule.seconds) if rule.seconds else RETRY_SECONDS).encode()
    if face == "canvas":
        return 429, [(b"content-type", b"text/plain; charset=utf-8"), (b"x-rate-limit-remaining", b"0.0"),
                     (b"x-request-cost", b"0.0")], b"429 Too Many Requests (Rate Limit Exceeded)\n"
    status, headers, body = error_answer(face, 429, rule.message or "Rate limit exceeded")
    if face == "blackboard":
        headers += [(b"x-rate-limit-limit", str(blackboard_protocol.RateLimits.LIMIT).encode()),
                    (b"x-rate-limit-remaining", b"0"), (b"x-rate-limit-reset", wait)]
    else:
        headers.append((b"retry-after", wait))
    return status, headers, body


class Dropped(Exception):
    """Raised after an answer has started: the server closes the connection with no body sent."""


class Faults:
    """ASGI wrapper applying the fault rules of `book` to the faces' requests."""

    def __init__(self, app: Any, book: FaultBook, face_of: Callable[[dict], str]):
        self.app, self.book, self.face_of = app, book, face_of

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not (rules := await self._rules()):
            await self.app(scope, receive, send)
            return
        face = self.face_of(scope)
        if face in fault_rules.FACES:
            tenant_id = await anyio.to_thread.run_sync(tenant_of_request, scope, self.book.engine)
            for rule in rules:
                if not rule.matches(tenant_id, face, scope["method"], scope["path"]):
                    continue
                if rule.counted and not await anyio.to_thread.run_sync(self.book.consume, rule):
                    continue
                if rule.action == "latency":
                    await anyio.sleep(rule.seconds or 0)
                    continue
                scope.setdefault("state", {})["courseport.fault"] = rule.action
                await self._answer(face, rule, send)
                return
        await self.app(scope, receive, send)

    async def _rules(self) -> list[Rule]:
        if self.book.stale():
            return await anyio.to_thread.run_sync(self.book.rules)
        return self.book.rules()

    async def _answer(self, face: str, rule: Rule, send: Any) -> None:
        if rule.action == "drop":
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")]})
            raise Dropped(f"fault rule {rule.id} dropped the connection")
        status, headers, body = (rate_limit_answer(face, rule) if rule.action == "rate_limit"
                                 else error_answer(face, rule.status or 500, rule.message))
        headers += [(b"content-length", str(len(body)).encode()), (b"x-content-type-options", b"nosniff"),
                    (b"cache-control", b"no-store")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


ROUTES = [controls_router([list_faults, add_fault, remove_fault, remove_faults], "faults")]
