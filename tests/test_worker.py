"""Job runners: embedded threads behind a live server, and `courseport worker` processes.

PostgreSQL tests run real procrastinate worker subprocesses against the test database; SQLite
tests run the embedded claim loop. Waiting is bounded polling of the job rows, never a fixed sleep.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import IO

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from courseport import cli, distributed
from courseport.core.jobs import diagnostics, jobs
from courseport.db import transaction
from courseport.schema import Course, Job
from courseport.worker import JobRunner
from tests.conftest import LiveServer

ON_PG = bool(os.environ.get("COURSEPORT_TEST_DATABASE_URL"))
requires_pg = pytest.mark.skipif(not ON_PG, reason="procrastinate workers need PostgreSQL: "
                                                   "set COURSEPORT_TEST_DATABASE_URL=postgresql://...")
sqlite_only = pytest.mark.skipif(ON_PG, reason="on PostgreSQL `courseport worker` is procrastinate (tested above)")


STARTUP = 90  # seconds: waits that include starting a worker process (imports are slow on a busy machine)


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> object:
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def job_row(engine, job_id: int) -> Job:
    with transaction(engine, write=False) as db:
        return jobs.get_job(db, job_id)


def marker_of(engine, marker: str) -> dict | None:
    with transaction(engine, write=False) as db:
        return diagnostics.read_marker(db, marker)


def queue_sleep(engine, seconds: float, steps: int, **kw) -> tuple[int, str]:
    marker = uuid.uuid4().hex
    with transaction(engine, write=True) as db:
        return diagnostics.queue_sleep(db, seconds, steps, marker=marker, **kw).id, marker


def pid_of(worker_id: str) -> int:
    """Worker ids read host:pid:slot."""
    return int(worker_id.split(":")[1])


class Workers:
    """`courseport worker` subprocesses against the test database, stopped after the test."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.procs: list[subprocess.Popen] = []

    def start(self, *, concurrency: int = 1, lease_seconds: float = 5, env: dict[str, str] | None = None,
              cwd: str | None = None, log: IO[str] | None = None) -> subprocess.Popen:
        """Start `courseport worker` on the test store's data folder (and database), from `cwd`,
        its output piped (or written to `log`)."""
        where = ["--data-dir", str(self.settings.data_dir)]
        if self.settings.database_url:
            where += ["--database-url", self.settings.database_url]
        clean = {k: v for k, v in os.environ.items() if not k.startswith("COURSEPORT_")}
        proc = subprocess.Popen(
            [sys.executable, "-m", "courseport.cli", "worker", *where, "--concurrency", str(concurrency),
             "--lease-seconds", str(lease_seconds)],
            stdout=log or subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**clean, **(env or {})}, cwd=cwd)
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def registered_workers(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT count(*) FROM procrastinate_workers"))


@pytest.fixture
def workers(world, settings) -> Iterator[Workers]:
    if ON_PG:
        # Earlier tests ran jobs in manual mode and left their deliveries and dead workers behind.
        with world.engine.begin() as conn:
            conn.execute(text("TRUNCATE procrastinate_jobs, procrastinate_events, procrastinate_periodic_defers, "
                              "procrastinate_workers"))
    running = Workers(settings)
    yield running
    running.stop()


def deliveries_of(engine, job_id: int) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(text("SELECT status::text FROM procrastinate_jobs WHERE task_name = :task "
                                      "AND (args->>'job_id')::int = :id ORDER BY id"),
                                 {"task": "courseport.run_job", "id": job_id}))


@requires_pg
def test_a_job_and_its_procrastinate_delivery_commit_or_roll_back_together(world, workers):
    with pytest.raises(RuntimeError):
        with transaction(world.engine, write=True) as db:
            lost = diagnostics.queue_sleep(db, 0, 1).id
            raise RuntimeError("the request failed after queueing its job")
    kept, _ = queue_sleep(world.engine, 0, 1)
    with transaction(world.engine, write=False) as db:
        assert db.get(Job, lost) is None
    assert deliveries_of(world.engine, lost) == []
    assert deliveries_of(world.engine, kept) == ["todo"]


