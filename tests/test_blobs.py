"""LocalBlobStore: content addressing, dedupe, size limits, push-style writers, no temp leftovers."""

from __future__ import annotations

import hashlib
import os
import time

import pytest

from courseport.blobs import LocalBlobStore, StoredBlob, TooLarge


@pytest.fixture
def store(tmp_path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


def stored_files(store: LocalBlobStore) -> list[str]:
    return sorted(p.name for p in store.root.rglob("*") if p.is_file() and p.parent.name != "tmp"
                  and not p.name.startswith("."))


def leftovers(store: LocalBlobStore) -> list[str]:
    return [p.name for p in (store.root / "tmp").iterdir()]


def test_put_stream_stores_once_by_content(store):
    sha = hashlib.sha256(b"hello world").hexdigest()
    assert store.put_stream([b"hello ", b"world"]) == StoredBlob(sha, 11, 11)
    assert store.put_stream([b"hello world"]) == StoredBlob(sha, 11, 0)
    assert stored_files(store) == [sha]
    assert (store.root / sha[:2] / sha[2:4] / sha).read_bytes() == b"hello world"
    assert b"".join(store.open_chunks(sha)) == b"hello world"
    assert store.exists(sha)
    assert leftovers(store) == []


def test_put_stream_over_the_limit_keeps_nothing(store):
    with pytest.raises(TooLarge) as err:
        store.put_stream([b"12345", b"6"], max_bytes=5)
    assert err.value.max_bytes == 5
    assert stored_files(store) == []
    assert leftovers(store) == []
    assert store.put_stream([b"12345"], max_bytes=5).size == 5


def test_writer_takes_pushed_chunks(store):
    writer = store.open_writer(max_bytes=10)
    for chunk in (b"ab", b"", b"cd"):
        writer.write(chunk)
    blob = writer.finish()
    writer.abort()  # a no-op once finished
    assert blob == StoredBlob(hashlib.sha256(b"abcd").hexdigest(), 4, 4)
    assert b"".join(store.open_chunks(blob.sha256)) == b"abcd"
    assert leftovers(store) == []


def test_writer_aborted_or_failing_leaves_no_temp_file(store):
    writer = store.open_writer()
    writer.write(b"partial")
    writer.abort()
    with pytest.raises(RuntimeError), store.open_writer() as failing:
        failing.write(b"x")
        raise RuntimeError("parser failed")
    assert stored_files(store) == []
    assert leftovers(store) == []


def test_delete_and_bad_digests(store):
    blob = store.put_stream([b"gone"])
    store.delete(blob.sha256)
    store.delete(blob.sha256)
    assert not store.exists(blob.sha256)
    for bad in ("../../etc/passwd", "A" * 64, "0" * 63):
        with pytest.raises(ValueError):
            store.exists(bad)


def _age(path, seconds: float = 7200) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_finishing_stamps_the_blob_and_aged_lists_only_old_ones(store):
    old = store.put_stream([b"old"]).sha256
    young = store.put_stream([b"young"]).sha256
    _age(store.path_of(old))
    cutoff = time.time() - 3600
    assert list(store.aged(cutoff)) == [old]
    assert store.is_aged(old, cutoff) and not store.is_aged(young, cutoff)
    assert store.put_stream([b"old"]).bytes_written == 0  # found again: young again
    assert list(store.aged(cutoff)) == []
    assert not store.is_aged("0" * 64, cutoff)  # missing: never "aged"


def test_sweep_temp_removes_only_stale_temp_files(store):
    stale, live = store.root / "tmp" / "killed", store.open_writer()
    stale.write_bytes(b"x" * 100)
    _age(stale)
    live.write(b"in flight")
    assert store.sweep_temp(time.time() - 3600) == 1
    assert not stale.exists()
    assert live.finish().size == 9  # the writer in flight was left alone


def test_one_collector_at_a_time(store):
    with store.collecting() as first:
        with store.collecting() as second:
            assert (first, second) == (True, False)
    with store.collecting() as again:
        assert again
