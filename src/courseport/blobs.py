"""Content-addressed blob storage keyed by SHA-256: a local directory by default, S3-compatible object
storage with `--blob-url s3://bucket/prefix` (`blob_s3.py`); `open_blob_store` picks one.

Writers stream into a temporary file while hashing, then move it into place; equal bytes are
stored once, so copies of files never duplicate them. Bytes arrive either pulled from an
iterable (`put_stream`) or pushed chunk by chunk as a parser produces them (`open_writer`).

The store never decides that bytes are garbage: `core/blob_lifecycle.collect` does. The store gives
it what makes that safe: a writer that finishes (stores new bytes or finds them already there)
stamps the blob's mtime under a shared lock, and the collector checks the age and deletes under the
exclusive lock (`exclusive`), so a blob a writer has just handed out is always younger than the
collector's grace period. `collecting` lets one collector at a time run per store. The locks are a
`StoreLocks`: file locks beside the blobs (`FileLocks`, every process on one machine), or PostgreSQL
advisory locks for an S3 store shared by several machines (`blob_s3.AdvisoryLocks`).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from courseport.settings import Settings

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    bytes_written: int  # 0 when the content was already stored


class TooLarge(Exception):
    def __init__(self, max_bytes: int):
        super().__init__(f"upload exceeds {max_bytes} bytes")
        self.max_bytes = max_bytes


class BlobWriter(Protocol):
    """Takes pushed chunks; `finish` stores them, `abort` discards them (a no-op once finished)."""

    def write(self, chunk: bytes) -> None: ...
    def finish(self) -> StoredBlob: ...
    def abort(self) -> None: ...


class BlobStore(Protocol):
    def open_writer(self, max_bytes: int | None = None) -> BlobWriter: ...
    def put_stream(self, chunks: Iterable[bytes], max_bytes: int | None = None) -> StoredBlob: ...
    def open_chunks(self, sha256: str) -> Iterator[bytes]: ...
    def exists(self, sha256: str) -> bool: ...
    def delete(self, sha256: str) -> None: ...
    def exclusive(self) -> AbstractContextManager[None]: ...
    def collecting(self) -> AbstractContextManager[bool]: ...
    def aged(self, cutoff: float) -> Iterator[str]: ...
    def is_aged(self, sha256: str, cutoff: float) -> bool: ...
    def sweep_temp(self, cutoff: float) -> int: ...
    def local_file(self, sha256: str) -> AbstractContextManager[str]: ...


def write_all(store: BlobStore, chunks: Iterable[bytes], max_bytes: int | None = None) -> StoredBlob:
    """Every store's put_stream: its own writer fed chunk by chunk; `abort` (a no-op once finished)
    discards what an error or a too-large stream left."""
    writer = store.open_writer(max_bytes)
    try:
        for chunk in chunks:
            writer.write(chunk)
        return writer.finish()
    finally:
        writer.abort()


class StoreLocks(Protocol):
    """Writers finishing take `shared`, the collector deleting takes `exclusive`; `collector` yields
    True to the one collector of the store at a time (False, at once, to the others)."""

    def shared(self) -> AbstractContextManager[None]: ...
    def exclusive(self) -> AbstractContextManager[None]: ...
    def collector(self) -> AbstractContextManager[bool]: ...


class LocalBlobWriter:
    """Hashes and spools pushed chunks to a temp file; `finish` moves it to its content address.

    Usable as a context manager: leaving the block without `finish` (an error) removes the temp file.
    """

    def __init__(self, store: LocalBlobStore, max_bytes: int | None):
        self._store = store
        self._max = max_bytes
        self._digest = hashlib.sha256()
        self.size = 0
        fd, self._tmp = tempfile.mkstemp(dir=store.root / "tmp")
        self._out = os.fdopen(fd, "wb")

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self._max is not None and self.size > self._max:
            raise TooLarge(self._max)
        self._digest.update(chunk)
        self._out.write(chunk)

    def finish(self) -> StoredBlob:
        """Move the bytes to their address (or find them there) and stamp the blob's mtime, under the
        store's shared lock: the collector, which deletes under the exclusive one, then sees it young."""
        self._out.close()
        sha = self._digest.hexdigest()
        final = self._store.path_of(sha)
        with self._store.locks.shared():
            if final.exists():
                os.utime(final)
                self.abort()
                return StoredBlob(sha, self.size, 0)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self._tmp, final)
            os.utime(final)
        self._tmp = ""
        return StoredBlob(sha, self.size, self.size)

    def abort(self) -> None:
        self._out.close()
        if self._tmp and os.path.exists(self._tmp):
            os.unlink(self._tmp)
        self._tmp = ""

    def __enter__(self) -> LocalBlobWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.abort()


