"""Scale-out proof (PostgreSQL and S3 only): two `courseport serve` processes and two `courseport worker`
processes on one database and one S3 store (moto in server mode). A mixed load goes through both servers
(course copies, SCORM package imports, blueprint syncs, file uploads, reads); a worker is SIGKILLed in the
middle of a copy and another in the middle of an import, and a replacement worker starts. Then every
acknowledged write is read back through the other server, every job has ended (completed, or failed with a
reason), no course is half copied, and after a GC every blob in the store is one a row refers to."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from courseport import cli
from courseport.blobs import open_blob_store
from courseport.db import make_engine, transaction
from courseport.schema import Blob, BlobPin, ContentItem, File, Job, PackageFile
from courseport.schema.base import utcnow
from courseport.settings import Settings
from tests.s3_server import new_bucket, s3_endpoint  # noqa: F401 - the session fixture
from tests.test_cli import _free_port, _wait_for_health
from tests.test_s3_serve import PACKAGE_FOLDERS, courseport
from tests.test_worker import STARTUP, Workers, job_row, pid_of, requires_pg, wait_for, workers  # noqa: F401
from tests.test_worker_copy import _insert

pytestmark = requires_pg
LEASE = 3.0  # seconds: a killed worker's jobs are taken over this long after its last heartbeat
BIG_COPY_PAGES = 6000  # enough for the copy to be seen in progress for a few seconds
PACKAGES = ["RunTimeAdvancedCalls_SCORM20043rdEdition.zip", "SequencingRandomTest_SCORM20043rdEdition.zip",
            "RuntimeBasicCalls_SCORM12.zip", "ContentPackagingSingleSCO_SCORM12.zip"]
ENDED = ("completed", "failed")


def package(name: str) -> Path:
    found = next((folder / name for folder in PACKAGE_FOLDERS if (folder / name).exists()), None)
    if found is None:
        pytest.skip(f"{name} is not in shared/packages on this machine")
    return found


@dataclass
class Server:
    proc: subprocess.Popen
    base: str
    canvas: httpx.Client
    scorm: httpx.Client


@dataclass
class Ledger:
    """What the servers acknowledged (2xx), to be found again at the end; failures of the load itself."""

    courses: dict[int, str] = field(default_factory=dict)
    pages: dict[tuple[int, str], str] = field(default_factory=dict)
    files: dict[int, str] = field(default_factory=dict)  # file id -> sha256 of the bytes uploaded
    copies: dict[int, tuple[int, int]] = field(default_factory=dict)  # job id -> (source, target)
    imports: dict[str, str] = field(default_factory=dict)  # import job id -> package name
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, answer: httpx.Response, what: str) -> dict:
        if not answer.is_success:
            with self.lock:
                self.errors.append(f"{what}: {answer.status_code} {answer.text[:300]}")
            raise AssertionError(self.errors[-1])
        return answer.json()


def launch_server(data_dir: Path, blob_url: str, database_url: str) -> tuple[subprocess.Popen, str]:
    data_dir.mkdir()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSEPORT_")}
    return subprocess.Popen(courseport("serve", "--port", str(port), "--data-dir", str(data_dir),
                                       "--workers", "1", "--no-demo", "--job-mode", "external", "--blob-url", blob_url,
                                       "--database-url", database_url),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env), \
        f"http://127.0.0.1:{port}"


def start_servers(tmp_path: Path, blob_url: str, database_url: str) -> list[Server]:
    """Two servers; the second is launched once the first has prepared the store (credentials.json written:
    the bootstrap admin and its clients exist), so they do not both create them."""
    procs = [launch_server(tmp_path / "a", blob_url, database_url)]
    wait_for(lambda: (tmp_path / "a" / "credentials.json").exists() or procs[0][0].poll() is not None, STARTUP,
             "the first server to prepare the store")
    procs.append(launch_server(tmp_path / "b", blob_url, database_url))
    return [ready(proc, base, tmp_path / name) for (proc, base), name in zip(procs, "ab", strict=True)]


def ready(proc: subprocess.Popen, base: str, data_dir: Path) -> Server:
    _wait_for_health(proc, base, timeout=STARTUP)
    creds = json.loads((data_dir / "credentials.json").read_text())
    return Server(proc, base, httpx.Client(base_url=f"{base}/api/v1", timeout=60,
                                           headers={"Authorization": f"Bearer {creds['canvas']['token']}"}),
                  httpx.Client(base_url=f"{base}/api/v2", timeout=60,
                               auth=(creds["scorm_cloud"]["app_id"], creds["scorm_cloud"]["secret_key"])))


def new_course(server: Server, ledger: Ledger, name: str, **extra) -> int:
    course = ledger.check(server.canvas.post("/accounts/1/courses", json={"course": {"name": name, **extra}}),
                          "create course")
    with ledger.lock:
        ledger.courses[course["id"]] = name
    return course["id"]


def new_page(server: Server, ledger: Ledger, course_id: int, title: str) -> None:
    body = f"<p>{title} body</p>"
    page = ledger.check(server.canvas.post(f"/courses/{course_id}/pages",
                                           json={"wiki_page": {"title": title, "body": body, "published": True}}),
                        "create page")
    with ledger.lock:
        ledger.pages[(course_id, page["url"])] = body


def upload(via: Server, to: Server, ledger: Ledger, course_id: int, n: int) -> None:
    """Step 1 on one server, the bytes to the upload URL it handed out, which is the other's."""
    data = os.urandom(64 * 1024 + n)
    step1 = ledger.check(via.canvas.post(f"/courses/{course_id}/files", json={"name": f"f{n}.bin", "size": len(data)}),
                         "upload step 1")
    url = to.base + "/" + step1["upload_url"].split("/", 3)[3]
    step2 = ledger.check(httpx.post(url, data=step1["upload_params"], files={"file": (f"f{n}.bin", data)},
                                    timeout=60), "upload step 2")
    with ledger.lock:
        ledger.files[step2["id"]] = hashlib.sha256(data).hexdigest()


