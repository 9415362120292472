"""GET handlers that only read, and where they run.

A handler marked READ_ONLY runs on the event loop instead of in the threadpool. On SQLite it runs there
as it is: in WAL mode a reader never waits for a lock, and the hop to a worker thread and back costs more
CPU (~100 µs, measured in docs/architecture.md) than the reads of a single-course GET together. On
PostgreSQL it runs in a greenlet whose reads use psycopg's asynchronous connections (loop_reads.py): a
statement's round trip yields to the loop instead of holding the process (blocking reads on the loop
answered fewer requests) or a worker thread (~10 context switches per single-course GET through the
threadpool against ~2.5 here, and ~10 % less server CPU; docs/architecture.md, "Session 9"). A marked
handler that opens a write transaction would hold the loop while it waits for a lock:
`refuse_on_event_loop` and `db.transaction` (while loop_reads runs the handler) make that mistake fail at once.
A face's moved handlers make their `call` themselves (`with_call`), not through the router's dependency.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Awaitable, Callable
from copy import copy
from functools import partial
from typing import Any

import litestar
from litestar import Request
from litestar.handlers import HTTPRouteHandler

from courseport.loop_reads import LoopReads

READ_ONLY = "read_only"  # the handler opt key


def get(path: str | list[str], *, opt: dict[str, Any] | None = None, **kwargs: Any) -> litestar.get:
    """Every face's GET route: it only reads (`call.read()`), so it runs on the event loop (READ_ONLY), where a
    write is refused. A GET that writes (a job's status read counts polls: core/jobs/job_timing.status_read),
    or streams a blob, is declared with `get_writing` (the threadpool); tests/dialects/test_read_only_routes.py
    finds those. A route's own `opt` (D2L's API versions) is kept beside READ_ONLY."""
    return litestar.get(path, sync_to_thread=True, opt={READ_ONLY: True, **(opt or {})}, **kwargs)


def head(path: str | list[str], *, opt: dict[str, Any] | None = None, **kwargs: Any) -> litestar.head:
    """A HEAD route, as `get`."""
    return litestar.head(path, sync_to_thread=True, opt={READ_ONLY: True, **(opt or {})}, **kwargs)


get_writing = partial(litestar.get, sync_to_thread=True)


Provider = Callable[[Request], Awaitable[Any]]


def placed(routes: list, loop_reads: LoopReads, provide_call: Provider | None = None) -> list:
    """The routes with READ_ONLY handlers moved onto the event loop, as `loop_reads` runs them there (as they
    are on SQLite; in a greenlet whose reads wait on the loop on PostgreSQL: loop_reads.py). With
    `provide_call`, a moved handler's `call` is made by it (`with_call`) rather than by the router's dependency."""
    moved = []
    for handler in routes:
        if isinstance(handler, HTTPRouteHandler) and handler.opt.get(READ_ONLY):
            handler = copy(handler)  # the module's handler stays as declared, for other apps
            handler.sync_to_thread = False
            handler._fn = loop_reads.run_on_loop(handler.fn)
            if provide_call is not None and _takes_call(handler.fn):
                handler._fn = with_call(handler.fn, provide_call)
        moved.append(handler)
    return moved


def _takes_call(fn: Callable[..., Any]) -> bool:
    names = inspect.signature(fn).parameters
    return "call" in names and "request" not in names


def with_call(fn: Callable[..., Any], provide_call: Provider) -> Callable[..., Any]:
    """`fn` taking the request in place of `call`, which it makes with `provide_call` before it runs `fn`.
    Litestar resolves a dependency through a generic machinery (a cache, a signature model and its kwargs for
    each provider): ~36,000 instructions of a single-course GET's ~1.39 million (callgrind), 30-50 µs of its
    server CPU in served A/B runs (docs/architecture.md, "Session 22"); a read-only handler needs only its call,
    made here in one await."""
    is_async = inspect.iscoroutinefunction(fn)

    @functools.wraps(fn)
    async def run(request: Request, **kwargs: Any) -> Any:
        call = await provide_call(request)
        return await fn(call=call, **kwargs) if is_async else fn(call=call, **kwargs)

    declared = inspect.signature(fn)
    asked = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)
    run.__signature__ = declared.replace(  # type: ignore[attr-defined]
        parameters=[asked if p.name == "call" else p for p in declared.parameters.values()])
    run.__annotations__ = {**{k: v for k, v in fn.__annotations__.items() if k != "call"}, "request": Request}
    return run


def refuse_on_event_loop() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return  # a worker thread, a job or a script: no loop to hold
    raise RuntimeError("a write transaction on the event loop: the handler is marked READ_ONLY but writes")