@contextmanager
def _locked(path: Path, mode: int) -> Iterator[bool]:
    """flock `path` (shared, exclusive, or non-blocking: then yields False when another holds it)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, mode)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the lock


LOCK_FILE = ".lock"  # writers finishing: shared; the collector deleting: exclusive
COLLECTOR_LOCK_FILE = ".collector.lock"  # one collector at a time


class FileLocks:
    """`StoreLocks` as flocks on two files of `folder`: every process of one machine shares them."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        for name in (LOCK_FILE, COLLECTOR_LOCK_FILE):  # made once, never removed: locks need one inode
            (self.folder / name).touch(mode=0o600, exist_ok=True)

    @contextmanager
    def shared(self) -> Iterator[None]:
        with _locked(self.folder / LOCK_FILE, fcntl.LOCK_SH):
            yield

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with _locked(self.folder / LOCK_FILE, fcntl.LOCK_EX):
            yield

    @contextmanager
    def collector(self) -> Iterator[bool]:
        with _locked(self.folder / COLLECTOR_LOCK_FILE, fcntl.LOCK_EX | fcntl.LOCK_NB) as mine:
            yield mine


def open_blob_store(settings: Settings, engine: Engine | None = None) -> BlobStore:
    """The store the settings name: S3 for `blob_url` s3://bucket/prefix, else the local folder.
    An S3 store shared by processes on several machines needs locks they all see: PostgreSQL advisory
    locks on `engine`'s database; on SQLite (one machine) file locks in the data folder do."""
    if not settings.blob_url:
        return LocalBlobStore(settings.blob_dir)
    from courseport.blob_s3 import AdvisoryLocks, S3BlobStore  # obstore loads only for S3

    locks: StoreLocks
    if engine is not None and engine.dialect.name == "postgresql":
        locks = AdvisoryLocks(engine)
    else:
        locks = FileLocks(settings.data_dir / "blob-locks")
    return S3BlobStore(settings.blob_url, locks, spool=settings.data_dir / "blob-spool")


class LocalBlobStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        self.locks = FileLocks(self.root)

    def path_of(self, sha256: str) -> Path:
        if not is_digest(sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def open_writer(self, max_bytes: int | None = None) -> LocalBlobWriter:
        return LocalBlobWriter(self, max_bytes)

    def put_stream(self, chunks: Iterable[bytes], max_bytes: int | None = None) -> StoredBlob:
        return write_all(self, chunks, max_bytes)

    def open_chunks(self, sha256: str) -> Iterator[bytes]:
        with open(self.path_of(sha256), "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).exists()

    def delete(self, sha256: str) -> None:
        """Remove bytes. Only the collector calls this (inside `exclusive`), after deciding they are garbage."""
        try:
            self.path_of(sha256).unlink()
        except FileNotFoundError:
            pass

    def exclusive(self) -> AbstractContextManager[None]:
        """No writer finishes meanwhile (finishing takes the shared side of the same lock)."""
        return self.locks.exclusive()

    def collecting(self) -> AbstractContextManager[bool]:
        """True if this caller is the one collector of the store now; False if another one runs."""
        return self.locks.collector()

    @contextmanager
    def local_file(self, sha256: str) -> Iterator[str]:
        """A seekable file of the blob (zip directories sit at the end): here, the blob itself."""
        yield str(self.path_of(sha256))

    def aged(self, cutoff: float) -> Iterator[str]:
        """The digests of stored blobs last written or handed out before `cutoff` (a time.time())."""
        for first in _subdirs(self.root):
            for second in _subdirs(first):
                for entry in os.scandir(second):
                    if is_digest(entry.name) and entry.is_file() and entry.stat().st_mtime < cutoff:
                        yield entry.name

    def is_aged(self, sha256: str, cutoff: float) -> bool:
        try:
            return self.path_of(sha256).stat().st_mtime < cutoff
        except FileNotFoundError:
            return False

    def sweep_temp(self, cutoff: float) -> int:
        """Delete temp files untouched since `cutoff` (writers killed mid-way); how many went."""
        removed = 0
        for entry in os.scandir(self.root / "tmp"):
            try:
                if entry.is_file() and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:
                continue  # its writer finished or aborted meanwhile
        return removed


def is_digest(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


def _subdirs(path: Path) -> Iterator[Path]:
    for entry in os.scandir(path):
        if len(entry.name) == 2 and entry.is_dir() and all(c in "0123456789abcdef" for c in entry.name):
            yield Path(entry.path)
