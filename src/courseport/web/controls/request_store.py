"""The request log's store: the last KEEP requests and answers per tenant, in the database (so every server
process writes to one log, and `courseport requests --follow` sees them all), secrets masked.

On SQLite the log is a database file of its own (`_log_engine`). A request adds a plain record (raw
references, nothing converted) to its process's pending list (no database work on the request's path); a
writer thread masks and writes the pending ones every FLUSH_SECONDS in one transaction, in a few DB-API
statements (`_insert`: the values as the ORM would bind them), and trims a tenant's log to KEEP once it has
written TRIM_MARGIN records of that tenant since the last trim; a reader's flush trims the reader's tenant
first, so the log never shows more than KEEP. Masked: the values of headers, parameters and JSON or form
fields whose names say they are secret (authorization, cookies, tokens, passwords, secrets, keys,
signatures); a text body that cannot be parsed is shown only if it names none of those words.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlencode

import msgspec
from sqlalchemy import Connection, Engine, delete, select

from courseport.core.jobs import job_timing
from courseport.db import make_engine, transaction
from courseport.schema import RequestRecord

KEEP = 1000  # records per tenant
TRIM_MARGIN = 100  # records of a tenant this process writes before it trims that tenant's log to KEEP again
CAPTURE_LIMIT = 65_536  # bytes of a body read for masking; a longer body is summarised
BODY_LIMIT = 4096  # characters of a masked body kept
FLUSH_SECONDS = 0.25
CHUNK = 64  # rows an INSERT statement writes (14 columns: 896 parameters, within SQLite's oldest limit of 999)
MASK = "***"
_SECRET_WORDS = ("authorization", "cookie", "token", "password", "passwd", "secret", "apikey", "api_key",
                 "api-key", "private_key", "credential", "signature", "assertion")
_SECRET_NAMES = {"code", "x_b", "x_d", "sig", "key", "secretkey"}
_SECRET_WORD = re.compile("|".join(map(re.escape, _SECRET_WORDS)))
_MEMO_SIZE = 1024  # entries of each memo of names below: past that, names are worked out every time
log = logging.getLogger("courseport.requests")


def is_secret(name: str) -> bool:
    lowered = name.lower()
    return lowered in _SECRET_NAMES or _SECRET_WORD.search(lowered) is not None


_HEADER_NAMES: dict[bytes, tuple[str, bool]] = {}  # a raw header name: the name shown, and whether it is secret


def _header_name(raw_name: bytes) -> tuple[str, bool]:
    name = raw_name.decode("latin-1").lower()
    known = (name, is_secret(name))
    if len(_HEADER_NAMES) < _MEMO_SIZE:
        _HEADER_NAMES[raw_name] = known
    return known


def mask_headers(headers: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for raw_name, raw_value in headers:
        name, secret = _HEADER_NAMES.get(raw_name) or _header_name(raw_name)
        value = raw_value.decode("latin-1")
        if secret:
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


def mask_body(content_type: str, body: bytes | bytearray, size: int) -> str | None:
    """The body as the log shows it: masked, cut to BODY_LIMIT; a summary where it cannot be shown."""
    if size == 0:
        return None
    ctype = _MEDIA_TYPES.get(content_type) or _media_type(content_type)
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


_MEDIA_TYPES: dict[str, str] = {}  # a Content-Type header's value: its media type, lower case ("" is falsy: not kept)


def _media_type(content_type: str) -> str:
    ctype = content_type.split(";")[0].strip().lower()
    if len(_MEDIA_TYPES) < _MEMO_SIZE:
        _MEDIA_TYPES[content_type] = ctype
    return ctype


def _cut(text: str, size: int) -> str:
    return text if len(text) <= BODY_LIMIT else text[:BODY_LIMIT] + f"... ({size} bytes)"


def _gated_needles() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What a text naming a secret contains: each of the words, `"name"` and `name=` for each name. A needle
    holding another is left out (the other finds it); needles sharing a part rare in JSON are looked for only
    where the part is (one scan of a text that has none), each part with the needles holding it (none: it is
    one). Not "sig": Canvas JSON is full of "assignment"."""
    needles = [*_SECRET_WORDS, *(form for name in sorted(_SECRET_NAMES) for form in (f'"{name}"', f"{name}="))]
    needles = [n for n in needles if not any(other != n and other in n for other in needles)]
    gated: dict[str, list[str]] = {}
    for needle in needles:
        part = next((p for p in ("key", "passw", "x_") if p in needle and p != needle), needle)
        gated.setdefault(part, []).extend([needle] if part != needle else [])
    return tuple((part, tuple(held)) for part, held in gated.items())


_NEEDLES = _gated_needles()


def _names_a_secret(text: str) -> bool:
    lowered = text.lower()
    for part, held in _NEEDLES:
        if part in lowered and (not held or any(needle in lowered for needle in held)):
            return True
    return False


def _plain(text: str, ctype: str, size: int) -> str:
    if _names_a_secret(text):
        return f"({size} bytes of {ctype}, not shown: it may hold a secret)"
    return text


class Captured(NamedTuple):
    """One request and its answer as the wrapper saw them: raw, unmasked (masked in the writer thread)."""

    at: float | datetime  # time.time() when the request came (or an aware datetime)
    request_id: str
    method: str
    path: str
    query: bytes | str  # the raw query string
    face: str
    user_id: int | None
    request_headers: Sequence[tuple[bytes, bytes]]
    status: int = 0
    duration_ms: float = 0.0
    request_body: bytes | bytearray = b""  # the whole body if it fits in CAPTURE_LIMIT bytes, else nothing
    request_size: int = 0
    response_headers: Sequence[tuple[bytes, bytes]] = ()
    response_body: bytes | bytearray = b""
    response_size: int = 0


