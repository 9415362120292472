"""The blob store on S3-compatible object storage (obstore), behind the same `BlobStore` interface as
the local folder, selected by `--blob-url s3://bucket/prefix` (`blobs.open_blob_store`).

Keys under the prefix: `blobs/<sha256>` (the content address) and `tmp/<random>` (uploads in flight).
A writer streams into its temp key (one PUT for small blobs, a multipart upload in parts of
`PART_BYTES` beyond: at most a few parts are held in memory) while hashing; `finish` copies the temp
key to the content address on the server and deletes it. The copy is made even when the address
already holds the bytes: it stamps a fresh LastModified, which is what the collector reads as the
blob's age, exactly as the local writer's utime. S3 has no locks, so the shared/exclusive pair the
lifecycle needs (a writer finishing vs the collector deleting) is a `StoreLocks` all processes see:
PostgreSQL advisory locks (`AdvisoryLocks`), or file locks when one SQLite machine holds everything.

Crash leftovers: temp keys older than the grace period, multipart uploads under `tmp/` started before
it (`s3_multipart.py`), and spool files (`local_file` copies) go in `sweep_temp`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import obstore
from obstore.store import S3Store
from sqlalchemy import Engine, text

from courseport.blobs import CHUNK, StoredBlob, StoreLocks, TooLarge, is_digest, write_all
from courseport.s3_multipart import abort_stale_uploads, configured_endpoint

if TYPE_CHECKING:
    from obstore import WritableFile

BLOBS = "blobs/"
TMP = "tmp/"
PART_BYTES = 8 * 1024 * 1024  # one part of a multipart upload (S3's minimum is 5 MiB)
PART_CONCURRENCY = 2  # parts uploading at once: a writer holds at most a few parts in memory
SPOOL_GRACE = 3600.0  # spool files older than this when a store opens were left by killed readers


class _Aborted(Exception):
    """Handed to the obstore writer's __exit__: an exception there aborts its multipart upload."""


class S3BlobWriter:
    """Hashes pushed chunks while streaming them to a temp key; `finish` copies it to its address."""

    def __init__(self, store: S3BlobStore, max_bytes: int | None):
        self._store, self._max = store, max_bytes
        self._digest = hashlib.sha256()
        self.size = 0
        self._tmp = f"{TMP}{uuid.uuid4().hex}"
        self._out: WritableFile | None = obstore.open_writer(
            store.s3, self._tmp, buffer_size=PART_BYTES, max_concurrency=PART_CONCURRENCY)
        self._uploaded = False  # the temp key exists (the writer closed) and is not yet deleted

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self._max is not None and self.size > self._max:
            raise TooLarge(self._max)
        self._digest.update(chunk)
        assert self._out is not None, "write after finish or abort"
        self._out.write(chunk)

    def finish(self) -> StoredBlob:
        """Complete the upload, then, under the shared lock, copy it to its address (stamping it young
        for the collector, which deletes under the exclusive lock) and drop the temp key."""
        assert self._out is not None, "finish after finish or abort"
        out, self._out = self._out, None
        out.close()
        self._uploaded = True
        sha = self._digest.hexdigest()
        try:
            with self._store.locks.shared():
                existed = self._store.exists(sha)
                obstore.copy(self._store.s3, self._tmp, self._store.key_of(sha), overwrite=True)
        finally:
            self.abort()
        return StoredBlob(sha, self.size, 0 if existed else self.size)

    def abort(self) -> None:
        """Discard the upload: abort the multipart upload, or delete the temp key once complete."""
        out, self._out = self._out, None
        if out is not None:
            out.__exit__(_Aborted, _Aborted(), None)
        if self._uploaded:
            self._uploaded = False
            obstore.delete(self._store.s3, self._tmp)

    def __enter__(self) -> S3BlobWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.abort()


def s3_store(url: str) -> S3Store:
    """obstore's client for s3://bucket/prefix; endpoint, region and credentials come from the AWS_*
    variables obstore reads itself. A plain-http endpoint (a local S3 server) is allowed as named."""
    parsed = urlsplit(url)
    prefix = parsed.path.strip("/") or None
    if (configured_endpoint() or "").startswith("http://"):
        return S3Store(parsed.netloc, prefix=prefix, client_options={"allow_http": True})
    return S3Store(parsed.netloc, prefix=prefix)