@requires_pg
def test_a_worker_process_runs_a_job_a_request_committed(world, workers):
    course = world.course("Rolled over")
    proc = workers.start()
    with world.client(world.admin_token) as c:
        queued = c.put("/api/v1/accounts/1/courses", data={"event": "conclude", "course_ids[]": [str(course.id)]})
        assert queued.status_code == 200, queued.text
        job_id = queued.json()["id"]
        wait_for(lambda: job_row(world.engine, job_id).state == "completed", STARTUP, "the worker to finish the job")
        done = c.get(f"/api/v1/progress/{job_id}").json()
    assert (done["workflow_state"], done["completion"]) == ("completed", 100.0)
    assert done["results"] == {"updated_course_ids": [course.id], "failed_course_ids": [], "errors": {}}
    job = job_row(world.engine, job_id)
    assert (pid_of(job.worker_id), job.attempts) == (proc.pid, 1)
    with transaction(world.engine, write=False) as db:
        assert db.get(Course, course.id).workflow_state == "completed"
    assert deliveries_of(world.engine, job_id) == []  # a delivered job leaves procrastinate's table


@requires_pg
def test_two_worker_processes_never_run_the_same_job(world, workers):
    procs = [workers.start(concurrency=2), workers.start(concurrency=2)]
    wait_for(lambda: registered_workers(world.engine) == 2, STARTUP, "both workers to register")
    queued: list[tuple[int, str]] = []
    with transaction(world.engine, write=True) as db:
        for _ in range(10):
            job = diagnostics.queue_sleep(db, 0.3, 3, marker=uuid.uuid4().hex)
            distributed.defer_in_transaction(db, job)  # a second delivery of the same row races the first
            queued.append((job.id, job.payload["marker"]))
    ids = [job_id for job_id, _ in queued]
    wait_for(lambda: all(job_row(world.engine, i).state == "completed" for i in ids), STARTUP, "every job to finish")
    rows = [job_row(world.engine, i) for i in ids]
    assert [row.attempts for row in rows] == [1] * 10
    assert [marker_of(world.engine, marker)["runs"] for _, marker in queued] == [1] * 10
    assert {pid_of(row.worker_id) for row in rows} == {p.pid for p in procs}  # both took jobs
    assert all(deliveries_of(world.engine, i) == [] for i in ids)  # the duplicates were delivered too


@sqlite_only
def test_the_worker_command_runs_the_embedded_claim_loop_on_sqlite(world, workers):
    proc = workers.start(concurrency=1)
    job_id, marker = queue_sleep(world.engine, 0, 2)
    wait_for(lambda: job_row(world.engine, job_id).state == "completed", STARTUP, "the worker to finish the job")
    job = job_row(world.engine, job_id)
    assert (pid_of(job.worker_id), job.attempts, job.result["steps"]) == (proc.pid, 1, 2)
    assert marker_of(world.engine, marker)["runs"] == 1
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0


def test_the_worker_command_refuses_a_database_without_the_schema(tmp_path):
    result = CliRunner().invoke(cli.main, ["worker", "--data-dir", str(tmp_path)],
                                env={"COURSEPORT_DATABASE_URL": None, "COURSEPORT_DATA_DIR": None})
    assert (result.exit_code, result.output) == (
        1, "Error: the database schema is not up to date: run `courseport db upgrade` first\n")


@pytest.fixture
def threads_server(services) -> Iterator[LiveServer]:
    """A second live server on the same store, running jobs in its embedded worker threads."""
    threaded = replace(services, settings=services.settings.with_changes(job_mode="threads", job_threads=2))
    threaded.jobs = JobRunner(threaded)
    server = LiveServer(threaded)
    server.start()
    yield server
    server.stop()


def test_embedded_threads_run_a_job_a_request_committed(world, threads_server):
    course = world.course("Threaded", offer=False)
    with world.client(world.admin_token) as c:
        c.base_url = threads_server.base_url
        queued = c.put("/api/v1/accounts/1/courses", data={"event": "offer", "course_ids[]": [str(course.id)]})
        assert queued.status_code == 200, queued.text
        job_id = queued.json()["id"]
        wait_for(lambda: c.get(f"/api/v1/progress/{job_id}").json()["workflow_state"] == "completed", 10,
                 "the server's threads to finish the job")
    job = job_row(world.engine, job_id)
    assert (pid_of(job.worker_id), job.attempts, job.result["updated_course_ids"]) == (os.getpid(), 1, [course.id])
    with transaction(world.engine, write=False) as db:
        assert db.get(Course, course.id).workflow_state == "available"


def test_external_job_mode_starts_no_threads(services):
    external = replace(services, settings=services.settings.with_changes(job_mode="external"))
    def job_threads() -> list[str]:
        return [t.name for t in threading.enumerate() if t.name.startswith("courseport-job-")]

    before = job_threads()
    runner = JobRunner(external)
    runner.start()
    try:
        assert job_threads() == before
    finally:
        runner.stop()
