"""The blob lifecycle: what keeps bytes alive, and the one place that decides they are garbage.

A blob is live while any of these holds:
- a row refers to it: `files.blob_sha256` (Canvas files) or `package_files.blob_sha256` (package
  files and assets); both are foreign keys to `blobs`, so a row can only be written while the
  `blobs` row exists;
- a queued or running job pins it (`blob_pins`): an import's package from the request that queues
  the job, and every entry it unpacks, pinned in the job's own committed transactions as it goes,
  so a re-run after a failed attempt still finds its inputs and a concurrent import's failure
  cannot take them;
- a snapshot of the store refers to it (`snapshot_blobs`, web/controls/snapshot_store.py): restoring the
  snapshot brings back rows that refer to it;
- it is younger than the grace period: every writer that finishes (new bytes, or bytes already
  there) stamps the blob's mtime under the store's shared lock, which covers the short window
  between an upload's end and the commit of the row or pin that refers to it.

`collect` is the only code that deletes blobs. Under the store's exclusive lock (no writer can
finish meanwhile) it re-checks the age and, in one transaction, the references and pins, deletes
the `blobs` rows, commits, then unlinks the bytes. A reference committed concurrently wins: either
the check sees it, or deleting the `blobs` row fails on its foreign key and the batch is skipped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, delete, select, text, union
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from courseport.blobs import BlobStore
from courseport.db import transaction
from courseport.schema import Blob, BlobPin, File, Job, PackageFile, SnapshotBlob
from courseport.schema.base import utcnow

GRACE_SECONDS = 3600.0  # > the longest time from a writer's finish to the commit of what refers to it
LIVE_JOB_STATES = ("queued", "running")
BATCH = 500
log = logging.getLogger("courseport.blobs")


def record_blobs(db: Session, sizes: dict[str, int]) -> None:
    """Blob rows for stored bytes, in one statement; rows another writer made first are kept."""
    if sizes:
        db.execute(_insert_ignoring_duplicates(db, Blob, ["sha256"]),
                   [{"sha256": sha, "size": size, "created_at": utcnow()} for sha, size in sizes.items()])


def pin(db: Session, job_id: int, shas: Iterable[str | None]) -> None:
    """Keep these blobs while the job is queued or running (in `db`'s transaction)."""
    rows = [{"job_id": job_id, "sha256": sha} for sha in sorted({s for s in shas if s})]
    if rows:
        db.execute(_insert_ignoring_duplicates(db, BlobPin, ["job_id", "sha256"]), rows)


def _insert_ignoring_duplicates(db: Session, model: type, keys: list[str]) -> Any:
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        return pg_insert(model).on_conflict_do_nothing(index_elements=keys)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert
    return sqlite_insert(model).on_conflict_do_nothing(index_elements=keys)


class JobPins:
    """Pins a running job's blobs as it stores them: `add` from any thread, `flush` commits the new
    ones in a transaction of their own (call it at least every few seconds, and before using them)."""

    def __init__(self, engine: Engine, job_id: int):
        self._engine, self._job_id = engine, job_id
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._pinned: set[str] = set()

    def add(self, sha256: str) -> None:
        with self._lock:
            if sha256 not in self._pinned:
                self._pending.add(sha256)

    def flush(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, set()
        if batch:
            with transaction(self._engine, write=True) as db:
                pin(db, self._job_id, batch)
            with self._lock:
                self._pinned |= batch


def pin_now(engine: Engine, job_id: int, shas: Iterable[str | None]) -> None:
    """`pin` in a transaction of its own, committed before the caller goes on."""
    with transaction(engine, write=True) as db:
        pin(db, job_id, shas)


@dataclass
class Collected:
    blobs: int = 0
    temp_files: int = 0
    pins: int = 0
    ran: bool = True  # False: another collector was running on this store


def collect(engine: Engine, store: BlobStore, grace: float = GRACE_SECONDS, now: float | None = None) -> Collected:
    """Remove blobs nothing refers to or pins and older than `grace` seconds, and temp files
    untouched for as long (left by writers that were killed); drop the pins of ended jobs."""
    cutoff = (time.time() if now is None else now) - grace
    report = Collected()
    with store.collecting() as mine:
        if not mine:
            report.ran = False
            return report
        report.temp_files = store.sweep_temp(cutoff)
        report.pins = _drop_ended_pins(engine)
        for batch in _batches(store.aged(cutoff)):
            report.blobs += _collect_batch(engine, store, batch, cutoff)
    return report


def _drop_ended_pins(engine: Engine) -> int:
    with transaction(engine, write=True) as db:
        ended = select(Job.id).where(Job.state.not_in(LIVE_JOB_STATES))
        return cast(CursorResult[Any], db.execute(delete(BlobPin).where(BlobPin.job_id.in_(ended)))).rowcount or 0


def _batches(shas: Iterator[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for sha in shas:
        batch.append(sha)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _collect_batch(engine: Engine, store: BlobStore, batch: list[str], cutoff: float) -> int:
    """Decide and delete under the exclusive lock; the rows go first, the bytes once that committed."""
    with store.exclusive():
        try:
            with transaction(engine, write=True) as db:
                if engine.dialect.name == "postgresql":  # never wait long on a writer while holding the store
                    db.execute(text("SET LOCAL lock_timeout = '5s'"))
                live = _live(db, batch)
                dead = [sha for sha in batch if sha not in live and store.is_aged(sha, cutoff)]
                if dead:
                    db.execute(delete(Blob).where(Blob.sha256.in_(dead)))
        except DBAPIError as exc:  # a row referring to one of them was committed meanwhile (or a
            # writer held a lock past the timeout): keep them all, the next collection tries again
            log.info("blob collection skipped a batch: %s", exc.__class__.__name__)
            return 0
        for sha in dead:
            store.delete(sha)
    return len(dead)


def _live(db: Session, shas: list[str]) -> set[str]:
    return set(db.scalars(union(
        select(File.blob_sha256).where(File.blob_sha256.in_(shas)),
        select(PackageFile.blob_sha256).where(PackageFile.blob_sha256.in_(shas)),
        select(BlobPin.sha256).join(Job, Job.id == BlobPin.job_id)
        .where(BlobPin.sha256.in_(shas), Job.state.in_(LIVE_JOB_STATES)),
        select(SnapshotBlob.sha256).where(SnapshotBlob.sha256.in_(shas)))))
