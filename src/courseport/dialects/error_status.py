"""How every face reads its table from domain error to HTTP status, and the header a throttled call gets.

Each face (a dialect's `protocol.py`, the preview player) keeps one table, exception class -> status,
and renders only its own body; this module is the one lookup of such a table.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException
from sqlalchemy.exc import DBAPIError

from courseport.core.kit.errors import DomainError, StoreBusy
from courseport.db import DEADLOCK_DETECTED, LOCK_NOT_AVAILABLE, SERIALIZATION_FAILURE, sqlstate
from courseport.throttle import TooManyFailures

log = logging.getLogger("courseport")


def status_for(exc: Exception, table: Mapping[type[Exception], int], default: int = 500) -> int:
    """The status of the most specific class of `exc` that `table` lists; `default` when it lists none."""
    return next((table[kind] for kind in type(exc).__mro__ if kind in table), default)


def retry_after(exc: BaseException) -> dict[str, str] | None:
    """The Retry-After header of a throttled call (every face sends it with its 429) or of a change the store
    was too busy to make (503); None otherwise."""
    return {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyFailures | StoreBusy) else None


# PostgreSQL's refusals of a change for a concurrent one (lock_not_available: lock_timeout, NOWAIT).
_REFUSED_FOR_ANOTHER = frozenset({SERIALIZATION_FAILURE, DEADLOCK_DETECTED, LOCK_NOT_AVAILABLE})
_SQLITE_LOCKED = ("database is locked", "database table is locked")


def busy_instead(exc: Exception) -> Exception:
    """StoreBusy for a database error that says the store was busy with another change (see StoreBusy),
    whether SQLAlchemy wrapped it or not (SQLite's BEGIN IMMEDIATE runs straight on the driver's connection);
    `exc` itself otherwise. SQLite says "database is locked" once its busy timeout has passed."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(orig, sqlite3.OperationalError):
        return StoreBusy() if str(orig).startswith(_SQLITE_LOCKED) else exc
    return StoreBusy() if sqlstate(exc) in _REFUSED_FOR_ANOTHER else exc


def error_handler(protocol: Any) -> Callable[[Request, Exception], Response]:
    """The exception handler of a router answering in `protocol`'s format: it chooses status and body,
    and an exception that is not a domain error (a 500) is logged with its traceback."""

    def handle(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return protocol.http_error_response(exc.status_code, exc.detail)
        busy = busy_instead(exc)
        if busy is not exc:
            log.warning("the store was busy on %s %s: %s", request.method, request.url.path, exc.__cause__ or exc)
            return protocol.error_response(busy)
        if not isinstance(exc, DomainError):
            log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return protocol.error_response(exc)

    return handle
