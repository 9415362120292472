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
"""

from __future__ import annotations

import asyncio
from copy import copy
from functools import partial
from typing import Any

import litestar
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


def placed(routes: list, loop_reads: LoopReads) -> list:
    """The routes with READ_ONLY handlers moved onto the event loop, as `loop_reads` runs them there (as they
    are on SQLite; in a greenlet whose reads wait on the loop on PostgreSQL: loop_reads.py)."""
    moved = []
    for handler in routes:
        if isinstance(handler, HTTPRouteHandler) and handler.opt.get(READ_ONLY):
            handler = copy(handler)  # the module's handler stays as declared, for other apps
            handler.sync_to_thread = False
            handler._fn = loop_reads.run_on_loop(handler.fn)
        moved.append(handler)
    return moved


def refuse_on_event_loop() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return  # a worker thread, a job or a script: no loop to hold
    raise RuntimeError("a write transaction on the event loop: the handler is marked READ_ONLY but writes")
