"""The blob lifecycle under concurrency: imports never delete each other's bytes, a re-run finds its
package, and the collector removes only what nothing refers to or holds."""

from __future__ import annotations

import hashlib
import os
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from courseport.core.content import file_uploads
from courseport.core.courses import org_units
from courseport.core.jobs import jobs
from courseport.core.kit.errors import DomainError
from courseport.core.packages import package_imports
from courseport.schema import Blob, File, Job, User
from courseport.schema.base import utcnow
from tests import package_builders as pb
from tests.dialects.d2l.cartridge import cartridge
from tests.scorm_app import ScormApp

PACKAGES = Path(__file__).resolve().parents[1].parent / "shared" / "packages"
PACKAGE = PACKAGES / "RunTimeAdvancedCalls_SCORM20043rdEdition.zip"  # 69 files


@pytest.fixture
def scorm(world):
    return ScormApp(world)


def package_bytes() -> bytes:
    if not PACKAGE.exists():
        pytest.skip(f"{PACKAGE} is not on this machine")
    return PACKAGE.read_bytes()


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(PACKAGE) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}


def assert_every_file_served(scorm: ScormApp, course_id: str, data: bytes) -> None:
    """Each file of the package, downloaded over HTTP, is the package's bytes."""
    wanted = entries(data)
    listed = scorm.http.get(f"/courses/{course_id}/asset/list").json()["files"]
    assert sorted(f["path"] for f in listed) == sorted(wanted)
    missing = []
    for path, content in wanted.items():
        try:
            got = scorm.http.get(f"/courses/{course_id}/asset", params={"relativePath": path})
            if got.status_code != 200 or got.content != content:
                missing.append(path)
        except Exception:  # noqa: BLE001 - missing bytes drop the connection mid-response
            missing.append(path)
    assert missing == []


def queued(scorm: ScormApp, data: bytes, course_id: str, **query) -> str:
    answer = scorm.upload(data, course_id, **query)
    assert answer.status_code == 200, answer.text
    return answer.json()["result"]


def test_a_late_failing_import_beside_a_valid_one_leaves_the_valid_course_whole(scorm, world, monkeypatch):
    """The failing import unpacks every shared file first; the valid one finds them stored; the
    failure happens before the valid one commits. Every file of the valid course keeps its bytes."""
    data = package_bytes()
    failing, valid = queued(scorm, data, "late-failure"), queued(scorm, data, "valid")
    real_unpack = package_imports._unpack
    failing_unpacked, may_fail = threading.Event(), threading.Event()

    def unpack(ctx, *args, **kwargs):  # noqa: ANN001, ANN202
        if ctx.payload["course_id"] == "late-failure":
            found = real_unpack(ctx, *args, **kwargs)
            failing_unpacked.set()
            assert may_fail.wait(60)
            raise DomainError("the package failed late")
        assert failing_unpacked.wait(60)
        found = real_unpack(ctx, *args, **kwargs)
        may_fail.set()
        failing_thread.join(60)  # the failed import has cleaned up after itself
        return found

    monkeypatch.setattr(package_imports, "_unpack", unpack)
    engine = world.engine
    failing_thread = threading.Thread(target=jobs.run_pending, args=(engine,),
                                      kwargs={"limit": 1, "services": world.services})
    failing_thread.start()  # claims the oldest job: the failing import
    assert failing_unpacked.wait(60)
    jobs.run_pending(engine, limit=1, services=world.services)
    failing_thread.join(60)
    assert scorm.job(failing)["status"] == "ERROR"
    assert scorm.job(valid)["status"] == "COMPLETE"
    assert_every_file_served(scorm, "valid", data)

    from courseport.core.kit.blob_lifecycle import collect

    collect(engine, world.services.blobs, grace=0)  # the package goes (its jobs ended), the files stay
    assert hashlib.sha256(data).hexdigest() not in on_disk(world.services.blobs)
    assert_every_file_served(scorm, "valid", data)


def test_identical_concurrent_uploads_all_import(scorm, world):
    data, count = package_bytes(), 8
    with ThreadPoolExecutor(count) as pool:
        ids = list(pool.map(lambda n: queued(scorm, data, f"same-{n}"), range(count)))
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: jobs.run_pending(world.engine, worker_id=f"w{_}", services=world.services),
                      range(4)))
    assert [scorm.job(job_id)["status"] for job_id in ids] == ["COMPLETE"] * count
    for n in range(count):
        assert_every_file_served(scorm, f"same-{n}", data)


