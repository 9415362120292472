"""GET handlers that only read, and where they run.

On SQLite a handler marked READ_ONLY runs on the event loop instead of in the threadpool: in WAL
mode a reader never waits for a lock, and the hop to a worker thread and back costs more CPU
(~100 µs, measured in docs/architecture.md) than the reads of a single-course GET together. On
PostgreSQL every handler stays in the threadpool, where a query's network round trip blocks only
its own thread: on the loop a single-course GET spent ~120 µs less CPU in-process, but each of its
statements held the whole process for a loopback round trip (~100 µs, more under load), and
bench/api.py (2 processes, 8 connections, 2 CPUs) answered fewer of them, not more. Psycopg's
asynchronous connections in a greenlet on the loop (SQLAlchemy's asyncio bridge), which wait without a
thread, cost as much CPU as the thread hop they save (docs/architecture.md, session 8). A marked
handler that opens a write transaction would hold the loop while it waits for SQLite's write lock:
`refuse_on_event_loop` makes that mistake fail at once instead.
"""

from __future__ import annotations

import asyncio
from copy import copy

from litestar.handlers import HTTPRouteHandler

READ_ONLY = "read_only"  # the handler opt key


def placed(routes: list, *, reads_on_event_loop: bool) -> list:
    """The routes with READ_ONLY handlers moved onto the event loop when `reads_on_event_loop`."""
    if not reads_on_event_loop:
        return routes
    moved = []
    for handler in routes:
        if isinstance(handler, HTTPRouteHandler) and handler.opt.get(READ_ONLY):
            handler = copy(handler)  # the module's handler stays as declared, for other apps
            handler.sync_to_thread = False
        moved.append(handler)
    return moved


def refuse_on_event_loop() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return  # a worker thread, a job or a script: no loop to hold
    raise RuntimeError("a write transaction on the event loop: the handler is marked READ_ONLY but writes")
