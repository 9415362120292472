"""Sync code run on the event loop in greenlets kept from one handler to the next (loop_reads.py).

SQLAlchemy's `greenlet_spawn` makes a greenlet per call. On Python 3.11 a new greenlet also gets a data
stack of its own for its frames: a 16 KiB mmap, touched page by page and unmapped when it ends (strace of a
single-course GET on PostgreSQL: one mmap and one munmap a request), besides ~6 µs of the greenlet's own
setup. `run_in_greenlet` runs the function in a greenlet of its thread's pool instead, which serves one call
after another and keeps its stack.

It behaves as `greenlet_spawn` does: the function sees the caller's context variables (the greenlet runs in
the caller's Context, so what it sets stays set for the caller, as under greenlet_spawn); SQLAlchemy's
`await_` inside it hands its awaitable to the caller, which awaits it on the loop and sends back the value or
throws the exception in (a cancelled task's CancelledError included); the function's result is returned and
its exception raised. A greenlet that finished a call goes back to its pool, where at most KEPT wait.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from greenlet import getcurrent, greenlet

T = TypeVar("T")
KEPT = 64  # idle greenlets a thread keeps: as many as the reads its loop runs at once, at most
_POOLS = threading.local()  # a greenlet belongs to the thread that made it: one pool per thread


class _Done(NamedTuple):
    """A call's end, as its greenlet leaves it for the caller: the value, or the exception raised."""

    value: Any
    error: BaseException | None


_FINISHED = object()  # what a greenlet switches to its caller with when its call ended (its `done` holds how)


class _Reader(greenlet):
    """A greenlet that runs the calls switched into it, one after another (`_serve`)."""

    __sqlalchemy_greenlet_provider__ = True  # SQLAlchemy's await_ switches to its parent, the caller

    def __init__(self) -> None:
        super().__init__(self._serve, getcurrent())
        self.done: _Done | None = None

    def _serve(self, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        while True:  # ends with GreenletExit here, thrown in when an idle one is collected
            try:
                self.done = _Done(fn(*args, **kwargs), None)
            except BaseException as exc:  # noqa: BLE001 - left for the caller, which raises it
                self.done = _Done(None, exc)
            fn = args = kwargs = None  # type: ignore[assignment]  # nothing of a call held while idle
            fn, args, kwargs = self.parent.switch(_FINISHED)


async def run_in_greenlet(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` in a kept greenlet, its awaits awaited on this loop."""
    current = getcurrent()
    pool: list[_Reader] = _POOLS.__dict__.setdefault("readers", [])
    reader = pool.pop() if pool else _Reader()
    if reader.parent is not current:  # a pool of a thread whose loop runs in another greenlet now
        reader = _Reader()
    reader.gr_context = current.gr_context
    awaited = reader.switch(fn, args, kwargs)
    while awaited is not _FINISHED:  # an awaitable of SQLAlchemy's await_
        try:
            value = await awaited
        except BaseException:  # noqa: BLE001 - thrown into the function, as greenlet_spawn does
            awaited = reader.throw(*sys.exc_info())
        else:
            awaited = reader.switch(value)
    done, reader.done, reader.gr_context = reader.done, None, None
    if len(pool) < KEPT:
        pool.append(reader)
    assert done is not None
    if done.error is not None:
        try:
            raise done.error
        finally:
            done = None  # no cycle through the traceback's frames
    return done.value  # type: ignore[no-any-return]
