"""The BlobStore contract, the same tests on the local folder and on S3 (moto in server mode): content
addressing, streaming both ways, limits, aborts, ages, the collector and what a killed writer leaves."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from courseport import s3_multipart
from courseport.blob_s3 import AdvisoryLocks
from courseport.blobs import BlobStore, FileLocks, LocalBlobStore, StoredBlob, TooLarge, open_blob_store
from courseport.core.content import file_uploads
from courseport.core.kit.blob_lifecycle import collect
from courseport.schema import User
from courseport.settings import Settings
from tests.s3_server import new_bucket, s3_endpoint  # noqa: F401 - the session fixture

BIG = 9 * 1024 * 1024  # over one S3 part (blob_s3.PART_BYTES): a multipart upload


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path) -> BlobStore:
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs")
    endpoint = request.getfixturevalue("s3_endpoint")
    settings = Settings(data_dir=tmp_path, blob_url=f"s3://{new_bucket(endpoint)}/some/prefix")
    return open_blob_store(settings, request.getfixturevalue("services").engine)  # PostgreSQL: advisory locks


def stored(store: BlobStore) -> list[str]:
    return sorted(store.aged(time.time() + 60))


def leftovers(store: BlobStore) -> int:
    """How many temp files, keys or uploads were left (sweeping them)."""
    return store.sweep_temp(time.time() + 60)


def uploads(store: BlobStore) -> list[tuple[s3_multipart.Upload, datetime]]:
    """The multipart uploads under the S3 store's tmp/ and when each last received a part."""
    creds = s3_multipart.Credentials.from_env()
    bucket, prefix = store.url.removeprefix("s3://").split("/", 1)
    base = s3_multipart.bucket_base(bucket, creds.region)
    with httpx.Client() as client:
        return [(u, s3_multipart.last_activity(client, f"{base}/{u.key}", u, creds))
                for u in s3_multipart.list_uploads(client, base, f"{prefix}/tmp/", creds)]


def wait_for_a_part(store: BlobStore) -> None:
    """obstore sends parts in the background: wait until the killed writer's first one has arrived."""
    deadline = time.monotonic() + 10
    while not any(last.year >= 2026 for _, last in uploads(store)):  # moto dates the upload itself 2010
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_put_stream_stores_once_by_content(store):
    sha = hashlib.sha256(b"hello world").hexdigest()
    assert store.put_stream([b"hello ", b"world"]) == StoredBlob(sha, 11, 11)
    assert store.put_stream([b"hello world"]) == StoredBlob(sha, 11, 0)
    assert stored(store) == [sha]
    assert b"".join(store.open_chunks(sha)) == b"hello world"
    assert store.exists(sha) and not store.exists("0" * 64)
    assert leftovers(store) == 0


def test_over_the_limit_keeps_nothing(store):
    with pytest.raises(TooLarge):
        store.put_stream([b"12345", b"6"], max_bytes=5)
    assert stored(store) == [] and leftovers(store) == 0
    assert store.put_stream([b"12345"], max_bytes=5).size == 5


def test_pushed_chunks_and_aborts(store):
    writer = store.open_writer(max_bytes=10)
    for chunk in (b"ab", b"", b"cd"):
        writer.write(chunk)
    blob = writer.finish()
    writer.abort()  # a no-op once finished
    assert blob == StoredBlob(hashlib.sha256(b"abcd").hexdigest(), 4, 4)
    aborted = store.open_writer()
    aborted.write(b"x" * BIG)  # a multipart upload under way on S3
    aborted.abort()
    assert stored(store) == [blob.sha256] and leftovers(store) == 0


def test_a_large_blob_streams_in_and_out_in_chunks(store):
    data = os.urandom(BIG)
    writer = store.open_writer()
    for start in range(0, BIG, 64 * 1024):
        writer.write(data[start:start + 64 * 1024])
    blob = writer.finish()
    assert blob == StoredBlob(hashlib.sha256(data).hexdigest(), BIG, BIG)
    chunks = list(store.open_chunks(blob.sha256))
    assert len(chunks) > 1 and b"".join(chunks) == data
    with store.local_file(blob.sha256) as path:
        assert Path(path).read_bytes() == data
    assert leftovers(store) == 0  # the local copy went with its block


def test_delete_and_missing_blobs(store):
    sha = store.put_stream([b"gone soon"]).sha256
    store.delete(sha)
    store.delete(sha)  # deleting what is gone is no error
    assert not store.exists(sha) and stored(store) == []
    with pytest.raises(FileNotFoundError):
        b"".join(store.open_chunks(sha))
    assert not store.is_aged(sha, time.time() + 60)


