"""How every face reads its table from domain error to HTTP status, and the header a throttled call gets.

Each face (a dialect's `protocol.py`, the preview player) keeps one table, exception class -> status,
and renders only its own body; this module is the one lookup of such a table.
"""

from __future__ import annotations

from collections.abc import Mapping

from courseport.throttle import TooManyFailures


def status_for(exc: Exception, table: Mapping[type[Exception], int], default: int = 500) -> int:
    """The status of the most specific class of `exc` that `table` lists; `default` when it lists none."""
    return next((table[kind] for kind in type(exc).__mro__ if kind in table), default)


def retry_after(exc: BaseException) -> dict[str, str] | None:
    """The Retry-After header of a throttled call (every face sends it with its 429); None otherwise."""
    return {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyFailures) else None
