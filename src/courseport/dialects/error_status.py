"""How every face reads its table from domain error to HTTP status, and the header a throttled call gets.

Each face (a dialect's `protocol.py`, the preview player) keeps one table, exception class -> status,
and renders only its own body; this module is the one lookup of such a table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException

from courseport.core.kit.errors import DomainError
from courseport.throttle import TooManyFailures

log = logging.getLogger("courseport")


def status_for(exc: Exception, table: Mapping[type[Exception], int], default: int = 500) -> int:
    """The status of the most specific class of `exc` that `table` lists; `default` when it lists none."""
    return next((table[kind] for kind in type(exc).__mro__ if kind in table), default)


def retry_after(exc: BaseException) -> dict[str, str] | None:
    """The Retry-After header of a throttled call (every face sends it with its 429); None otherwise."""
    return {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyFailures) else None


def error_handler(protocol: Any) -> Callable[[Request, Exception], Response]:
    """The exception handler of a router answering in `protocol`'s format: it chooses status and body,
    and an exception that is not a domain error (a 500) is logged with its traceback."""

    def handle(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return protocol.http_error_response(exc.status_code, exc.detail)
        if not isinstance(exc, DomainError):
            log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return protocol.error_response(exc)

    return handle