def queue_copy(server: Server, ledger: Ledger, source: int, target: int) -> int:
    job = ledger.check(server.canvas.post(f"/courses/{target}/course_copy", data={"source_course": str(source)}),
                       "queue copy")
    with ledger.lock:
        ledger.copies[job["id"]] = (source, target)
    return job["id"]


def queue_import(server: Server, ledger: Ledger, name: str, course: str) -> str:
    path = package(name)
    queued = ledger.check(server.scorm.post("/courses/importJobs/upload", params={"courseId": course},
                                            files={"file": (path.name, path.read_bytes(), "application/zip")}),
                          "queue import")
    with ledger.lock:
        ledger.imports[queued["result"]] = name
    return queued["result"]


def build_pages(engine, course_id: int, n: int) -> None:
    """A large source course, written straight to the database (its writing is not what is tested)."""
    now = utcnow()
    rows = [{"course_id": course_id, "type": "page", "position": i + 1, "title": f"page {i}", "slug": f"page-{i}",
             "body": "<p>Reading.</p>", "workflow_state": "published", "data": {}, "local_edits": {},
             "field_hashes": {}, "created_at": now, "updated_at": now, "parent_id": None, "ref_id": None}
            for i in range(n)]
    with transaction(engine, write=True) as db:
        _insert(db, rows)


def items_of(engine, course_id: int) -> int:
    with transaction(engine, write=False) as db:
        return db.scalar(select(func.count()).select_from(ContentItem).where(ContentItem.course_id == course_id,
                                                                            ContentItem.workflow_state != "deleted"))


def holder(engine, job_id: int, at_least: float) -> int | None:
    """The pid of the worker running `job_id` once it reported progress (`at_least` percent, and a
    message: the handler itself wrote it) and is not done."""
    job = job_row(engine, job_id)
    if job.state == "running" and job.worker_id and job.message and at_least <= job.progress < 100:
        return pid_of(job.worker_id)
    return None


