"""Read-only handlers on the event loop. On PostgreSQL their sync code runs in a greenlet on the loop and its
read transactions use psycopg's asynchronous connections, so a statement's round trip waits in the loop's
poll, not in a worker thread.

Through the threadpool a PostgreSQL single-course GET cost ~10 context switches (the hop to a thread and
back, the thread's socket wait, the GIL passed between threads) against ~1.5 on SQLite, whose reads run on
the loop; on this project's 2-core VM a switch costs as much as tens of microseconds of Python
(docs/architecture.md, "Session 9"). Here a waiting read yields to the loop, which serves other requests
meanwhile and picks the answer up in its next poll: under load most answers cost no switch at all.

How: `LoopReads.run_on_loop(fn)` is an async function with `fn`'s signature that runs `fn` in a greenlet
(kept_greenlets.run_in_greenlet: SQLAlchemy's `greenlet_spawn`, as its asyncio extension runs a sync Session,
with greenlets kept from one call to the next) with READS_ON_LOOP naming the
store's engine and this loop's asynchronous one (`db.transaction` swaps the first for the second, for reads
only). Each event loop gets its own engine (a psycopg async connection belongs to the loop that made it);
`close()` disposes the current loop's at shutdown. Writes stay off the loop: `db.transaction(write=True)`
raises while READS_ON_LOOP is set, which SQLite's read-only handlers set too (their reads need no other
engine: a WAL reader never waits).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.util import greenlet_spawn

from courseport.db import AUTOCOMMIT_AT_REST, READS_ON_LOOP, KeptConnections, configure_postgresql
from courseport.kept_greenlets import run_in_greenlet

T = TypeVar("T")
# Connections of a process's read engine, kept open: as many as the reads a process runs at once (a read
# holds one while its statements run); the next ones open and close per checkout, which costs far more than
# a read. With the store's own pool (db.make_engine: 10 + 20) two server processes stay within PostgreSQL's
# default 100 connections.
POOL_SIZE, POOL_OVERFLOW = 10, 5
# SQLite reads on a loop run one at a time (a nested one is rare): the loop keeps one connection.
KEPT_SQLITE = 1


def _autocommit_at_rest(dbapi_connection: Any, record: Any) -> None:
    """Only reads use these connections: they rest in autocommit (db.AUTOCOMMIT_AT_REST)."""
    dbapi_connection.autocommit = True
    record.info[AUTOCOMMIT_AT_REST] = True


class LoopReads:
    """Read-only handlers of one store (`source`) on the loop: on PostgreSQL through asynchronous read
    engines, one per event loop."""

    def __init__(self, source: Engine):
        self.source = source
        self._engines: dict[asyncio.AbstractEventLoop, AsyncEngine] = {}
        self._kept: dict[asyncio.AbstractEventLoop, KeptConnections] = {}

    def kept(self, engine: Engine) -> KeptConnections | None:
        """The connections this loop's reads keep (db.KeptConnections) of `engine`; None called off a loop."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None  # a handler called as a function: its reads check their connections out
        kept = self._kept.get(loop)
        if kept is None:
            for gone in [other for other in self._kept if other.is_closed()]:
                del self._kept[gone]  # its connections went with its engine (PostgreSQL) or stay out (SQLite)
            kept = self._kept[loop] = KeptConnections(engine, KEPT_SQLITE if engine is self.source else POOL_SIZE)
        return kept

    def engine(self) -> Engine:
        """This loop's read engine (its sync face, which greenlet_spawn lets sync code use)."""
        loop = asyncio.get_running_loop()
        engine = self._engines.get(loop)
        if engine is None:
            for gone in [other for other in self._engines if other.is_closed()]:
                del self._engines[gone]  # its connections went with it
            url = self.source.url.set(drivername="postgresql+psycopg_async")
            engine = self._engines[loop] = create_async_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
            configure_postgresql(engine.sync_engine)
            event.listen(engine.sync_engine, "connect", _autocommit_at_rest)
        return engine.sync_engine

    def run_on_loop(self, fn: Callable[..., T]) -> Callable[..., Any]:
        """`fn` as the loop runs it. PostgreSQL: an async function of the same signature, run in a greenlet
        with reads on the loop. SQLite (reads never wait there): `fn` itself, with READS_ON_LOOP naming the
        store for its reads too, so that a write transaction is refused on both databases alike."""
        if self.source.dialect.name == "sqlite":

            @functools.wraps(fn)
            def read(*args: Any, **kwargs: Any) -> T:
                token = READS_ON_LOOP.set((self.source, self.source, self.kept(self.source)))
                try:
                    return fn(*args, **kwargs)
                finally:
                    READS_ON_LOOP.reset(token)

            return read

        @functools.wraps(fn)
        async def run(*args: Any, **kwargs: Any) -> T:
            engine = self.engine()
            token = READS_ON_LOOP.set((self.source, engine, self.kept(engine)))
            try:
                return await run_in_greenlet(fn, *args, **kwargs)
            finally:
                READS_ON_LOOP.reset(token)

        return run

    async def close(self) -> None:
        """Dispose of the current loop's engine or kept connection (an app's shutdown)."""
        kept = self._kept.pop(asyncio.get_running_loop(), None)
        engine = self._engines.pop(asyncio.get_running_loop(), None)  # PostgreSQL
        if kept is not None:
            await greenlet_spawn(kept.close)  # closing a PostgreSQL connection awaits
        if engine is not None:
            await engine.dispose()
