"""Content-addressed blob storage keyed by SHA-256: a local directory by default.

Writers stream into a temporary file while hashing, then move it into place; equal bytes are
stored once, so copies of files never duplicate them. Bytes arrive either pulled from an
iterable (`put_stream`) or pushed chunk by chunk as a parser produces them (`open_writer`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

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
        self._out.close()
        sha = self._digest.hexdigest()
        final = self._store.path_of(sha)
        if final.exists():
            self.abort()
            return StoredBlob(sha, self.size, 0)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self._tmp, final)
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


class LocalBlobStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def open_writer(self, max_bytes: int | None = None) -> LocalBlobWriter:
        return LocalBlobWriter(self, max_bytes)

    def put_stream(self, chunks: Iterable[bytes], max_bytes: int | None = None) -> StoredBlob:
        with self.open_writer(max_bytes) as writer:
            for chunk in chunks:
                writer.write(chunk)
            return writer.finish()

    def open_chunks(self, sha256: str) -> Iterator[bytes]:
        with open(self.path_of(sha256), "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).exists()

    def delete(self, sha256: str) -> None:
        try:
            self.path_of(sha256).unlink()
        except FileNotFoundError:
            pass
