"""The request log's store: the last KEEP requests and answers per tenant, in the database (so every server
process writes to one log, and `courseport requests --follow` sees them all), secrets masked.

On SQLite the log is a database file of its own (`_log_engine`). A request adds a plain record (raw
references, nothing converted) to its process's pending list (no database work on the request's path); a
writer thread masks the pending ones every FLUSH_SECONDS and writes each tenant's as one row
(`RequestLogBatch`, the records msgpack-encoded), in one transaction, and trims a tenant's log once it has
written TRIM_MARGIN records of that tenant since the last trim (deleting the batches wholly past the newest
KEEP records); a reader's flush trims the reader's tenant exactly first (cutting the oldest records off the
batch that straddles KEEP too), so the log never shows more than KEEP. A row per record cost a busy server
an insert and soon after a delete per request: on PostgreSQL a COPY row and a dead tuple each, and its
backends' CPU per record fell from 13-20 to ~7 µs with batches.
What a record shows is masked by request_masking.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import msgspec
from sqlalchemy import Engine, delete, insert, select, text
from sqlalchemy.orm import Session

from courseport.core.jobs import job_timing
from courseport.db import make_engine, transaction
from courseport.schema import RequestLogBatch
from courseport.web.controls.request_masking import mask_body, mask_headers, mask_query

KEEP = 1000  # records per tenant
TRIM_MARGIN = 100  # records of a tenant this process writes before it trims that tenant's log to KEEP again
CAPTURE_LIMIT = 65_536  # bytes of a body read for masking; a longer body is summarised
FLUSH_SECONDS = 0.25
CHUNK = 64  # rows an INSERT statement writes (14 columns: 896 parameters, within SQLite's oldest limit of 999)
log = logging.getLogger("courseport.requests")


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


SPAN = 10_000  # record ids per batch: record n of batch b is b * SPAN + first + n
BATCH_LIMIT = 1000  # records a batch holds at most (fewer than SPAN)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Stored(NamedTuple):
    """One record as the log keeps it: masked, cut short, `at` in microseconds since the epoch (UTC)."""

    request_id: str
    at: int
    method: str
    path: str
    query: str | None
    face: str
    status: int
    duration_ms: float
    user_id: int | None
    request_headers: dict[str, str]
    response_headers: dict[str, str]
    request_body: str | None
    response_body: str | None

    @property
    def at_datetime(self) -> datetime:
        return _EPOCH + timedelta(microseconds=self.at)


def microseconds(at: datetime) -> int:
    """An aware datetime as the log keeps times: microseconds since the epoch."""
    return (at - _EPOCH) // timedelta(microseconds=1)


_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(list[Stored])


def _stored(item: Captured) -> Stored:
    """A captured request as the log keeps it. A NUL in the path (%00 decoded) or a body is shown as U+FFFD:
    PostgreSQL's text could not hold one (kept so in the bytes of a batch too, for one rule on both)."""
    query = item.query.decode("latin-1") if isinstance(item.query, bytes) else item.query
    at = round(item.at * 1_000_000) if isinstance(item.at, float) else microseconds(item.at)
    return Stored(item.request_id, at, item.method, _no_nul(item.path) or "",
                  (mask_query(query) or None) if query else None, item.face, item.status, round(item.duration_ms, 3),
                  item.user_id, mask_headers(item.request_headers), mask_headers(item.response_headers),
                  _no_nul(mask_body(_content_type(item.request_headers), item.request_body, item.request_size))
                  if item.request_size else None,
                  _no_nul(mask_body(_content_type(item.response_headers), item.response_body, item.response_size))
                  if item.response_size else None)


def _no_nul(text: str | None) -> str | None:
    return text.replace("\x00", "\ufffd") if text and "\x00" in text else text


