"""The safe zip reader: containment, symlinks, bombs (ratio, total, entries), lying headers."""

from __future__ import annotations

import io
import os
import struct
import zipfile

import pytest

from courseport.core.kit.safe_zip import SafeZip, UnsafeArchive, ZipLimits, member_path
from tests import package_builders as pb


def open_zip(data: bytes, **limits) -> SafeZip:
    return SafeZip(io.BytesIO(data), ZipLimits(**limits))


def unpack_all(archive: SafeZip) -> dict[str, bytes]:
    return {e.path: b"".join(archive.chunks(e)) for e in archive.entries}


def test_reads_entries_and_skips_directories():
    data = pb.zip_bytes({"a/b.txt": "hello", "dir/": "", "./c.txt": "x", "d\\e.txt": "win"})
    archive = open_zip(data)
    assert unpack_all(archive) == {"a/b.txt": b"hello", "c.txt": b"x", "d/e.txt": b"win"}


@pytest.mark.parametrize("name,why", [
    ("../evil.txt", "points outside the package"), ("a/../../evil.txt", "points outside the package"),
    ("/etc/passwd", "absolute path"), ("C:/Windows/x.txt", "absolute path"),
    ("..\\evil.txt", "points outside the package"), ("a\x00b", "NUL character"),
])
def test_refuses_escaping_paths(name, why):
    with pytest.raises(UnsafeArchive, match=why):
        member_path(name)


def test_zip_slip_archive_is_refused_before_unpacking():
    with pytest.raises(UnsafeArchive) as err:
        open_zip(pb.zip_slip())
    assert err.value.message == "entry '../../evil.html' points outside the package (..)"


def test_symlink_entry_is_refused():
    with pytest.raises(UnsafeArchive) as err:
        open_zip(pb.with_symlink())
    assert err.value.message == "entry 'passwd' is a symbolic link; links are not allowed"


def test_ratio_bomb_stops_while_unpacking():
    archive = open_zip(pb.ratio_bomb(20), max_ratio=100)
    bomb = archive.by_path["zeros.bin"]
    produced = 0
    with pytest.raises(UnsafeArchive, match=r"entry 'zeros.bin' expands more than 100:1 \(a zip bomb\?\)"):
        for chunk in archive.chunks(bomb):
            produced += len(chunk)
    assert produced < 2 * 1024 * 1024  # stopped near the floor, not after 20 MB


def test_total_declared_size_is_refused_up_front():
    data = pb.zip_bytes({"a.bin": b"a" * 4000, "b.bin": b"b" * 4000})
    with pytest.raises(UnsafeArchive, match="the package unpacks to more than 6000 bytes"):
        open_zip(data, max_unpacked_bytes=6000)


def test_entry_count_limit():
    with pytest.raises(UnsafeArchive, match="the package has 12 entries; at most 10 are allowed"):
        open_zip(pb.many_entries(10), max_entries=10)


def _lie_about_size(data: bytes, name: bytes, size: int) -> bytes:
    """Rewrite the central directory's uncompressed size of `name` (the local header keeps the truth)."""
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_len] == name:
            return data[:at + 24] + struct.pack("<I", size) + data[at + 28:]
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError("entry not found")


def test_real_byte_count_beats_a_lying_header():
    data = _lie_about_size(pb.zip_bytes({"big.bin": b"z" * 100_000}), b"big.bin", 10)
    archive = open_zip(data)
    with pytest.raises(UnsafeArchive, match="entry 'big.bin' unpacks to more than the 10 bytes it declares"):
        unpack_all(archive)


def test_real_total_is_counted_across_entries():
    data = _lie_about_size(pb.zip_bytes({"a.bin": b"a" * 5000, "b.bin": b"b" * 5000}), b"b.bin", 1)
    archive = open_zip(data, max_unpacked_bytes=6000)
    with pytest.raises(UnsafeArchive):
        unpack_all(archive)


def test_crc_mismatch_is_damage():
    data = bytearray(pb.zip_bytes({"a.txt": b"hello world"}, compression=zipfile.ZIP_STORED))
    data[data.find(b"hello world")] = ord("j")
    with pytest.raises(UnsafeArchive, match=r"entry 'a.txt' is damaged \(CRC mismatch\)"):
        unpack_all(open_zip(bytes(data)))


def test_not_a_zip_and_truncated_zip():
    with pytest.raises(UnsafeArchive, match="not a zip archive"):
        open_zip(b"just some text")
    data = pb.zip_bytes({"a.bin": os.urandom(5000)})
    with pytest.raises(UnsafeArchive, match="outside the file"):
        open_zip(data[:2000] + data[-22:])


def test_duplicate_paths_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "1")
        zf.writestr("./a.txt", "2")
    with pytest.raises(UnsafeArchive, match="entry 'a.txt' appears twice in the package"):
        open_zip(buf.getvalue())


def test_zip64_archive_reads():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("big.txt", "w", force_zip64=True) as out:
            out.write(b"data" * 1000)
    assert unpack_all(open_zip(buf.getvalue())) == {"big.txt": b"data" * 1000}
