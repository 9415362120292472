"""The `courseport` command: db upgrade and token create in process, `serve` as a real subprocess.

These always use SQLite in a temporary data dir: they test the command, not the store.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from canvasapi import Canvas
from click.testing import CliRunner
from sqlalchemy import func, select, text

from courseport import cli
from courseport.core.identity import accounts, tokens
from courseport.db import make_engine, transaction
from courseport.migrate import head_revision
from courseport.schema import AccessToken, Course, User
from courseport.settings import Settings

NO_DB_ENV = {"COURSEPORT_DATABASE_URL": None, "COURSEPORT_DATA_DIR": None}


def invoke(*args: str):  # noqa: ANN201
    return CliRunner().invoke(cli.main, list(args), env=NO_DB_ENV)


def engine_in(data_dir: Path):  # noqa: ANN201
    return make_engine(f"sqlite:///{data_dir / 'courseport.db'}")


def test_db_upgrade_creates_the_schema(tmp_path):
    first = invoke("db", "upgrade", "--data-dir", str(tmp_path))
    again = invoke("db", "upgrade", "--data-dir", str(tmp_path))
    assert (first.exit_code, first.output) == (0, "database is up to date\n")
    assert (again.exit_code, again.output) == (0, "database is up to date\n")
    engine = engine_in(tmp_path)
    with engine.connect() as conn:
        assert conn.scalar(text("select version_num from alembic_version")) == head_revision()
        assert conn.scalar(text("select count(*) from courses")) == 0
    engine.dispose()


@pytest.mark.parametrize("admin_flag", [True, False])
def test_token_create(tmp_path, admin_flag):
    args = ["token", "create", "--user", "bob", "--data-dir", str(tmp_path)] + (["--admin"] if admin_flag else [])
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert result.output == token + "\n" and len(token) > 40
    engine = engine_in(tmp_path)
    with transaction(engine, write=False) as db:
        user = tokens.authenticate(db, token)
        assert user.login_id == "bob"
        assert accounts.is_admin_of(db, user.id, accounts.ROOT_ACCOUNT_ID) is admin_flag
        assert db.scalar(select(AccessToken.purpose).where(AccessToken.user_id == user.id)) == "cli"
    engine.dispose()


def test_token_create_again_reuses_the_user(tmp_path):
    first = invoke("token", "create", "--user", "bob", "--data-dir", str(tmp_path)).output.strip()
    second = invoke("token", "create", "--user", "bob", "--admin", "--data-dir", str(tmp_path)).output.strip()
    assert first != second
    engine = engine_in(tmp_path)
    with transaction(engine, write=False) as db:
        assert tokens.authenticate(db, first).id == tokens.authenticate(db, second).id
        assert db.scalar(select(func.count()).select_from(User)) == 1
        assert accounts.is_admin_of(db, tokens.authenticate(db, first).id, 1)
    engine.dispose()


def test_token_create_needs_a_login(tmp_path):
    missing = invoke("token", "create", "--data-dir", str(tmp_path))
    empty = invoke("token", "create", "--user", "", "--data-dir", str(tmp_path))
    assert missing.exit_code == 2
    assert "Missing option '--user'" in missing.output
    assert (empty.exit_code, empty.output) == (1, "Error: login is required\n")


def test_first_start_seeds_demo_data_and_restart_keeps_the_token(tmp_path):
    settings = Settings(data_dir=tmp_path)
    creds, summary = cli.prepare_store(settings, "http://127.0.0.1:9", None)
    again, second = cli.prepare_store(settings, "http://127.0.0.1:9", None)
    assert summary is not None and second is None
    assert again["canvas"]["token"] == creds["canvas"]["token"]
    assert json.loads((tmp_path / "credentials.json").read_text()) == again
    assert (tmp_path / "credentials.json").stat().st_mode & 0o777 == 0o600
    assert set(creds["demo"]["users"]) == {u.login for u in summary.users}
    engine = engine_in(tmp_path)
    with transaction(engine, write=False) as db:
        admin = tokens.authenticate(db, creds["canvas"]["token"])
        assert (admin.login_id, accounts.is_admin_of(db, admin.id, 1)) == ("admin", True)
        assert db.scalar(select(func.count()).select_from(Course)) == 5
    engine.dispose()


def test_no_demo_skips_seeding_and_seed_demo_seeds_later(tmp_path):
    settings = Settings(data_dir=tmp_path)
    creds, summary = cli.prepare_store(settings, "http://127.0.0.1:9", False)
    assert summary is None and "demo" not in creds
    engine = engine_in(tmp_path)
    with transaction(engine, write=False) as db:
        assert db.scalar(select(func.count()).select_from(Course)) == 0
    _, summary = cli.prepare_store(settings, "http://127.0.0.1:9", True)
    assert summary is not None
    with transaction(engine, write=False) as db:
        assert db.scalar(select(func.count()).select_from(Course)) == 5
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _child_pids(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def _sockets_on_port(pid: int, port: int, state: str) -> set[int]:
    """Inodes of the TCP sockets a process holds on local `port` in `state` (/proc/net/tcp: "0A" listening,
    "01" established)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                inodes.add(int(fields[9]))
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            held.add(int(target[8:-1]))
    return inodes & held