def test_a_rerun_after_a_lost_attempt_finds_its_package(scorm, world):
    """The first attempt does all its work, then its worker dies before recording the outcome (a
    slow postback outlived the lease): the job runs again and must still find its package."""
    data = package_bytes()
    job_id = queued(scorm, data, "rerun", mayCreateNewVersion="true")
    ctx = jobs.claim(world.engine, "dying-worker", lease_seconds=60)
    ctx.services = world.services
    jobs.HANDLERS[package_imports.KIND](ctx)  # the work, without recording the outcome
    with world.tx() as db:
        db.execute(update(Job).where(Job.id == int(job_id)).values(lease_until=utcnow() - timedelta(minutes=5)))
    world.run_jobs()
    status = scorm.job(job_id)
    assert status["status"] == "COMPLETE", status
    assert status["importResult"]["course"]["version"] == 1
    assert_every_file_served(scorm, "rerun", data)


def test_a_retry_after_a_failed_attempt_finds_its_package_after_a_collection(scorm, world, monkeypatch):
    from courseport.core.kit.blob_lifecycle import collect

    data = package_bytes()
    job_id = queued(scorm, data, "retried")
    real_unpack, calls = package_imports._unpack, []

    def unpack(*args, **kwargs):  # noqa: ANN202
        found = real_unpack(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            collect(world.engine, world.services.blobs, grace=0)  # while the job runs: its blobs are pinned
            raise OSError("disk hiccup")  # not a DomainError: the job is retried
        return found

    monkeypatch.setattr(package_imports, "_unpack", unpack)
    world.run_jobs()
    with world.tx() as db:
        job = db.get(Job, int(job_id))
        assert (job.state, job.attempts) == ("completed", 2)
    collect(world.engine, world.services.blobs, grace=0)
    assert_every_file_served(scorm, "retried", data)


def test_queued_import_keeps_its_package_through_a_collection(scorm, world):
    from courseport.core.kit.blob_lifecycle import collect

    data = package_bytes()
    job_id = queued(scorm, data, "waiting")
    collect(world.engine, world.services.blobs, grace=0)
    world.run_jobs()
    assert scorm.job(job_id)["status"] == "COMPLETE"
    with world.tx() as db:
        assert db.scalars(select(Job.error).where(Job.id == int(job_id))).one() is None


# --- the collector -------------------------------------------------------------------------------

@pytest.fixture
def store(world):
    """The blob store with nothing left by earlier tests (their rows are gone with the reset)."""
    from courseport.core.kit.blob_lifecycle import collect

    collect(world.engine, world.services.blobs, grace=0)
    return world.services.blobs


def age_everything(store, seconds: float = 7200) -> None:
    """Make every stored blob and temp file look `seconds` old (older than the grace period)."""
    then = time.time() - seconds
    for path in store.root.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            os.utime(path, (then, then))


def on_disk(store) -> set[str]:
    return set(store.aged(time.time() + 60))


def d2l_import(world, target_id: int, package: bytes) -> str:
    """Import into the course `target_id` through the Valence face (by its org unit id)."""
    with world.tx() as db:
        target_ou = org_units.org_unit_id_of(db, org_units.COURSE_OFFERING, target_id)
    with world.client(world.admin_token) as http:
        answer = http.post(f"/d2l/api/le/unstable/import/{target_ou}/imports/",
                           files={"file": ("course.imscc", package)})
    assert answer.status_code == 200, answer.text
    return answer.json()["JobToken"]


def test_collect_keeps_referenced_and_held_blobs_and_removes_the_rest(scorm, world, store):
    from courseport.core.kit.blob_lifecycle import collect, pin_now

    engine, data = world.engine, package_bytes()
    imported = scorm.imported(data, "imported")  # its files are rows; its package's job has ended
    assert imported["status"] == "COMPLETE"
    waiting_package, d2l_package = pb.scorm12(title="Waiting"), cartridge()
    waiting = queued(scorm, waiting_package, "waiting")  # a queued job holds its package
    target = world.course("Target")
    d2l_token = d2l_import(world, target.id, d2l_package)  # a queued D2L import holds its package
    with world.tx() as db:
        admin = db.get(User, world.admin.id)
        canvas_file = file_uploads.add_file(db, admin, target.id, "notes.txt", b"my notes", store)
        running = jobs.enqueue(db, "test_running", {})
        running.state = "running"
    in_flight = store.put_stream([b"unpacked by a running job"]).sha256
    pin_now(engine, running.id, [in_flight])
    orphan = store.put_stream([b"nobody refers to me"]).sha256
    (store.root / "tmp" / "killed-upload").write_bytes(b"x" * 1000)
    package_sha = hashlib.sha256(data).hexdigest()
    waiting_sha, d2l_sha = hashlib.sha256(waiting_package).hexdigest(), hashlib.sha256(d2l_package).hexdigest()
    entry_shas = {hashlib.sha256(content).hexdigest() for content in entries(data).values()}
    kept = {package_sha, waiting_sha, d2l_sha, in_flight, orphan, canvas_file.blob_sha256}
    assert kept | entry_shas <= on_disk(store)

    assert collect(engine, store).blobs == 0  # everything is younger than the grace period
    age_everything(store)
    report = collect(engine, store)
    assert (report.blobs, report.temp_files) == (2, 1)  # the orphan and the ended import's package
    assert orphan not in on_disk(store) and package_sha not in on_disk(store)
    assert {waiting_sha, d2l_sha, in_flight, canvas_file.blob_sha256} | entry_shas <= on_disk(store)
    assert list((store.root / "tmp").iterdir()) == []
    assert_every_file_served(scorm, "imported", data)

    world.run_jobs()  # the queued imports end: their packages go with the next collection (policy)
    assert scorm.job(waiting)["status"] == "COMPLETE"
    with world.tx() as db:
        assert db.get(Job, int(d2l_token)).state == "completed"
        db.get(Job, running.id).state = "failed"
    age_everything(store)
    assert collect(engine, store).blobs == 3
    assert {waiting_sha, d2l_sha, in_flight} & on_disk(store) == set()
    with world.client(world.admin_token) as http:
        got = http.get(f"/api/v1/courses/{target.id}/files/{canvas_file.id}")
        assert got.status_code == 200
        assert http.get(got.json()["url"], follow_redirects=True).content == b"my notes"


def test_a_blob_found_again_by_a_writer_is_young_again(world, store):
    from courseport.core.kit.blob_lifecycle import collect

    sha = store.put_stream([b"shared bytes"]).sha256
    age_everything(store)
    assert store.put_stream([b"shared bytes"]).bytes_written == 0  # another upload of the same bytes
    assert collect(world.engine, store).blobs == 0  # its row may not be committed yet: kept
    assert sha in on_disk(store)


def test_blobs_gc_command(world, settings, store):
    from click.testing import CliRunner

    from courseport import cli

    kept = world.course("Kept")
    with world.tx() as db:
        canvas_file = file_uploads.add_file(db, db.get(User, world.admin.id), kept.id, "kept.txt", b"kept", store)
    orphan = store.put_stream([b"orphan for the command"]).sha256
    (store.root / "tmp" / "left-by-a-crash").write_bytes(b"y" * 100)
    args = ["blobs", "gc", "--data-dir", str(settings.data_dir)]
    if settings.database_url:
        args += ["--database-url", settings.database_url]
    young = CliRunner().invoke(cli.main, args)
    assert (young.exit_code, young.output) == (0, "removed 0 unreferenced blobs and 0 stale temp files\n")
    age_everything(store)
    answer = CliRunner().invoke(cli.main, args)
    assert (answer.exit_code, answer.output) == (0, "removed 1 unreferenced blobs and 1 stale temp files\n")
    assert orphan not in on_disk(store) and canvas_file.blob_sha256 in on_disk(store)


def test_the_services_collect_periodically(world, store):
    from courseport.services import BlobCollector

    assert world.services.collector._thread.is_alive()  # the serving app started its collector
    orphan = store.put_stream([b"collected in the background"]).sha256
    age_everything(store)
    collector = BlobCollector(world.engine, store, interval=0.05, first=0.0)
    collector.start()
    try:
        deadline = time.monotonic() + 30
        while orphan in on_disk(store) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        collector.stop()
    assert orphan not in on_disk(store)


def test_a_reference_committed_during_a_collection_wins(world, store, monkeypatch):
    """PostgreSQL: a file row committed between the collector's check and its delete keeps the blob
    (deleting the `blobs` row fails on the foreign key). SQLite serialises writers, so the check and
    the delete are one write transaction no reference can come between."""
    from courseport.core.kit import blob_lifecycle

    if world.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises the collector's transaction with every writer")
    target = world.course("Racing")
    with world.tx() as db:
        old = file_uploads.add_file(db, db.get(User, world.admin.id), target.id, "old.txt", b"raced", store)
        old_id, sha = old.id, old.blob_sha256
    with world.tx() as db:
        db.delete(db.get(File, old_id))  # the last reference goes...
    age_everything(store)
    real_live = blob_lifecycle._live

    def live_then_a_copy_commits(db, shas):  # noqa: ANN001, ANN202
        found = real_live(db, shas)
        with world.tx() as other:  # ...and a copy refers to the bytes again, committed at once
            other.add(File(uuid="copy-of-old", course_id=target.id, display_name="copy.txt", filename="copy.txt",
                           content_type="text/plain", size=5, blob_sha256=sha))
        return found

    monkeypatch.setattr(blob_lifecycle, "_live", live_then_a_copy_commits)
    assert blob_lifecycle.collect(world.engine, store).blobs == 0
    assert sha in on_disk(store)
    with world.tx() as db:
        assert db.get(Blob, sha) is not None