def _content_type(headers: Iterable[tuple[bytes, bytes]]) -> str:
    for name, value in headers:
        if name.lower() == b"content-type":
            return value.decode("latin-1")
    return ""


_COLUMNS = ("tenant_id", "request_id", "at", "method", "path", "query", "face", "status", "duration_ms", "user_id",
            "request_headers", "response_headers", "request_body", "response_body")
_json = msgspec.json.Encoder()


def _row(tenant_id: int, item: Captured) -> tuple:
    """The values of one record in _COLUMNS order, as the ORM binds them on SQLite (JSON and `at` as text).
    A NUL in the path (%00 decoded) or a body is shown as U+FFFD: PostgreSQL's text cannot hold one, and one
    such request failed its whole batch (and the log's reader, who flushes first)."""
    query = item.query.decode("latin-1") if isinstance(item.query, bytes) else item.query
    return (tenant_id, item.request_id, _datetime_text(item.at), item.method, _no_nul(item.path),
            (mask_query(query) or None) if query else None, item.face, item.status, round(item.duration_ms, 3),
            item.user_id, _json.encode(mask_headers(item.request_headers)).decode(),
            _json.encode(mask_headers(item.response_headers)).decode(),
            _no_nul(mask_body(_content_type(item.request_headers), item.request_body, item.request_size))
            if item.request_size else None,
            _no_nul(mask_body(_content_type(item.response_headers), item.response_body, item.response_size))
            if item.response_size else None)


def _no_nul(text: str | None) -> str | None:
    return text.replace("\x00", "\ufffd") if text and "\x00" in text else text


_SECONDS: dict[int, str] = {}  # a second since the epoch: its text, as SQLAlchemy writes a DATETIME on SQLite


def _datetime_text(at: float | datetime) -> str:
    """`at` as SQLAlchemy's SQLite DATETIME text of the naive UTC time ("YYYY-MM-DD HH:MM:SS.ffffff"); on
    PostgreSQL read as a `timestamp`, the same time the ORM binds there."""
    if not isinstance(at, float):
        return at.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    second, micro = divmod(round(at * 1_000_000), 1_000_000)
    if (text := _SECONDS.get(second)) is None:
        if len(_SECONDS) > 64:
            _SECONDS.clear()
        text = _SECONDS[second] = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(second))
    return f"{text}.{micro:06d}"


def _insert(connection: Connection, rows: list[tuple]) -> None:
    """The rows in few statements: the driver leaves the GIL once a statement, not once a row (as executemany
    does), so the writer thread hardly contends with the requests for it. On SQLite multi-row VALUES of up to
    CHUNK rows; on PostgreSQL one COPY, whose text rows the server reads without planning or parsing a
    statement per row. (The JSON-array INSERT it replaces cost the server ~200 µs of CPU a record, COPY
    ~45: `->>` parses the element's JSON text again for every column, and the server shares the machine.)"""
    if connection.dialect.name != "sqlite":
        cursor: Any = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]  # psycopg's
        with cursor, cursor.copy(_PG_COPY) as copy:
            for row in rows:
                copy.write_row(row)
        return
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        sql = _INSERTS.get(len(chunk)) or _insert_sql(len(chunk))
        connection.exec_driver_sql(sql, tuple(chain.from_iterable(chunk)))


_INSERTS: dict[int, str] = {}  # rows: the SQLite statement inserting that many


def _insert_sql(count: int) -> str:
    marks = f"({', '.join('?' for _ in _COLUMNS)})"
    sql = _INSERTS[count] = f"INSERT INTO {_TABLE} ({', '.join(_COLUMNS)}) VALUES {', '.join([marks] * count)}"
    return sql


_TABLE = RequestRecord.__tablename__
_PG_COPY = f"COPY {_TABLE} ({', '.join(_COLUMNS)}) FROM STDIN"  # text format: each value as the ORM binds it


class RequestStore:
    """The pending records of one process and the thread that writes them."""

    def __init__(self, engine: Engine, store_engine: Engine):
        self.engine, self.store_engine = engine, store_engine  # the log's, and the store's (who is whose)
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._pending: list[Captured] = []
        self._untrimmed: Counter[int] = Counter()  # per tenant: records written since this process trimmed it
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, item: Captured) -> None:
        with self._lock:
            self._pending.append(item)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="courseport-request-log", daemon=True)
                self._thread.start()

    def flush(self, reader: int | None = None) -> None:
        """Write every pending record now. The log's readers call this first, with their tenant: its log is
        trimmed to KEEP (other processes may have written up to TRIM_MARGIN more each)."""
        with self._write_lock:
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch and reader is None:
                return
            rows, written = self._rows(batch)
            due = {tenant for tenant, count in written.items() if self._untrimmed[tenant] + count >= TRIM_MARGIN}
            due |= {reader} if reader is not None else set()
            with transaction(self.engine, write=True) as db:
                if rows:
                    _insert(db.connection(), rows)
                for tenant_id in due:
                    _trim(db, tenant_id)
            self._untrimmed.update(written)
            for tenant_id in due:
                self._untrimmed.pop(tenant_id, None)

    def _rows(self, batch: list[Captured]) -> tuple[list[tuple], Counter[int]]:
        if not batch:
            return [], Counter()
        with transaction(self.store_engine, write=False) as db:
            tenants = {uid: job_timing.tenant_of_user(db, uid) for uid in {item.user_id for item in batch}}
        rows = [_row(tenants[item.user_id], item) for item in batch]
        return rows, Counter(row[0] for row in rows)

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
