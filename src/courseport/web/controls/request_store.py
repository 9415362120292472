"""The request log's store: the last KEEP requests and answers per tenant, in the database (so every server
process writes to one log, and `courseport requests --follow` sees them all), secrets masked.

On SQLite the log is a database file of its own (`_log_engine`). A request adds a plain record to its
process's pending list (no database work on the request's path); a
writer thread masks and writes the pending ones every FLUSH_SECONDS in one transaction, and trims each
tenant's log to KEEP. Masked: the values of headers, parameters and JSON or form fields whose names say
they are secret (authorization, cookies, tokens, passwords, secrets, keys, signatures); a text body that
cannot be parsed is shown only if it names none of those words.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import Engine, delete, insert, select

from courseport.core.jobs import job_timing
from courseport.db import make_engine, transaction
from courseport.schema import RequestRecord

KEEP = 1000  # records per tenant
CAPTURE_LIMIT = 65_536  # bytes of a body read for masking; a longer body is summarised
BODY_LIMIT = 4096  # characters of a masked body kept
FLUSH_SECONDS = 0.25
MASK = "***"
_SECRET_WORDS = ("authorization", "cookie", "token", "password", "passwd", "secret", "apikey", "api_key",
                 "api-key", "private_key", "credential", "signature", "assertion")
_SECRET_NAMES = {"code", "x_b", "x_d", "sig", "key", "secretkey"}
log = logging.getLogger("courseport.requests")


def is_secret(name: str) -> bool:
    lowered = name.lower()
    return lowered in _SECRET_NAMES or any(word in lowered for word in _SECRET_WORDS)


def mask_headers(headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for raw_name, raw_value in headers:
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        if is_secret(name):
            scheme, _, rest = value.partition(" ")
            value = f"{scheme} {MASK}" if rest and name == "authorization" else MASK
        shown[name] = value if name not in shown else f"{shown[name]}, {value}"
    return shown


def mask_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, MASK if is_secret(k) else v) for k, v in pairs])


def _mask_json(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: MASK if is_secret(str(k)) else _mask_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_mask_json(v) for v in node]
    return node


def mask_body(content_type: str, body: bytes, size: int) -> str | None:
    """The body as the log shows it: masked, cut to BODY_LIMIT; a summary where it cannot be shown."""
    if size == 0:
        return None
    ctype = content_type.split(";")[0].strip().lower()
    if size > len(body):
        return f"({size} bytes of {ctype or 'unknown type'}, not kept)"
    text = body.decode("utf-8", "replace")
    textual = ctype.endswith(("json", "xml", "x-www-form-urlencoded")) or ctype.startswith("text/")
    if textual and not _names_a_secret(text[:BODY_LIMIT]):  # a secret's name precedes its value: what is
        return _cut(text, size)  # kept (the first BODY_LIMIT characters) names none, so holds none
    if ctype.endswith("json"):
        try:
            text = json.dumps(_mask_json(json.loads(text)), separators=(",", ":"))
        except ValueError:
            text = _plain(text, ctype, size)
    elif ctype == "application/x-www-form-urlencoded":
        text = mask_query(text)
    elif ctype.startswith("text/") or ctype.endswith("xml"):
        text = _plain(text, ctype, size)
    else:
        return f"({size} bytes of {ctype or 'unknown type'})"
    return _cut(text, size)


def _cut(text: str, size: int) -> str:
    return text if len(text) <= BODY_LIMIT else text[:BODY_LIMIT] + f"... ({size} bytes)"


def _names_a_secret(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _SECRET_WORDS) or any(f'"{name}"' in lowered or f"{name}=" in lowered
                                                                  for name in _SECRET_NAMES)


def _plain(text: str, ctype: str, size: int) -> str:
    if _names_a_secret(text):
        return f"({size} bytes of {ctype}, not shown: it may hold a secret)"
    return text


@dataclass
class Captured:
    """One request and its answer as the wrapper saw them (unmasked: masked in the writer thread)."""

    at: datetime
    request_id: str
    method: str
    path: str
    query: str
    face: str
    user_id: int | None
    request_headers: list[tuple[bytes, bytes]]
    status: int = 0
    duration_ms: float = 0.0
    request_body: bytearray = field(default_factory=bytearray)
    request_size: int = 0
    response_headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    response_body: bytearray = field(default_factory=bytearray)
    response_size: int = 0


def _content_type(headers: list[tuple[bytes, bytes]]) -> str:
    return next((v.decode("latin-1") for k, v in headers if k.lower() == b"content-type"), "")


def _row(tenant_id: int, item: Captured) -> dict[str, Any]:
    return dict(
        tenant_id=tenant_id, request_id=item.request_id, at=item.at,
        method=item.method, path=item.path, query=mask_query(item.query) or None if item.query else None,
        face=item.face, status=item.status, duration_ms=round(item.duration_ms, 3), user_id=item.user_id,
        request_headers=mask_headers(item.request_headers), response_headers=mask_headers(item.response_headers),
        request_body=mask_body(_content_type(item.request_headers), bytes(item.request_body), item.request_size),
        response_body=mask_body(_content_type(item.response_headers), bytes(item.response_body),
                                item.response_size))


class RequestStore:
    """The pending records of one process and the thread that writes them."""

    def __init__(self, engine: Engine, store_engine: Engine):
        self.engine, self.store_engine = engine, store_engine  # the log's, and the store's (who is whose)
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._pending: list[Captured] = []
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, item: Captured) -> None:
        with self._lock:
            self._pending.append(item)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="courseport-request-log", daemon=True)
                self._thread.start()

    def flush(self) -> None:
        """Write every pending record now (the log's readers call this first)."""
        with self._write_lock:
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch:
                return
            with transaction(self.store_engine, write=False) as db:
                tenants = {uid: job_timing.tenant_of_user(db, uid) for uid in {item.user_id for item in batch}}
            with transaction(self.engine, write=True) as db:
                rows = [_row(tenants[item.user_id], item) for item in batch]
                db.execute(insert(RequestRecord), rows)
                for tenant_id in {row["tenant_id"] for row in rows}:
                    _trim(db, tenant_id)

    def _loop(self) -> None:
        while not self._wake.wait(FLUSH_SECONDS):
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - the next round tries again; the log never breaks a request
                log.exception("request log records could not be written")


def _trim(db: Any, tenant_id: int) -> None:
    oldest_kept = db.scalar(select(RequestRecord.id).where(RequestRecord.tenant_id == tenant_id)
                            .order_by(RequestRecord.id.desc()).offset(KEEP - 1).limit(1))
    if oldest_kept is not None:
        db.execute(delete(RequestRecord).where(RequestRecord.tenant_id == tenant_id, RequestRecord.id < oldest_kept))


_STORES: dict[str, RequestStore] = {}
_STORES_LOCK = threading.Lock()


def store_for(engine: Engine) -> RequestStore:
    """The one store of this process for this database."""
    key = engine.url.render_as_string(hide_password=False)
    with _STORES_LOCK:
        if key not in _STORES:
            _STORES[key] = RequestStore(_log_engine(engine), engine)
        return _STORES[key]


def _log_engine(engine: Engine) -> Engine:
    """Where the log is written. On SQLite a database file of its own beside the store's (request_log.db):
    every commit to the store's file empties the read cache (read_cache.py), and the log commits four
    times a second. On PostgreSQL the store's own `request_records` table (its read cache is off)."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:"):
        return engine
    log_engine = make_engine(f"sqlite:///{Path(path).with_name('request_log.db')}")
    RequestRecord.__table__.create(log_engine, checkfirst=True)  # type: ignore[attr-defined]
    return log_engine
