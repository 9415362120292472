"""A zip reader for untrusted packages: the central directory is read and checked before any byte
is unpacked, then entries stream out one by one, counted as they really come out.

Refused, each with a message naming the entry: paths that leave the package (absolute, `..`,
drive letters, NUL), symlinks, duplicate paths, encryption, methods other than stored/deflate,
more entries than allowed, an entry expanding beyond the ratio limit or beyond its declared size,
and a package whose entries together unpack to more than the total limit. `zipfile` is not used:
it trusts the headers and limits none of this.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, cast

from courseport.core.kit.errors import DomainError

CHUNK = 256 * 1024
_EOCD = struct.Struct("<IHHHHIIH")
_ZIP64_LOCATOR = struct.Struct("<IIQI")
_ZIP64_EOCD = struct.Struct("<IQHHIIQQQQ")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_SYMLINK, _FILE_TYPE = 0o120000, 0o170000
_DRIVE = re.compile(r"^[A-Za-z]:")


class UnsafeArchive(DomainError):
    """The package is not a zip this reader accepts; the message says which entry and why."""


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 20_000
    max_unpacked_bytes: int = 4 * 1024**3
    max_ratio: int = 200
    ratio_floor: int = 1024 * 1024  # small entries may compress well: the ratio counts past this size


@dataclass(frozen=True)
class ZipEntry:
    path: str  # normalised: "/"-separated, relative, no "." or ".." parts
    method: int
    flags: int
    compressed_size: int
    size: int
    crc: int
    header_offset: int


def is_zip(head: bytes) -> bool:
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def member_path(name: str) -> str | None:
    """The contained path of an entry name; None for a directory entry. Raises for an escaping one."""
    if "\x00" in name:
        raise UnsafeArchive(f"entry {name!r} has a NUL character in its name")
    text = name.replace("\\", "/")
    if text.startswith("/") or _DRIVE.match(text):
        raise UnsafeArchive(f"entry {name!r} has an absolute path")
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise UnsafeArchive(f"entry {name!r} points outside the package (..)")
    if not parts or text.endswith("/"):
        return None
    return "/".join(parts)


class SafeZip:
    """Reads and checks the directory of a seekable zip file; `chunks` unpacks one entry."""

    def __init__(self, fh: BinaryIO, limits: ZipLimits = ZipLimits()):
        self._fh = fh
        self.limits = limits
        self._size = fh.seek(0, 2)
        self.unpacked = 0
        self.entries: list[ZipEntry] = self._read_directory()
        self.by_path = {e.path: e for e in self.entries}

    def _read_directory(self) -> list[ZipEntry]:
        count, cd_size, cd_offset = self._end_record()
        if count > self.limits.max_entries:
            raise UnsafeArchive(f"the package has {count} entries; at most {self.limits.max_entries} are allowed")
        if cd_offset + cd_size > self._size:
            raise UnsafeArchive("the zip central directory lies outside the file (truncated package?)")
        self._fh.seek(cd_offset)
        directory = self._fh.read(cd_size)
        entries, seen, pos, declared = [], set(), 0, 0
        for _ in range(count):
            entry, pos = self._central_entry(directory, pos)
            if entry is None:
                continue
            if entry.path in seen:
                raise UnsafeArchive(f"entry {entry.path!r} appears twice in the package")
            seen.add(entry.path)
            declared += entry.size
            if declared > self.limits.max_unpacked_bytes:
                raise UnsafeArchive(f"the package unpacks to more than {self.limits.max_unpacked_bytes} bytes")
            entries.append(entry)
        return entries

    def _end_record(self) -> tuple[int, int, int]:
        tail_len = min(self._size, _EOCD.size + 65535)
        self._fh.seek(self._size - tail_len)
        tail = self._fh.read(tail_len)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < _EOCD.size:
            raise UnsafeArchive("the file is not a zip archive (no end of central directory)")
        _, _, _, _, count, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, at)
        if count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
            return self._zip64_end_record(self._size - tail_len + at)
        return count, cd_size, cd_offset

    def _zip64_end_record(self, eocd_at: int) -> tuple[int, int, int]:
        self._fh.seek(eocd_at - _ZIP64_LOCATOR.size)
        sig, _, record_at, _ = _ZIP64_LOCATOR.unpack(self._fh.read(_ZIP64_LOCATOR.size))
        if sig != 0x07064B50 or record_at + _ZIP64_EOCD.size > self._size:
            raise UnsafeArchive("the zip64 end of central directory is missing or damaged")
        self._fh.seek(record_at)
        fields = _ZIP64_EOCD.unpack(self._fh.read(_ZIP64_EOCD.size))
        if fields[0] != 0x06064B50:
            raise UnsafeArchive("the zip64 end of central directory is damaged")
        return fields[7], fields[8], fields[9]

    def _central_entry(self, directory: bytes, pos: int) -> tuple[ZipEntry | None, int]:
        if pos + _CENTRAL.size > len(directory):
            raise UnsafeArchive("the zip central directory is truncated")
        (sig, _, _, flags, method, _, _, crc, csize, size, name_len, extra_len, comment_len,
         _, _, external, offset) = _CENTRAL.unpack_from(directory, pos)
        if sig != 0x02014B50:
            raise UnsafeArchive("the zip central directory is damaged")
        start = pos + _CENTRAL.size
        raw_name = directory[start:start + name_len]
        extra = directory[start + name_len:start + name_len + extra_len]
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", "replace")
        next_pos = start + name_len + extra_len + comment_len
        size, csize, offset = _zip64_sizes(extra, size, csize, offset)
        if (external >> 16) & _FILE_TYPE == _SYMLINK:
            raise UnsafeArchive(f"entry {name!r} is a symbolic link; links are not allowed")
        path = member_path(name)
        if path is None:
            return None, next_pos
        if flags & 0x1:
            raise UnsafeArchive(f"entry {path!r} is encrypted")
        if method not in (0, 8):
            raise UnsafeArchive(f"entry {path!r} uses compression method {method}; "
                                "only stored and deflate are supported")
        if offset + csize > self._size:
            raise UnsafeArchive(f"entry {path!r} lies outside the file (truncated package?)")
        return ZipEntry(path, method, flags, csize, size, crc, offset), next_pos

    def _data_start(self, entry: ZipEntry) -> int:
        self._fh.seek(entry.header_offset)
        header = self._fh.read(_LOCAL.size)
        if len(header) < _LOCAL.size or _LOCAL.unpack(header)[0] != 0x04034B50:
            raise UnsafeArchive(f"entry {entry.path!r} has a damaged local header")
        name_len, extra_len = cast(tuple[int, int], _LOCAL.unpack(header)[9:11])
        start = entry.header_offset + _LOCAL.size + name_len + extra_len
        if start + entry.compressed_size > self._size:
            raise UnsafeArchive(f"entry {entry.path!r} lies outside the file (truncated package?)")
        return start

    def chunks(self, entry: ZipEntry) -> Iterator[bytes]:
        """The entry's bytes, checked against every limit as they come out, then against its CRC."""
        self._fh.seek(self._data_start(entry))
        produced, crc = 0, 0
        for piece in self._raw_output(entry):
            produced += len(piece)
            self._check_growth(entry, produced, len(piece))
            crc = zlib.crc32(piece, crc)
            yield piece
        if produced != entry.size:
            raise UnsafeArchive(f"entry {entry.path!r} unpacks to {produced} bytes, not the {entry.size} it declares")
        if crc != entry.crc:
            raise UnsafeArchive(f"entry {entry.path!r} is damaged (CRC mismatch)")

    def _raw_output(self, entry: ZipEntry) -> Iterator[bytes]:
        remaining = entry.compressed_size
        inflater = zlib.decompressobj(-15) if entry.method == 8 else None
        while remaining > 0:
            raw = self._fh.read(min(CHUNK, remaining))
            if not raw:
                raise UnsafeArchive(f"entry {entry.path!r} is truncated")
            remaining -= len(raw)
            if inflater is None:
                yield raw
                continue
            try:
                while raw and not inflater.eof:
                    out = inflater.decompress(raw, CHUNK)
                    raw = inflater.unconsumed_tail
                    if out:
                        yield out
            except zlib.error as exc:
                raise UnsafeArchive(f"entry {entry.path!r} is damaged ({exc})") from None
        if inflater is not None and (tail := inflater.flush()):
            yield tail

    def _check_growth(self, entry: ZipEntry, produced: int, step: int) -> None:
        limits = self.limits
        if produced > entry.size:
            raise UnsafeArchive(f"entry {entry.path!r} unpacks to more than the {entry.size} bytes it declares")
        if produced > limits.ratio_floor and produced > limits.max_ratio * max(entry.compressed_size, 1):
            raise UnsafeArchive(f"entry {entry.path!r} expands more than {limits.max_ratio}:1 (a zip bomb?)")
        self.unpacked += step
        if self.unpacked > limits.max_unpacked_bytes:
            raise UnsafeArchive(f"the package unpacks to more than {limits.max_unpacked_bytes} bytes")

    def read(self, entry: ZipEntry, max_bytes: int) -> bytes:
        """A small entry (a manifest) whole; larger than `max_bytes` is refused."""
        if entry.size > max_bytes:
            raise UnsafeArchive(f"{entry.path} is larger than {max_bytes} bytes")
        return b"".join(self.chunks(entry))


def _zip64_sizes(extra: bytes, size: int, csize: int, offset: int) -> tuple[int, int, int]:
    """Sizes and offset from the zip64 extra field, for the header fields that overflowed."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, pos)
        if tag == 0x0001:
            values = iter(struct.unpack_from(f"<{length // 8}Q", extra, pos + 4))
            try:
                size = next(values) if size == 0xFFFFFFFF else size
                csize = next(values) if csize == 0xFFFFFFFF else csize
                offset = next(values) if offset == 0xFFFFFFFF else offset
            except StopIteration:
                raise UnsafeArchive("a zip64 extra field is too short") from None
            break
        pos += 4 + length
    return size, csize, offset


class ArchiveSource:
    """A SafeZip as a package source for the parsers: its paths, and bounded reads by path."""

    def __init__(self, archive: SafeZip):
        self.archive = archive

    def paths(self) -> set[str]:
        return set(self.archive.by_path)

    def read(self, path: str, max_bytes: int) -> bytes:
        return self.archive.read(self.archive.by_path[path], max_bytes)