def test_ages_count_from_the_last_writer_that_finished(store):
    sha = store.put_stream([b"aging"]).sha256
    assert not store.is_aged(sha, time.time() - 60)
    time.sleep(2.1 if not isinstance(store, LocalBlobStore) else 0.05)  # S3 keeps LastModified to the second
    cutoff = time.time()
    assert store.is_aged(sha, cutoff) and list(store.aged(cutoff)) == [sha]
    time.sleep(0.05)  # file times come from the kernel's coarse clock, a few ms behind time.time()
    assert store.put_stream([b"aging"]).bytes_written == 0  # found stored: handed out again, so young
    assert not store.is_aged(sha, cutoff) and list(store.aged(cutoff)) == []


def test_one_collector_at_a_time(store):
    with store.collecting() as first, store.collecting() as second:
        assert (first, second) == (True, False)
    with store.collecting() as again:
        assert again


def test_a_writer_finishing_waits_while_the_collector_deletes(store):
    finished = threading.Event()
    with store.exclusive():
        writer = threading.Thread(target=lambda: (store.put_stream([b"late"]), finished.set()))
        writer.start()
        assert not finished.wait(0.5)
    writer.join(timeout=30)
    assert finished.is_set()


def test_collect_keeps_referenced_blobs_and_removes_the_rest(store, world):
    course = world.course()
    with world.tx() as db:
        kept = file_uploads.add_file(db, db.get(User, world.admin.id), course.id, "keep.txt", b"keep me", store)
    dropped = store.put_stream([b"nothing refers to me"]).sha256
    assert collect(world.engine, store).blobs == 0  # both younger than the grace period
    report = collect(world.engine, store, grace=0, now=time.time() + 2)  # S3 ages are whole seconds
    assert report.blobs == 1 and report.ran
    assert stored(store) == [kept.blob_sha256] and not store.exists(dropped)
    assert b"".join(store.open_chunks(kept.blob_sha256)) == b"keep me"


def test_what_a_killed_writer_left_goes_once_stale(store):
    killed = store.open_writer()
    killed.write(b"y" * BIG)  # parts uploaded on S3, a temp file locally; then the process dies:
    local = isinstance(store, LocalBlobStore)
    if not local:
        wait_for_a_part(store)
    del killed  # nothing finishes or aborts it
    with store.local_file(store.put_stream([b"read by a killed import"]).sha256):
        if not local:  # an S3 blob read as a file is a spool copy, which a killed import leaves
            os.link(next(store.spool.iterdir()), store.spool / "left-by-a-killed-import.blob")
    assert store.sweep_temp(time.time() - 3600) == 0  # young leftovers stay: maybe still being written
    assert store.sweep_temp(time.time() + 60) == (1 if local else 2)  # the upload (and the spool file)
    assert leftovers(store) == 0


def test_s3_leftovers_include_multipart_uploads_and_temp_keys(s3_endpoint, tmp_path):  # noqa: F811
    import obstore

    store = open_blob_store(Settings(data_dir=tmp_path, blob_url=f"s3://{new_bucket(s3_endpoint)}/p"))
    killed = store.open_writer()
    killed.write(b"z" * BIG)
    obstore.put(store.s3, "tmp/completed-but-not-copied", b"x")
    wait_for_a_part(store)
    assert [u.key for u, _ in uploads(store)] == [f"p/{killed._tmp}"]
    assert store.sweep_temp(time.time() + 60) == 2
    assert uploads(store) == [] and list(obstore.list(store.s3, prefix="tmp/").collect()) == []
    del killed


def test_signature_v4_matches_botocore():
    auth = pytest.importorskip("botocore.auth")
    awsrequest = pytest.importorskip("botocore.awsrequest")
    credentials = pytest.importorskip("botocore.credentials")
    from datetime import UTC, datetime

    from courseport import s3_multipart

    creds = s3_multipart.Credentials("AKIDEXAMPLE", "secret/key", "session-token", "eu-west-1")
    url, query = "http://127.0.0.1:9000/bucket/p/tmp/abc", {"uploadId": "a+b/c=", "x": ""}
    request = awsrequest.AWSRequest("DELETE", f"{url}?{s3_multipart.canonical_query(query)}",
                                    headers={"x-amz-content-sha256": s3_multipart.EMPTY_SHA256})
    signer = auth.S3SigV4Auth(credentials.Credentials("AKIDEXAMPLE", "secret/key", "session-token"), "s3", "eu-west-1")
    signer.add_auth(request)
    signed_at = datetime.strptime(request.headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    ours = s3_multipart.signed_headers("DELETE", url, query, creds, signed_at)
    assert ours["authorization"] == request.headers["Authorization"]


def test_the_store_picks_its_locks(services, tmp_path, s3_endpoint):  # noqa: F811
    store = open_blob_store(Settings(data_dir=tmp_path, blob_url=f"s3://{new_bucket(s3_endpoint)}"), services.engine)
    wanted = AdvisoryLocks if services.engine.dialect.name == "postgresql" else FileLocks
    assert isinstance(store.locks, wanted)


def test_file_locks_share_one_folder(tmp_path):
    first, second = FileLocks(tmp_path), FileLocks(tmp_path)
    with first.collector() as mine, second.collector() as theirs:
        assert (mine, theirs) == (True, False)
