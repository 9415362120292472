"""Content-addressed blob storage keyed by SHA-256: a local directory by default.

Writers stream into a temporary file while hashing, then move it into place; equal bytes are
stored once, so copies of files never duplicate them.
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
    pass


class BlobStore(Protocol):
    def put_stream(self, chunks: Iterable[bytes], max_bytes: int | None = None) -> StoredBlob: ...
    def open_chunks(self, sha256: str) -> Iterator[bytes]: ...
    def exists(self, sha256: str) -> bool: ...
    def delete(self, sha256: str) -> None: ...


class LocalBlobStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put_stream(self, chunks: Iterable[bytes], max_bytes: int | None = None) -> StoredBlob:
        digest, size = hashlib.sha256(), 0
        fd, tmp = tempfile.mkstemp(dir=self.root / "tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise TooLarge(f"upload exceeds {max_bytes} bytes")
                    digest.update(chunk)
                    out.write(chunk)
            sha = digest.hexdigest()
            final = self._path(sha)
            if final.exists():
                return StoredBlob(sha, size, 0)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)
            tmp = ""
            return StoredBlob(sha, size, size)
        finally:
            if tmp and os.path.exists(tmp):
                os.unlink(tmp)

    def open_chunks(self, sha256: str) -> Iterator[bytes]:
        with open(self._path(sha256), "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).exists()

    def delete(self, sha256: str) -> None:
        try:
            self._path(sha256).unlink()
        except FileNotFoundError:
            pass