class S3BlobStore:
    def __init__(self, url: str, locks: StoreLocks, spool: Path):
        self.url, self.locks = url, locks
        self.s3 = s3_store(url)
        self.spool = Path(spool)
        self.spool.mkdir(mode=0o700, parents=True, exist_ok=True)
        # A worker-only machine runs no collector: what its killed processes spooled goes at the next start.
        self._sweep_spool(time.time() - SPOOL_GRACE)

    def key_of(self, sha256: str) -> str:
        if not is_digest(sha256):
            raise ValueError("not a sha256 hex digest")
        return BLOBS + sha256

    def open_writer(self, max_bytes: int | None = None) -> S3BlobWriter:
        return S3BlobWriter(self, max_bytes)

    def put_stream(self, chunks: Iterable[bytes], max_bytes: int | None = None) -> StoredBlob:
        return write_all(self, chunks, max_bytes)

    def open_chunks(self, sha256: str) -> Iterator[bytes]:
        """The bytes as they arrive, about a CHUNK at a time; FileNotFoundError when absent."""
        for chunk in obstore.get(self.s3, self.key_of(sha256)).stream(min_chunk_size=CHUNK):
            yield bytes(chunk)

    def exists(self, sha256: str) -> bool:
        try:
            obstore.head(self.s3, self.key_of(sha256))
        except FileNotFoundError:
            return False
        return True

    def delete(self, sha256: str) -> None:
        """Remove bytes. Only the collector calls this (inside `exclusive`), after deciding they are garbage."""
        obstore.delete(self.s3, self.key_of(sha256))

    def exclusive(self) -> AbstractContextManager[None]:
        return self.locks.exclusive()

    def collecting(self) -> AbstractContextManager[bool]:
        return self.locks.collector()

    def aged(self, cutoff: float) -> Iterator[str]:
        """The digests of stored blobs last written or handed out before `cutoff` (a time.time())."""
        for meta in self._listed(BLOBS):
            name = meta["path"].rsplit("/", 1)[-1]
            if is_digest(name) and _stamped(meta) < cutoff:
                yield name

    def is_aged(self, sha256: str, cutoff: float) -> bool:
        try:
            return _stamped(obstore.head(self.s3, self.key_of(sha256))) < cutoff
        except FileNotFoundError:
            return False

    def sweep_temp(self, cutoff: float) -> int:
        """Delete what killed writers and readers left, untouched since `cutoff`: temp keys, multipart
        uploads under tmp/ and spool files. How many went."""
        stale = [meta["path"] for meta in self._listed(TMP) if _stamped(meta) < cutoff]
        if stale:
            obstore.delete(self.s3, stale)
        return len(stale) + abort_stale_uploads(self.url, TMP, cutoff) + self._sweep_spool(cutoff)

    def _sweep_spool(self, cutoff: float) -> int:
        removed = 0
        for entry in os.scandir(self.spool):
            try:
                if entry.is_file() and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:
                continue  # its reader finished meanwhile
        return removed

    @contextmanager
    def local_file(self, sha256: str) -> Iterator[str]:
        """A seekable copy of the blob (zip directories sit at the end), streamed to a spool file that
        goes when the block ends; its size is the blob's, which the upload limit bounded."""
        fd, path = tempfile.mkstemp(dir=self.spool, suffix=".blob")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in self.open_chunks(sha256):
                    out.write(chunk)
            yield path
        finally:
            os.unlink(path)

    def _listed(self, prefix: str) -> Iterator[Any]:
        for batch in obstore.list(self.s3, prefix=prefix, chunk_size=1000):
            yield from batch


def _stamped(meta: Any) -> float:
    """When the object was last written, at the latest: S3 keeps LastModified to the whole second."""
    return float(meta["last_modified"].timestamp()) + 1.0


SHARED_KEY = 0x636F757273650001  # pg advisory lock keys ("course" + n): writers shared, collector exclusive
COLLECTOR_KEY = 0x636F757273650002  # one collector at a time


class AdvisoryLocks:
    """`StoreLocks` as PostgreSQL transaction-level advisory locks, seen by every process on every
    machine that uses the database; each is held by a short transaction of its own connection."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @contextmanager
    def _held(self, function: str, key: int) -> Iterator[bool]:
        with self.engine.connect() as conn, conn.begin():
            got = conn.scalar(text(f"SELECT {function}(:key)"), {"key": key})
            yield got is not False

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._held("pg_advisory_xact_lock_shared", SHARED_KEY):
            yield

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._held("pg_advisory_xact_lock", SHARED_KEY):
            yield

    @contextmanager
    def collector(self) -> Iterator[bool]:
        with self._held("pg_try_advisory_xact_lock", COLLECTOR_KEY) as mine:
            yield mine
