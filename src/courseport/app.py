"""The ASGI application: `create_app(settings)` builds engine, stores, workers and dialects."""

from __future__ import annotations

import gc
import logging
import time
from typing import Any, cast

from litestar import Litestar, Request, Response, Router, get
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.types import Message, Scope
from sqlalchemy import text

from courseport import metrics
from courseport.core.kit.errors import DomainError, InvalidInput
from courseport.dialects.blackboard import protocol as blackboard_protocol
from courseport.dialects.blackboard.routes import ROUTES as BLACKBOARD_ROUTES
from courseport.dialects.canvas import protocol as canvas_protocol
from courseport.dialects.canvas.routes import ROUTES as CANVAS_ROUTES
from courseport.dialects.d2l import protocol as d2l_protocol
from courseport.dialects.d2l.routes import ROUTES as D2L_ROUTES
from courseport.dialects.error_status import error_handler
from courseport.dialects.params import check_path_params
from courseport.dialects.read_only import placed
from courseport.dialects.scorm_cloud import protocol as scorm_protocol
from courseport.dialects.scorm_cloud.routes import ROUTES as SCORM_ROUTES
from courseport.dialects.xapi import protocol as xapi_protocol
from courseport.dialects.xapi.routes import ROUTES as XAPI_ROUTES
from courseport.logs import RequestLog
from courseport.loop_reads import LoopReads
from courseport.services import Services, build_services
from courseport.settings import Settings
from courseport.throttle import count_failure
from courseport.web.admin import ROUTES as ADMIN_ROUTES
from courseport.web.console.routes import ROUTES as CONSOLE_ROUTES
from courseport.web.controls import mount as controls
from courseport.web.player import ROUTES as PLAYER_ROUTES
from courseport.web.tenants import ROUTES as TENANT_ROUTES
from courseport.web.xapi_launch import ROUTES as XAPI_LAUNCH_ROUTES

log = logging.getLogger("courseport")


# (path prefix, protocol module, routes): each dialect's protocol renders its own error bodies.
DIALECTS = (
    (scorm_protocol.PREFIX, scorm_protocol, SCORM_ROUTES),
    (d2l_protocol.PREFIX, d2l_protocol, D2L_ROUTES),
    (blackboard_protocol.PREFIX, blackboard_protocol, BLACKBOARD_ROUTES),
    ("/api/v1", canvas_protocol, CANVAS_ROUTES),
    (xapi_protocol.PREFIX, xapi_protocol, XAPI_ROUTES),
)


# Path prefix -> face, for log lines and metrics (the dialects' own prefixes, then web/).
FACES = ((scorm_protocol.PREFIX, "scorm_cloud"), (d2l_protocol.PREFIX, "d2l"),
         (blackboard_protocol.PREFIX, "blackboard"), ("/api/v1", "canvas"), ("/_courseport", "admin"),
         ("/metrics", "admin"), ("/preview", "player"), ("/player", "player"),
         ("/console", "console"), ("/launch", "player"), ("/content/courses", "player"),
         (xapi_protocol.PREFIX, "xapi"), ("/xapi-launch", "player"))
_FACE_OF_ROUTE: dict[str, str] = {}


def face_of(scope: dict) -> str:
    """The face a request reached, by its route template (remembered: templates are few)."""
    route = scope.get("path_template") or scope["path"]
    if (face := _FACE_OF_ROUTE.get(route)) is None:
        face = next((name for prefix, name in FACES if route == prefix or route.startswith(prefix.rstrip("/") + "/")),
                    "other")
        if "path_template" in scope:
            _FACE_OF_ROUTE[route] = face
    return face


def _protocol_for(path: str):  # noqa: ANN202
    for prefix, protocol, _ in DIALECTS:
        if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
            return protocol
    return canvas_protocol


def _http_error(request: Request, exc: HTTPException) -> Response:
    return _protocol_for(request.url.path).http_error_response(exc.status_code, exc.detail)


def _path_check(protocol):  # noqa: ANN001, ANN202
    """before_request of one dialect's router: path parameters pass the input rules (params.py)."""

    async def check(request: Request) -> None:
        check_path_params(request.path_params, protocol.path_param_name)

    return check


async def _web_path_check(request: Request) -> None:
    """before_request of the routes outside the faces (player, console, controls): the same input rules,
    refused as a 400 in the error form of the face the path falls under (`_http_error`)."""
    try:
        check_path_params(request.path_params, str)
    except InvalidInput as exc:
        raise HTTPException(status_code=400, detail=exc.message) from None


def _kept(provide):  # noqa: ANN001, ANN202
    """A face's provide_call that also leaves the call in the scope, where the request log finds its user."""

    async def provide_call(request: Request) -> Any:
        call = await provide(request)
        request.scope["courseport.call"] = call  # type: ignore[typeddict-unknown-key]
        return call

    return provide_call


def _dialect_router(prefix: str, protocol, routes: list, services: Services,  # noqa: ANN001
                    loop_reads: LoopReads) -> Router:
    handler, provide_call = error_handler(protocol), _kept(protocol.provide_call)
    routes = placed(routes, loop_reads, provide_call)  # their call made without the dependency (with_call)
    return Router(path=prefix, route_handlers=routes, dependencies={"call": Provide(provide_call)},
                  exception_handlers={DomainError: handler, Exception: handler},
                  before_request=_path_check(protocol), include_in_schema=False)