def stored_records(db: Session, tenant_id: int, after: int | None = None) -> list[tuple[int, Stored]]:
    """A tenant's records with their ids, oldest first; `after`: only those with a greater id."""
    query = select(RequestLogBatch.id, RequestLogBatch.first, RequestLogBatch.records).where(
        RequestLogBatch.tenant_id == tenant_id)
    if after is not None:
        query = query.where(RequestLogBatch.id >= after // SPAN)
    found = [(batch_id * SPAN + first + n, record) for batch_id, first, blob in db.execute(query.order_by(
        RequestLogBatch.id)) for n, record in enumerate(_DECODER.decode(blob))]
    return found if after is None else [(rid, record) for rid, record in found if rid > after]


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
            batches, written = self._batches(batch)
            due = {tenant for tenant, count in written.items() if self._untrimmed[tenant] + count >= TRIM_MARGIN}
            due |= {reader} if reader is not None else set()
            with transaction(self.engine, write=True) as db:
                if batches:
                    db.execute(insert(RequestLogBatch), batches)
                for tenant_id in due:
                    _trim(db, tenant_id, exact=tenant_id == reader)
            self._untrimmed.update(written)
            for tenant_id in due:
                self._untrimmed.pop(tenant_id, None)

    def _batches(self, batch: list[Captured]) -> tuple[list[dict[str, Any]], Counter[int]]:
        """The rows of `batch`: each tenant's records in one (BATCH_LIMIT at most), in the order they came."""
        if not batch:
            return [], Counter()
        with transaction(self.store_engine, write=False) as db:
            tenants = {uid: job_timing.tenant_of_user(db, uid) for uid in {item.user_id for item in batch}}
        by_tenant: dict[int, list[Stored]] = {}
        for item in batch:
            by_tenant.setdefault(tenants[item.user_id], []).append(_stored(item))
        rows = [{"tenant_id": tenant_id, "count": len(chunk), "first": 0, "records": _ENCODER.encode(chunk)}
                for tenant_id, records in by_tenant.items()
                for chunk in (records[n:n + BATCH_LIMIT] for n in range(0, len(records), BATCH_LIMIT))]
        return rows, Counter({tenant_id: len(records) for tenant_id, records in by_tenant.items()})

    def _loop(self) -> None:
        while not self._wake.wait(FLUSH_SECONDS):
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - the next round tries again; the log never breaks a request
                log.exception("request log records could not be written")


def _trim(db: Session, tenant_id: int, *, exact: bool) -> None:
    """The tenant's log cut to its newest KEEP records: older batches deleted and, `exact` (a reader's trim), the
    oldest records of the batch that straddles KEEP cut off it (its `first` keeps the ids of the rest); the
    writer leaves that batch whole rather than decode and write it again each time. The batches are locked as they are
    read (PostgreSQL; SQLite's writers take turns anyway): two processes trimming one tenant at once would
    otherwise both cut the straddling batch, the second by what it read before the first had cut it."""
    kept = 0
    for batch_id, count in db.execute(select(RequestLogBatch.id, RequestLogBatch.count).where(
            RequestLogBatch.tenant_id == tenant_id).order_by(RequestLogBatch.id.desc()).with_for_update()).all():
        if kept + count < KEEP:
            kept += count
            continue
        if exact and (extra := kept + count - KEEP) > 0:
            straddling = db.get_one(RequestLogBatch, batch_id)
            straddling.records = _ENCODER.encode(_DECODER.decode(straddling.records)[extra:])
            straddling.count, straddling.first = count - extra, straddling.first + extra
        db.execute(delete(RequestLogBatch).where(RequestLogBatch.tenant_id == tenant_id, RequestLogBatch.id < batch_id))
        return


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
    times a second. On PostgreSQL the store's own `request_log_batches` table (its read cache is off)."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:"):
        return engine
    log_engine = make_engine(f"sqlite:///{Path(path).with_name('request_log.db')}")
    RequestLogBatch.__table__.create(log_engine, checkfirst=True)  # type: ignore[attr-defined]
    _adopt_records(log_engine)
    return log_engine


_OLD_ROWS = text(f"SELECT tenant_id, {', '.join(Stored._fields)} FROM request_records ORDER BY id")


def _adopt_records(log_engine: Engine) -> None:
    """A log file written before batches (a row per record in `request_records`, as migration 0029 finds in
    the store) has its records moved into batches, and the old table dropped."""
    with transaction(log_engine, write=True) as db:
        if not db.scalar(text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'request_records'")):
            return
        by_tenant: dict[int, list[Stored]] = {}
        for tenant_id, *values in db.execute(_OLD_ROWS):
            at = datetime.fromisoformat(values[1]).replace(tzinfo=UTC)
            values[1], values[9], values[10] = microseconds(at), json.loads(values[9]), json.loads(values[10])
            by_tenant.setdefault(tenant_id, []).append(Stored(*values))
        for tenant_id, records in by_tenant.items():
            for n in range(0, len(records), BATCH_LIMIT):
                chunk = records[n:n + BATCH_LIMIT]
                db.add(RequestLogBatch(tenant_id=tenant_id, count=len(chunk), first=0, records=_ENCODER.encode(chunk)))
        db.execute(text("DROP TABLE request_records"))
