"""Fault injection rules: checking them, storing them (the database, so every server process applies the
same ones), matching a request against them, and the per-process cache the ASGI wrapper reads.

A path pattern is a glob (`*` any run of characters, `?` one character), matched by `glob_match` in
O(len(path) * len(pattern)) steps at worst: no regular expression ever runs on a request path.
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.db import transaction
from courseport.schema import FaultRule

FACES = ("canvas", "blackboard", "d2l", "scorm_cloud", "player")
ACTIONS = ("latency", "status", "rate_limit", "drop")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
MAX_SECONDS = 60.0
MAX_PATTERN = 1024
CACHE_SECONDS = 1.0  # a rule added by another process applies here within this time (see FaultBook.stale)
_GENERATION = [0]  # bumped on every change made in this process: its caches reload at once


@dataclass(frozen=True)
class FaultSpec:
    face: str | None
    method: str | None
    path: str
    action: str
    status: int | None
    seconds: float | None
    message: str | None
    probability: float
    count: int | None


def checked(spec: FaultSpec) -> FaultSpec:
    """The spec, or InvalidInput naming the wrong field."""
    if spec.face is not None and spec.face not in FACES:
        raise InvalidInput("face", f"face must be one of: {', '.join(FACES)}")
    method = spec.method.upper() if spec.method else None
    if method is not None and method not in METHODS:
        raise InvalidInput("method", f"method must be one of: {', '.join(METHODS)}")
    if not spec.path or len(spec.path) > MAX_PATTERN or not spec.path.startswith(("/", "*")):
        raise InvalidInput("path", "path must be a glob starting with / or * (at most 1024 characters)")
    if spec.action not in ACTIONS:
        raise InvalidInput("action", f"action must be one of: {', '.join(ACTIONS)}")
    if spec.action == "status" and not (spec.status is not None and 400 <= spec.status <= 599):
        raise InvalidInput("status", "status must be an HTTP error status from 400 to 599")
    if spec.action == "latency" and spec.seconds is None:
        raise InvalidInput("seconds", "seconds is required for latency")
    if spec.seconds is not None and not (math.isfinite(spec.seconds) and 0 <= spec.seconds <= MAX_SECONDS):
        raise InvalidInput("seconds", f"seconds must be a number from 0 to {MAX_SECONDS:.0f}")
    if not (math.isfinite(spec.probability) and 0 < spec.probability <= 1):
        raise InvalidInput("probability", "probability must be a number above 0 and at most 1")
    if spec.count is not None and spec.count < 1:
        raise InvalidInput("count", "count must be at least 1")
    return FaultSpec(spec.face, method, spec.path, spec.action, spec.status, spec.seconds, spec.message,
                     spec.probability, spec.count)


def add_rule(db: Session, tenant_id: int, spec: FaultSpec) -> FaultRule:
    rule = FaultRule(tenant_id=tenant_id, face=spec.face, method=spec.method, path=spec.path, action=spec.action,
                     status=spec.status, seconds=spec.seconds, message=spec.message, probability=spec.probability,
                     remaining=spec.count)
    db.add(rule)
    db.flush()
    _GENERATION[0] += 1
    return rule


def list_rules(db: Session, tenant_id: int) -> list[FaultRule]:
    return list(db.scalars(select(FaultRule).where(FaultRule.tenant_id == tenant_id).order_by(FaultRule.id)))


def remove_rule(db: Session, tenant_id: int, rule_id: int | None) -> int:
    """Remove one rule (or every rule of the tenant, when `rule_id` is None); how many went."""
    query = delete(FaultRule).where(FaultRule.tenant_id == tenant_id)
    if rule_id is not None:
        query = query.where(FaultRule.id == rule_id)
    gone = db.execute(query).rowcount  # type: ignore[attr-defined]
    if rule_id is not None and not gone:
        raise NotFound("fault rule", f"no fault rule {rule_id}")
    _GENERATION[0] += 1
    return gone


def glob_match(pattern: str, text: str) -> bool:
    """`*` matches any run of characters (slashes too), `?` any one; linear backtracking to the last star."""
    p = t = 0
    star, mark = -1, 0
    while t < len(text):
        if p < len(pattern) and (pattern[p] == "?" or pattern[p] == text[t]):
            p, t = p + 1, t + 1
        elif p < len(pattern) and pattern[p] == "*":
            star, mark, p = p, t, p + 1
        elif star >= 0:
            p, mark = star + 1, mark + 1
            t = mark
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


@dataclass(frozen=True)
class Rule:
    """A stored rule as the wrapper holds it (plain values, no session)."""

    id: int
    tenant_id: int | None
    face: str | None
    method: str | None
    path: str
    action: str
    status: int | None
    seconds: float | None
    message: str | None
    probability: float
    counted: bool

    def matches(self, tenant_id: int | None, face: str, method: str, path: str) -> bool:
        return ((self.face is None or self.face == face) and (self.method is None or self.method == method)
                and (self.tenant_id is None or self.tenant_id == tenant_id) and glob_match(self.path, path)
                and (self.probability >= 1 or random.random() < self.probability))  # noqa: S311 - not security


class FaultBook:
    """The rules of the store, reloaded at most every CACHE_SECONDS (and at once after a change here)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._lock = threading.Lock()
        self._rules: list[Rule] = []
        self._at, self._generation = float("-inf"), -1

    def stale(self) -> bool:
        """While rules are in force they are read again for every request (a reset or another process may
        have removed them); while there are none, a rule another process adds is seen within CACHE_SECONDS."""
        return (bool(self._rules) or self._generation != _GENERATION[0]
                or time.monotonic() - self._at > CACHE_SECONDS)

    def rules(self) -> list[Rule]:
        """The rules, loading them if stale (blocks: call from a worker thread when `stale()`)."""
        if self.stale():
            generation = _GENERATION[0]
            with transaction(self.engine, write=False) as db:
                rows = db.scalars(select(FaultRule).where((FaultRule.remaining.is_(None)) | (FaultRule.remaining > 0))
                                  .order_by(FaultRule.id)).all()
                loaded = [Rule(r.id, r.tenant_id, r.face, r.method, r.path, r.action, r.status, r.seconds, r.message,
                               r.probability, r.remaining is not None) for r in rows]
            with self._lock:
                self._rules, self._at, self._generation = loaded, time.monotonic(), generation
        return self._rules

    def consume(self, rule: Rule) -> bool:
        """Take one use of a counted rule; False once another request took the last one."""
        with transaction(self.engine, write=True) as db:
            hit: Any = db.execute(update(FaultRule).where(FaultRule.id == rule.id, FaultRule.remaining > 0)
                                  .values(remaining=FaultRule.remaining - 1))
        _GENERATION[0] += 1
        return bool(hit.rowcount)