async def _default_headers(message: Message, scope: Scope) -> None:
    """before_send hook: no response is MIME-sniffed, and none is cached unless its route chose how
    (the player's script and package files do); error answers and unknown paths included."""
    if message["type"] != "http.response.start":
        return
    headers = cast(list[tuple[bytes, bytes]], message.setdefault("headers", []))  # litestar sends a list
    present = {name.lower() for name, _ in headers}
    if b"x-content-type-options" not in present:
        headers.append((b"x-content-type-options", b"nosniff"))
    if b"cache-control" not in present:
        headers.append((b"cache-control", b"no-store"))


HEALTH_TTL = 2.0  # seconds a health report is reused: probes and load balancers ask often


def _check(probe) -> str:  # noqa: ANN001
    try:
        probe()
    except Exception as exc:  # noqa: BLE001 - any failure is the component's state
        log.warning("health check failed: %s", exc)
        return f"down: {type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    return "ok"


def health_report(services: Services) -> dict[str, Any]:
    """Reachability of the database, the blob store and the job queue; "status" is "ok" only if all are."""
    def queue() -> None:
        with services.engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM jobs WHERE state = 'queued'"))

    def database() -> None:
        with services.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    report = {"database": _check(database), "blob_store": _check(lambda: services.blobs.exists("0" * 64)),
              "job_queue": _check(queue)}
    return {"status": "ok" if all(v == "ok" for v in report.values()) else "down", **report}


@get("/_courseport/health")
async def health(request: Request) -> Response:
    """Answered from a report at most HEALTH_TTL old, made in a worker thread (the checks block)."""
    now, _health = time.monotonic(), request.app.state.health
    if now - _health["at"] > HEALTH_TTL:
        import anyio

        _health["report"] = await anyio.to_thread.run_sync(health_report, request.app.state.services)
        _health["at"] = now
    report = _health["report"]
    return Response(report, status_code=200 if report["status"] == "ok" else 503)


@get("/metrics", sync_to_thread=True)
def metrics_page(request: Request) -> Response:
    services = request.app.state.services
    if not metrics.authorized(request.headers.get("authorization"), services.settings.metrics_token):
        return Response("a metrics token is required\n", status_code=401, media_type="text/plain",
                        headers={"WWW-Authenticate": "Bearer"})
    return Response(metrics.exposition(services.engine), media_type=metrics.CONTENT_TYPE)


def create_app(settings: Settings, services: Services | None = None) -> Litestar:
    services = services or build_services(settings)
    loop_reads = LoopReads(services.engine)  # where read_only.placed runs READ_ONLY handlers
    routers = [_dialect_router(prefix, protocol, routes, services, loop_reads) for prefix, protocol, routes in DIALECTS]
    app = Litestar(
        route_handlers=[health, metrics_page, *routers, *ADMIN_ROUTES, *PLAYER_ROUTES, *CONSOLE_ROUTES,
                        *TENANT_ROUTES, *controls.ROUTES, *XAPI_LAUNCH_ROUTES],
        exception_handlers={HTTPException: _http_error},
        before_request=_web_path_check,  # the faces' routers check with their own names (_path_check)
        before_send=[_default_headers, blackboard_protocol.add_rate_limit_headers],
        after_exception=[count_failure],
        on_startup=[lambda: services.start()],
        on_shutdown=[lambda: services.stop(), loop_reads.close],
        openapi_config=controls.OPENAPI,  # the admin API and controls; the faces follow their vendors' docs
        debug=False,
    )
    # Around the whole app rather than as route middleware: unknown paths are logged too, and routes keep
    # no second exception layer (Litestar adds one per route when a middleware is declared). The router
    # writes the route template into this same scope, where the log line reads it afterwards.
    app.asgi_handler = controls.wrapped(app.asgi_handler, services, face_of)  # job timing, faults, request log
    app.asgi_handler = RequestLog(app.asgi_handler, face_of, (metrics.observe_request,))
    app.state.services = services
    app.state.health = {"at": float("-inf"), "report": None}
    return app


# Young-generation allocations between collections in a server process (Python's default is 700).
GC_YOUNG_THRESHOLD = 10_000


def settle_collector() -> None:
    """A server process, once started: what startup made (modules, routes, mappers, compiled statements)
    moves to the collector's permanent generation, which no collection walks again, and young
    collections run less often. Requests build many short-lived containers (rows, views, JSON dicts)
    that reference counting frees; the default settings spent about an eighth of a single-course GET
    walking the long-lived heap (docs/architecture.md, "The collector in a server process")."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, 10, 10)


def app_from_env() -> Litestar:
    """Factory for `uvicorn --factory` worker processes: settings come from the environment."""
    from courseport.logs import configure_logging

    settings = Settings.from_env()
    configure_logging(settings.log_format)
    app = create_app(settings)
    app.on_startup.append(settle_collector)  # after the services started: their objects are long-lived too
    return app
