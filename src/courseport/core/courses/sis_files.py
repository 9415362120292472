"""The files of one SIS import upload: a single CSV, or a zip of CSVs read through the safe zip reader
with the package limits (paths that leave the archive, links, declared sizes past the limits and zip bombs
are refused before or while unpacking). Every file is parsed before any row is applied, so a file the
import cannot take fails the import with nothing of any file written.
"""

from __future__ import annotations

from typing import BinaryIO

from courseport.core.courses.sis_rows import MAX_FILE_BYTES, ORDER, SisFile, SisFileRefused, parse_file
from courseport.core.kit.safe_zip import SafeZip, UnsafeArchive, ZipLimits, is_zip

_SKIPPED_PREFIXES = ("__MACOSX/",)


def read_upload(fh: BinaryIO, filename: str, limits: ZipLimits) -> list[SisFile]:
    """The upload's CSV files in the order they are applied (by kind; within a kind, by name)."""
    head = fh.read(4)
    fh.seek(0)
    if is_zip(head):
        files = _zip_files(fh, filename, limits)
    else:
        data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise SisFileRefused(filename, f"{filename} is larger than {MAX_FILE_BYTES} bytes")
        files = [parse_file(filename, data)]
    return sorted(files, key=lambda f: (ORDER.index(f.kind), f.name))


def _zip_files(fh: BinaryIO, filename: str, limits: ZipLimits) -> list[SisFile]:
    try:
        archive = SafeZip(fh, limits)
        entries = [e for e in archive.entries if not _skipped(e.path)]
        if not entries:
            raise SisFileRefused(filename, f"{filename} holds no CSV files")
        return [parse_file(e.path, archive.read(e, MAX_FILE_BYTES)) for e in entries]
    except UnsafeArchive as exc:
        raise SisFileRefused(filename, f"{filename} was refused: {exc.message}") from None


def _skipped(path: str) -> bool:
    """Metadata archivers add (macOS resource forks, dot files), not CSVs of the import."""
    return path.startswith(_SKIPPED_PREFIXES) or path.rsplit("/", 1)[-1].startswith(".")