def kill_mid_job(engine, pool: Workers, queue: Callable[[], int], at_least: float, tries: int = 4) -> int:
    """Queue a job, SIGKILL the worker running it once it is observably in progress (still running under the
    dead pid after the kill), start a replacement worker. Returns the job id."""
    for _ in range(tries):
        job_id = queue()
        pid = wait_for(lambda j=job_id: holder(engine, j, at_least) or job_row(engine, j).state in ENDED, STARTUP,
                       f"job {job_id} to be in progress")
        if pid is True:
            continue  # it finished between two polls: a bigger chance next time
        proc = next(p for p in pool.procs if p.pid == pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        job = job_row(engine, job_id)
        if (job.state, pid_of(job.worker_id or "x:0")) == ("running", pid):
            start_worker(pool)
            return job_id
        start_worker(pool)
    raise AssertionError(f"no job was caught in progress in {tries} tries")


def start_worker(pool: Workers) -> subprocess.Popen:
    return pool.start(concurrency=1, lease_seconds=LEASE, env={"COURSEPORT_BLOB_URL": pool.blob_url},
                      log=subprocess.DEVNULL)  # type: ignore[arg-type]


def background_load(servers: list[Server], ledger: Ledger, stop: threading.Event, sources: list[int]) -> None:
    """Small writes and reads, alternating servers, until `stop`: courses, pages, uploads, copies, reads."""
    n = 0
    while not stop.is_set():
        a, b = servers[n % 2], servers[(n + 1) % 2]
        try:
            course = new_course(a, ledger, f"Load {n}")
            new_page(b, ledger, course, f"Load page {n}")
            upload(a, b, ledger, course, n)
            if n % 3 == 0:
                queue_copy(b, ledger, sources[n % len(sources)], new_course(a, ledger, f"Copy target {n}"))
            ledger.check(b.canvas.get(f"/courses/{course}"), "read course")
            ledger.check(a.canvas.get("/courses", params={"per_page": 50}), "list courses")
        except (AssertionError, httpx.HTTPError) as exc:
            with ledger.lock:
                ledger.errors.append(f"load step {n}: {exc}")
        n += 1


def blueprint(server: Server, ledger: Ledger, n: int) -> tuple[int, list[int]]:
    bp = new_course(server, ledger, f"Blueprint {n}")
    ledger.check(server.canvas.put(f"/courses/{bp}", json={"course": {"blueprint": True}}), "make blueprint")
    for name in ("Essay", "Lab"):
        ledger.check(server.canvas.post(f"/courses/{bp}/assignments",
                                        json={"assignment": {"name": name, "points_possible": 10,
                                                             "published": True}}), "blueprint assignment")
    kids = [new_course(server, ledger, f"Section {n}.{k}") for k in range(3)]
    ledger.check(server.canvas.put(f"/courses/{bp}/blueprint_templates/default/update_associations",
                                   data={"course_ids_to_add[]": [str(k) for k in kids]}), "associate")
    return bp, kids


def sync(server: Server, ledger: Ledger, bp: int) -> int:
    migration = ledger.check(server.canvas.post(f"/courses/{bp}/blueprint_templates/default/migrations"), "sync")
    return migration["id"]


@pytest.fixture
def pool(workers: Workers, s3_endpoint: str) -> Iterator[Workers]:  # noqa: F811
    workers.blob_url = f"s3://{new_bucket(s3_endpoint)}/several"  # type: ignore[attr-defined]
    yield workers


def test_two_servers_and_two_workers_lose_nothing_when_workers_are_killed(world, pool, tmp_path):
    database_url = os.environ["COURSEPORT_TEST_DATABASE_URL"]
    engine = world.engine
    with transaction(engine, write=False) as db:
        baseline = db.scalar(select(func.coalesce(func.max(Job.id), 0)))
    for _ in range(2):
        start_worker(pool)  # they start while the servers do
    servers = start_servers(tmp_path, pool.blob_url, database_url)
    ledger, stop = Ledger(), threading.Event()
    try:
        big = new_course(servers[0], ledger, "Big source")
        build_pages(engine, big, BIG_COPY_PAGES)
        small = new_course(servers[1], ledger, "Small source")
        for k in range(3):
            new_page(servers[k % 2], ledger, small, f"Small page {k}")
        blueprints = [blueprint(servers[n], ledger, n) for n in range(2)]
        load = threading.Thread(target=background_load, args=(servers, ledger, stop, [small]), daemon=True)
        load.start()
        syncs = [(bp, sync(servers[n], ledger, bp)) for n, (bp, _) in enumerate(blueprints)]
        imports = [queue_import(servers[1], ledger, PACKAGES[3], "quiet-import")]
        killed_copy = kill_mid_job(engine, pool, lambda: queue_copy(
            servers[0], ledger, big, new_course(servers[1], ledger, "Big copy target")), at_least=0)
        tries = iter(range(10))

        def an_import() -> int:
            n = next(tries)
            return int(queue_import(servers[n % 2], ledger, PACKAGES[n % 3], f"killed-import-{n}"))

        killed_import = kill_mid_job(engine, pool, an_import, at_least=5)
        stop.set()
        load.join(timeout=60)
        wait_for(lambda: all(j.state in ENDED for j in jobs_since(engine, baseline)), 90, "every job to end")
        check_jobs(engine, baseline, killed_copy, killed_import)
        check_copies(engine, ledger, big)
        check_syncs(servers, ledger, syncs, blueprints)
        check_imports(servers, ledger, imports)
        check_writes(servers, ledger)
        check_blobs(engine, pool.blob_url, database_url, tmp_path)
    finally:
        stop.set()
        for server in servers:
            server.proc.terminate()
        for server in servers:
            server.proc.communicate(timeout=30)


def jobs_since(engine, baseline: int) -> list[Job]:
    with transaction(engine, write=False) as db:
        return list(db.scalars(select(Job).where(Job.id > baseline).order_by(Job.id)))


def check_jobs(engine, baseline: int, killed_copy: int, killed_import: int) -> None:
    every = jobs_since(engine, baseline)
    assert {j.kind for j in every} >= {"course_copy", "package_import", "blueprint_sync"}, {j.kind for j in every}
    for job in every:
        assert job.state in ENDED and job.lease_until is None, (job.id, job.kind, job.state)
        assert job.state == "completed" or job.error, (job.id, job.kind, job.error)
    for job_id in (killed_copy, killed_import):
        job = job_row(engine, job_id)
        assert (job.state, job.attempts, job.error) == ("completed", 2, None), (job_id, job.state, job.error)


def check_copies(engine, ledger: Ledger, big: int) -> None:
    """A copy that completed holds the whole source; one that failed holds nothing (no half copies)."""
    assert len(ledger.copies) >= 2, ledger.errors
    for job_id, (source, target) in ledger.copies.items():
        job, wanted = job_row(engine, job_id), items_of(engine, source)
        assert items_of(engine, target) == (wanted if job.state == "completed" else 0), (job_id, job.state)
    assert items_of(engine, big) == BIG_COPY_PAGES


def check_syncs(servers: list[Server], ledger: Ledger, syncs: list[tuple[int, int]],
                blueprints: list[tuple[int, list[int]]]) -> None:
    for (bp, migration_id), (_, kids) in zip(syncs, blueprints, strict=True):
        shown = ledger.check(servers[1].canvas.get(f"/courses/{bp}/blueprint_templates/default/migrations/"
                                                   f"{migration_id}"), "read sync")
        assert shown["workflow_state"] == "completed", shown
        for kid in kids:
            names = {a["name"] for a in ledger.check(servers[0].canvas.get(f"/courses/{kid}/assignments"), "read")}
            assert names == {"Essay", "Lab"}, (kid, names)


def check_imports(servers: list[Server], ledger: Ledger, quiet: list[str]) -> None:
    """Every import ended; a completed one serves every file of its package, byte for byte."""
    assert quiet
    for import_id, name in ledger.imports.items():
        status = ledger.check(servers[0].scorm.get(f"/courses/importJobs/{import_id}"), "import status")
        assert status["status"] in ("COMPLETE", "ERROR"), status
        if status["status"] == "ERROR":
            assert status.get("message"), status
            continue
        course_id = status["importResult"]["course"]["id"] if "importResult" in status else None
        with zipfile.ZipFile(package(name)) as archive:
            wanted = {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}
        for member, content in list(wanted.items())[:: max(1, len(wanted) // 20)]:
            got = servers[1].scorm.get(f"/courses/{course_id}/asset", params={"relativePath": member})
            assert got.status_code == 200 and got.content == content, (name, member, got.status_code)


def check_writes(servers: list[Server], ledger: Ledger) -> None:
    assert not ledger.errors, ledger.errors
    assert len(ledger.files) >= 2 and len(ledger.pages) >= 2
    for course_id, name in ledger.courses.items():
        assert ledger.check(servers[course_id % 2].canvas.get(f"/courses/{course_id}"), "read")["name"] == name
    for (course_id, url), body in ledger.pages.items():
        page = ledger.check(servers[course_id % 2].canvas.get(f"/courses/{course_id}/pages/{url}"), "read page")
        assert page["body"] == body
    for file_id, sha in ledger.files.items():
        got = servers[file_id % 2].canvas.get(f"/files/{file_id}/download", follow_redirects=True)
        assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == sha, file_id


def check_blobs(engine, blob_url: str, database_url: str, tmp_path: Path) -> None:
    """After a GC the store holds exactly the blobs rows refer to; no pin of an ended job is left."""
    gc = CliRunner().invoke(cli.main, ["blobs", "gc", "--data-dir", str(tmp_path / "a"), "--blob-url", blob_url,
                                       "--grace-seconds", "0", "--database-url", database_url])
    assert gc.exit_code == 0, gc.output
    settings = Settings(data_dir=tmp_path / "a", database_url=database_url, blob_url=blob_url)
    own = make_engine(database_url)
    try:
        stored = set(open_blob_store(settings, own).aged(time.time() + 3600))
    finally:
        own.dispose()
    with transaction(engine, write=False) as db:
        referenced = set(db.scalars(select(File.blob_sha256).where(File.blob_sha256.is_not(None)))) | set(
            db.scalars(select(PackageFile.blob_sha256)))
        rows = set(db.scalars(select(Blob.sha256)))
        assert db.scalar(select(func.count()).select_from(BlobPin)) == 0
    assert referenced and stored == referenced == rows, (stored - referenced, referenced - stored, rows - stored)
