"""Making a race happen in a test: two requests that both reach a point before either writes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

MEETING_SECONDS = 1.0  # less than SQLite's lock wait: there the writer holding the lock goes on alone


def meeting(real: Callable[..., Any], *, after: bool = False) -> Callable[..., Any]:
    """`real`, but each of the first two calls waits (up to MEETING_SECONDS) for the other before it runs
    (`after`: once it ran). On PostgreSQL two requests then both stand at that point before either commits;
    where writers take turns (SQLite, or a lock the code under test takes first) the first goes on alone after
    the wait and the second gets there once the first committed."""
    met = threading.Barrier(2)

    def meet() -> None:
        try:
            met.wait(timeout=MEETING_SECONDS)
        except threading.BrokenBarrierError:
            pass

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not after:
            meet()
        result = real(*args, **kwargs)
        if after:
            meet()
        return result

    return wrapped
