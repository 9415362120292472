"""Operating `courseport worker`: the data folder rules of `serve`, a cut database connection, and an
unreachable database reported as such by serve, worker and db upgrade."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.pool import NullPool

from courseport import cli
from tests import package_builders as pb
from tests.scorm_app import ScormApp
from tests.test_worker import STARTUP, job_row, pid_of, queue_sleep, registered_workers, requires_pg, wait_for, workers  # noqa: F401

CLOSED = "postgresql://postgres@127.0.0.1:1/x"  # nothing listens on port 1


@pytest.mark.parametrize("command", [["db", "upgrade"], ["worker"], ["serve", "--port", "1", "--no-demo"]])
def test_an_unreachable_database_is_reported_as_such(tmp_path, command):
    result = CliRunner().invoke(cli.main, [*command, "--data-dir", str(tmp_path)],
                                env={"COURSEPORT_DATABASE_URL": CLOSED, "COURSEPORT_DATA_DIR": None})
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: cannot reach the database at 127.0.0.1:1: "), result.output
    assert "Connection refused" in result.output and "schema" not in result.output
    assert result.output.count("\n") == 1  # one sentence, no traceback


def test_a_worker_without_a_data_folder_refuses_to_start_and_says_so(tmp_path):
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path) as here:
        result = runner.invoke(cli.main, ["worker"], env={"COURSEPORT_DATABASE_URL": CLOSED,
                                                          "COURSEPORT_DATA_DIR": None})
    assert result.exit_code == 1
    assert result.output == (
        f"Error: no data folder at {Path(here).resolve() / 'data'}: start the worker with --data-dir (or "
        "COURSEPORT_DATA_DIR) naming the folder `courseport serve` uses (its default, ./data, is relative to "
        "the current directory)\n")
    assert not (Path(here) / "data").exists()  # it made no empty folder of its own


def test_a_worker_process_imports_a_package_into_the_data_folder_it_was_given(world, workers, tmp_path):
    """Started elsewhere than the data folder, as an operator would: the worker's blobs are the folder's."""
    scorm = ScormApp(world)
    answer = scorm.upload(pb.scorm12(), "golf")
    assert answer.status_code == 200, answer.text
    proc = workers.start(cwd=str(tmp_path))
    job_id = int(scorm.last_job().id)
    wait_for(lambda: job_row(world.engine, job_id).state in ("completed", "failed"), STARTUP,
             "the worker to run the import")
    job = job_row(world.engine, job_id)
    assert (job.state, job.error, pid_of(job.worker_id)) == ("completed", None, proc.pid)
    status = scorm.job(answer.json()["result"])
    assert (status["status"], status["importResult"]["course"]["id"]) == ("COMPLETE", "golf")
    assert scorm.counts()["package_files"] == 3
    assert not (tmp_path / "data").exists()


@contextmanager
def database_closed_to_new_connections(world) -> Iterator[Connection]:
    """Refuse new connections to the test database (as while its server restarts), from a connection
    to the server's maintenance database; reopen it after."""
    url = world.engine.url
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    quoted = admin.dialect.identifier_preparer.quote(url.database)
    try:
        with admin.connect() as conn:
            conn.execute(text(f"ALTER DATABASE {quoted} ALLOW_CONNECTIONS false"))
            try:
                yield conn
            finally:
                conn.execute(text(f"ALTER DATABASE {quoted} ALLOW_CONNECTIONS true"))
    finally:
        admin.dispose()


def cut_connections(conn: Connection, application_name: str) -> int:
    return conn.scalar(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE application_name = :name AND pid <> pg_backend_pid()"), {"name": application_name})


@requires_pg
def test_a_worker_whose_database_connections_are_cut_reconnects_and_runs_jobs(world, workers, tmp_path):
    name = f"courseport-test-worker-{uuid.uuid4().hex[:8]}"  # libpq gives every connection of the worker this name
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        proc = workers.start(env={"PGAPPNAME": name}, log=out)
    before, _ = queue_sleep(world.engine, 0, 1)
    wait_for(lambda: job_row(world.engine, before).state == "completed", STARTUP, "the worker to run a first job")
    with database_closed_to_new_connections(world) as conn:
        assert cut_connections(conn, name) >= 2  # procrastinate's pool and listener, the job engine's pool
        wait_for(lambda: proc.poll() is not None or "starting it again" in log.read_text(), STARTUP,
                 "the worker to notice that its connections are gone")
    assert proc.poll() is None, log.read_text()[-3000:]
    after, _ = queue_sleep(world.engine, 0, 1)
    wait_for(lambda: job_row(world.engine, after).state == "completed" or proc.poll() is not None, STARTUP,
             "the worker to run a job once the database takes connections again")
    job = job_row(world.engine, after)
    assert (proc.poll(), job.state, job.attempts, pid_of(job.worker_id)) == (None, "completed", 1, proc.pid)
