"""Results of reads, kept while nothing in the store changes.

SQLite counts commits: `PRAGMA data_version` on a connection changes whenever any other connection,
in this process or another, commits a change. `StoreVersion` asks it on a connection of its own
that never writes, so the number moves on every change anywhere (one connection for all threads:
two connections' numbers are not comparable). `ReadCache` keys
each result by the version read *before* the read's own transaction began: a result is served only
while the version still holds, so it always equals what a fresh read would return now. Any commit
empties the cache. PostgreSQL has no such counter: there StoreVersion answers None and nothing is
kept.

What may be cached is decided by the caller: pure functions of the stored data only (never a
value computed against the clock; a caller re-checks token expiry on every hit).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Engine

T = TypeVar("T")


class StoreVersion:
    """A number that changes on every commit to the store; None where unknown."""

    def __init__(self, engine: Engine, *, enabled: bool = True):
        database = engine.url.database if enabled and engine.dialect.name == "sqlite" else None
        self._path = database if database and database != ":memory:" else None
        self._lock = threading.Lock()
        self._probe: sqlite3.Connection | None = None

    def current(self) -> int | None:
        if self._path is None:
            return None
        with self._lock:
            if self._probe is None:
                self._probe = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            return self._probe.execute("PRAGMA data_version").fetchone()[0]


class ReadCache:
    """At most `limit` results, valid for one store version; `load` runs on a miss."""

    def __init__(self, version: StoreVersion, limit: int = 4096):
        self._version = version
        self._limit = limit
        self._lock = threading.Lock()
        self._at: int | None = None
        self._results: dict[Hashable, Any] = {}

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        version = self._version.current()
        if version is None:
            return load()
        with self._lock:
            if version == self._at and key in self._results:
                return self._results[key]
        result = load()  # its transaction starts after `version` was read: never older than it
        with self._lock:
            if self._at is not None and version < self._at:
                return result  # a newer version is cached already; this result is not kept
            if version != self._at:
                self._results.clear()
                self._at = version
            if len(self._results) >= self._limit:
                self._results.pop(next(iter(self._results)))
            self._results[key] = result
        return result
