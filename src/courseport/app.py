"""The ASGI application: `create_app(settings)` builds engine, stores, workers and dialects."""

from __future__ import annotations

import logging
from typing import cast

from litestar import Litestar, Request, Response, Router, get
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.types import Message, Scope

from courseport.core.kit.errors import DomainError
from courseport.db import is_sqlite
from courseport.dialects.blackboard import protocol as blackboard_protocol
from courseport.dialects.blackboard.routes import ROUTES as BLACKBOARD_ROUTES
from courseport.dialects.canvas import protocol as canvas_protocol
from courseport.dialects.canvas.routes import ROUTES as CANVAS_ROUTES
from courseport.dialects.d2l import protocol as d2l_protocol
from courseport.dialects.d2l.routes import ROUTES as D2L_ROUTES
from courseport.dialects.params import check_path_params
from courseport.dialects.read_only import placed
from courseport.dialects.scorm_cloud import protocol as scorm_protocol
from courseport.dialects.scorm_cloud.routes import ROUTES as SCORM_ROUTES
from courseport.services import Services, build_services
from courseport.settings import Settings
from courseport.throttle import count_failure
from courseport.web.admin import ROUTES as ADMIN_ROUTES
from courseport.web.player import ROUTES as PLAYER_ROUTES

log = logging.getLogger("courseport")


# (path prefix, protocol module, routes): each dialect's protocol renders its own error bodies.
DIALECTS = (
    (scorm_protocol.PREFIX, scorm_protocol, SCORM_ROUTES),
    (d2l_protocol.PREFIX, d2l_protocol, D2L_ROUTES),
    (blackboard_protocol.PREFIX, blackboard_protocol, BLACKBOARD_ROUTES),
    ("/api/v1", canvas_protocol, CANVAS_ROUTES),
)


def _protocol_for(path: str):  # noqa: ANN202
    for prefix, protocol, _ in DIALECTS:
        if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
            return protocol
    return canvas_protocol


def _http_error(request: Request, exc: HTTPException) -> Response:
    return _protocol_for(request.url.path).http_error_response(exc.status_code, exc.detail)


def _error_handler(protocol):  # noqa: ANN001, ANN202
    """The exception handler of one dialect's router: its protocol chooses status and body."""

    def handle(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return protocol.http_error_response(exc.status_code, exc.detail)
        if not isinstance(exc, DomainError):
            log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return protocol.error_response(exc)

    return handle


def _path_check(protocol):  # noqa: ANN001, ANN202
    """before_request of one dialect's router: path parameters pass the input rules (params.py)."""

    async def check(request: Request) -> None:
        check_path_params(request.path_params, protocol.path_param_name)

    return check


def _dialect_router(prefix: str, protocol, routes: list, services: Services) -> Router:  # noqa: ANN001
    handler = _error_handler(protocol)
    routes = placed(routes, reads_on_event_loop=is_sqlite(services.engine))
    return Router(path=prefix, route_handlers=routes, dependencies={"call": Provide(protocol.provide_call)},
                  exception_handlers={DomainError: handler, Exception: handler},
                  before_request=_path_check(protocol))


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


@get("/_courseport/health", sync_to_thread=False)
def health() -> dict:
    return {"status": "ok"}


def create_app(settings: Settings, services: Services | None = None) -> Litestar:
    services = services or build_services(settings)
    routers = [_dialect_router(prefix, protocol, routes, services) for prefix, protocol, routes in DIALECTS]
    app = Litestar(
        route_handlers=[health, *routers, *ADMIN_ROUTES, *PLAYER_ROUTES],
        exception_handlers={HTTPException: _http_error},
        before_send=[_default_headers, blackboard_protocol.add_rate_limit_headers],
        after_exception=[count_failure],
        on_startup=[lambda: services.start()],
        on_shutdown=[lambda: services.stop()],
        openapi_config=None,
        debug=False,
    )
    app.state.services = services
    return app


def app_from_env() -> Litestar:
    """Factory for `uvicorn --factory` worker processes: settings come from the environment."""
    return create_app(Settings.from_env())
