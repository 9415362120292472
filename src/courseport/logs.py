"""Log lines (structlog): one per request and one per job, JSON or readable, with the request id that ties
a job to the request that queued it, across processes.

The request id comes from an incoming `X-Request-Id` (kept when it is short printable text) or is made
here, is echoed in the response header, and sits in `jobs.REQUEST_ID` while the request runs, where
`jobs.enqueue` copies it into the job's payload; the worker that runs the job logs it again. Standard
`logging` records (uvicorn's, procrastinate's, ours) go through the same renderer, so a process writes
one format.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import msgspec
import structlog
from sqlalchemy import inspect as orm_state

from courseport.core.jobs import jobs

_LOG: Any = structlog.get_logger().bind(logger="courseport.requests")  # made again by configure_logging
_JOB_LOG: Any = structlog.get_logger().bind(logger="courseport.jobs")
_MAX_ID = 128


_ENCODER = msgspec.json.Encoder()
_SECOND: list[Any] = [None, ""]  # the last whole second and its ISO text, reused within that second


def _timestamp(_: Any, __: str, event: dict) -> dict:
    """ISO 8601 UTC with microseconds, as structlog's TimeStamper writes it, for a fifth of its time."""
    now = time.time()
    second = int(now)
    if second != _SECOND[0]:
        _SECOND[:] = [second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))]
    event["timestamp"] = f"{_SECOND[1]}.{int((now - second) * 1_000_000):06d}Z"
    return event


def _json(event: dict, **_: Any) -> str:
    """msgspec's encoder: a third of the json module's time on a request line; what it cannot encode
    (an exception object a foreign record carries, say) falls back to its text."""
    try:
        return _ENCODER.encode(event).decode()
    except TypeError:
        return _ENCODER.encode({k: v if isinstance(v, str | int | float | bool | None) else str(v)
                                for k, v in event.items()}).decode()


def configure_logging(log_format: str | None = None, stream: Any = None) -> None:
    """JSON lines or console lines on `stream` (stderr), for structlog and standard logging alike.
    None chooses console on a terminal and JSON otherwise; COURSEPORT_LOG_FORMAT is read by Settings.
    Request and job lines skip standard logging (its records and locks cost more than the line)."""
    global _LOG, _JOB_LOG
    stream = stream or sys.stderr
    if log_format is None:
        log_format = "console" if stream.isatty() else "json"
    shared: list[Any] = [structlog.processors.add_log_level, _timestamp]
    renderer: Any = (structlog.processors.JSONRenderer(serializer=_json) if log_format == "json"
                     else structlog.dev.ConsoleRenderer(colors=False))
    structlog.configure(processors=[*shared, renderer], logger_factory=structlog.WriteLoggerFactory(file=stream),
                        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
                        cache_logger_on_first_use=True)
    _LOG = structlog.get_logger().bind(logger="courseport.requests")
    _JOB_LOG = structlog.get_logger().bind(logger="courseport.jobs")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info, renderer]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    os.environ["COURSEPORT_LOG_FORMAT"] = log_format  # server processes uvicorn starts configure the same


def request_id(headers: list[tuple[bytes, bytes]]) -> str:
    """The client's X-Request-Id when it is short printable ASCII, else a new random one."""
    for name, value in headers:
        if name.lower() == b"x-request-id":
            if 0 < len(value) <= _MAX_ID and value.isascii() and all(32 < c < 127 for c in value):
                return value.decode()
            break
    return os.urandom(12).hex()


RequestObserver = Callable[[dict, int, float], None]


class RequestLog:
    """ASGI middleware around every route: request id in and out, one log line, and the `observers`
    (metrics) told face, route template, status and duration. `face_of(scope)` names the face."""

    def __init__(self, app: Any, face_of: Callable[[dict], str], observers: tuple[Callable, ...] = ()):
        self.app, self.face_of, self.observers = app, face_of, observers

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        rid = request_id(scope["headers"])
        status = 500

        async def send_with_id(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        token = jobs.REQUEST_ID.set(rid)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            jobs.REQUEST_ID.reset(token)
            try:
                self._record(scope, rid, status, time.perf_counter() - start)
            except Exception:  # a log line that cannot be written must not break the answer it describes
                logging.getLogger(__name__).exception("the request line for %s could not be written", rid)

    def _record(self, scope: dict, rid: str, status: int, seconds: float) -> None:
        face, route = self.face_of(scope), scope.get("path_template") or scope["path"]
        viewer = getattr(scope.get("courseport.call"), "viewer", None)
        _LOG.info("request", request_id=rid, face=face, route=route, method=scope["method"], status=status,
                  duration_ms=round(seconds * 1000, 3), user_id=_user_id(viewer))
        for observe in self.observers:
            observe(face, route, scope["method"], status, seconds)


def caller_id(scope: dict) -> int | None:
    """The id of the user whose credentials a request carried (None before or without them)."""
    return _user_id(getattr(scope.get("courseport.call"), "viewer", None))


def _user_id(viewer: Any) -> int | None:
    """The caller's id without touching the database: after a failed write the session has rolled
    back and closed, so the User is expired and detached, and reading `.id` would try to reload it.
    Its identity key survives that; a plain row (the hot read path's) just has `.id`."""
    if viewer is None:
        return None
    state = orm_state(viewer, raiseerr=False)
    if state is not None:
        return state.identity[0] if state.identity else None
    return getattr(viewer, "id", None)


def log_job(outcome: jobs.Outcome, seconds: float) -> None:
    """One line for a job's run: who ran which attempt, how long, how it ended, and the request behind it."""
    _JOB_LOG.log(logging.WARNING if outcome.state == "failed" else logging.INFO, "job",
                 job_id=outcome.job_id, kind=outcome.kind, attempt=outcome.attempt, worker=outcome.worker_id,
                 duration_ms=round(seconds * 1000, 3), outcome=outcome.state, error=outcome.error,
                 request_id=outcome.request_id)