def _workers(supervisor: int) -> list[int]:
    """The supervisor's worker processes (a worker it restarts shows up with a new pid)."""
    found = []
    for pid in _child_pids(supervisor):
        try:
            if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text():
                found.append(pid)
        except FileNotFoundError:
            continue  # gone meanwhile
    return found


def _each_listening(supervisor: int, port: int, timeout: float = 60) -> tuple[list[int], list[set[int]]]:
    """The workers and the listening sockets of each, once two workers listen (the first answers health
    alone). The workers are read again each time: uvicorn's supervisor restarts one that misses its health
    pings, which a machine busy with other suites can make happen."""
    deadline = time.monotonic() + timeout
    while True:
        workers = _workers(supervisor)
        try:
            listening = [_sockets_on_port(pid, port, "0A") for pid in workers]
        except FileNotFoundError:
            listening = []  # a worker went while we looked
        if (len(workers) == 2 and all(listening)) or time.monotonic() > deadline:
            return workers, listening
        time.sleep(0.1)


def _wait_for_health(proc: subprocess.Popen, base_url: str, timeout: float = 60) -> None:
    """Two worker processes and a demo seed start in a few seconds on a quiet machine; a CI machine
    running other suites can take several times that, which is not what these tests are about."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read()
        try:
            if httpx.get(f"{base_url}/_courseport/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # waiting for another process to bind its port; there is nothing to wait on
    raise AssertionError("courseport serve did not answer /_courseport/health")


def _each_worker_accepts_on_a_socket_of_its_own(supervisor: int, port: int) -> None:
    """listeners.py: a listening socket per worker, none in the supervisor, and a burst of connections
    spread over both workers (all 16 on one: 1 chance in 32,768 once the kernel spreads them)."""
    workers, (first, second) = _each_listening(supervisor, port)
    assert len(first) == len(second) == 1 and first != second
    assert not _sockets_on_port(supervisor, port, "0A")  # bound, holding the port, never handed a connection
    before = [_sockets_on_port(pid, port, "01") for pid in workers]  # the clients' keep-alive connections
    burst = [socket.create_connection(("127.0.0.1", port)) for _ in range(16)]
    try:
        for conn in burst:  # a request answered on each: every connection was accepted
            conn.sendall(b"GET /_courseport/health HTTP/1.1\r\nhost: x\r\n\r\n")
            assert conn.recv(4096).startswith(b"HTTP/1.1 200")
        accepted = [len(_sockets_on_port(pid, port, "01") - old) for pid, old in zip(workers, before, strict=True)]
        assert sum(accepted) == 16 and min(accepted) > 0, accepted
    finally:
        for conn in burst:
            conn.close()


def test_serve_starts_two_workers_with_demo_data(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSEPORT_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "courseport.cli", "serve", "--port", str(port), "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    try:
        _wait_for_health(proc, f"http://127.0.0.1:{port}")
        creds = json.loads((tmp_path / "credentials.json").read_text())
        assert creds["base_url"] == f"http://127.0.0.1:{port}"
        as_admin = Canvas(creds["base_url"], creds["canvas"]["token"])
        assert {"Introduction to Biology", "Calculus I", "Biology Blueprint"} <= {
            course.name for course in as_admin.get_courses()}
        assert as_admin.get_course("DEMO-BIO101", use_sis_id=True).course_code == "BIO 101"
        as_student = Canvas(creds["base_url"], creds["demo"]["users"]["demo.student1"]["token"])
        names = {course.name for course in as_student.get_courses()}
        assert {"Introduction to Biology", "Calculus I"} <= names
        assert len(_workers(proc.pid)) == 2
        _each_worker_accepts_on_a_socket_of_its_own(proc.pid, port)
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=15)
    assert proc.returncode == 0, output
    assert f"courseport is serving at http://127.0.0.1:{port}" in output
    assert f"console for course teams: http://127.0.0.1:{port}/console/" in output
    assert "demo data: Demo University" in output
