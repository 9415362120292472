"""Throttling of failed credential attempts, per client address, for every face.

After `limit` wrong or expired credentials (NotAuthenticated with `invalid`) from one address within
`window` seconds of the first of them, that address is answered 429 with Retry-After on every face
until the window ends; a call without credentials is not a failure, and other addresses are never
held back by its failures. No credential is locked: a lock per key would let anyone lock out its owner.

Counts live in this process's memory, deliberately not in the database: a failure is the attacker's
own traffic, and a shared count would make each one a write transaction (on SQLite, a turn of the one
write lock, taken on the event loop by the read-only GETs), so the throttle itself would be the way to
stall the store. The credentials checked are random secrets of 128 bits or more, so the limit is about
load, not guessing: `serve --workers N` allows N times `limit` per window in the worst case.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from courseport.core.identity.d2l_apps import TimestampOutOfRange
from courseport.core.kit.errors import DomainError, NotAuthenticated

if TYPE_CHECKING:  # annotations only: a worker process builds the services without the web stack
    from litestar import Request
    from litestar.types import Scope

MAX_ADDRESSES = 100_000  # memory bound: the oldest windows are forgotten first
_COUNTED = "courseport_throttled"  # scope state: failures of this request count


class TooManyFailures(DomainError):
    def __init__(self, retry_after: int):
        super().__init__(f"Too many failed authentication attempts from this address: try again in {retry_after} "
                         f"seconds.")
        self.retry_after = retry_after


class FailureThrottle:
    """Failures per address in fixed windows that start at an address's first failure."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self._clock = limit, window, clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}  # address -> (window start, failures); oldest first

    def failed(self, address: str) -> None:
        if self.limit <= 0:
            return
        now = self._clock()
        with self._lock:
            start, count = self._windows.get(address, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            self._windows.pop(address, None)  # re-inserted last: the dict stays ordered by window start
            self._windows[address] = (start, count + 1)
            while len(self._windows) > MAX_ADDRESSES:
                del self._windows[next(iter(self._windows))]

    def retry_after(self, address: str) -> int | None:
        """Seconds until `address` may try again, or None when it may now."""
        entry = self._windows.get(address)
        if entry is None or entry[1] < self.limit or self.limit <= 0:
            return None
        left = entry[0] + self.window - self._clock()
        return math.ceil(left) if left > 0 else None

    def check(self, address: str) -> None:
        wait = self.retry_after(address)
        if wait is not None:
            raise TooManyFailures(wait)


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else ""


def refuse_throttled(request: Request) -> None:
    """First step of every face's call (its provide_call): a throttled address is refused before
    anything is read, and wrong credentials given in this request will count (count_failure).
    (Not a Litestar guard: guards copy the route handler on every request, ~100 µs.)"""
    scope = request.scope
    scope.setdefault("state", {})[_COUNTED] = True
    request.app.state.services.throttle.check(client_address(scope))


async def count_failure(exc: BaseException, scope: Scope) -> None:
    """after_exception hook: wrong credentials in a face's call count against the caller's address
    (a clock skew on a correctly signed D2L call is not a wrong credential)."""
    if not (isinstance(exc, NotAuthenticated) and exc.invalid) or isinstance(exc, TimestampOutOfRange):
        return
    if (scope.get("state") or {}).get(_COUNTED):
        scope["app"].state.services.throttle.failed(client_address(scope))
