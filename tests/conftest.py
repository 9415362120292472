"""Shared fixtures: one migrated database and one live server per session, emptied per test.

Every test runs on SQLite; set COURSEPORT_TEST_DATABASE_URL=postgresql://... to run on PostgreSQL (with `-n N`,
each worker on a database of its own beside that one).
Jobs run on demand (`job_mode="manual"`), never by sleeping.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
import uvicorn
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from courseport import migrate
from courseport.app import build_services, create_app
from courseport.core.identity import admin
from courseport.db import is_sqlite, make_engine, transaction
from courseport.loop_reads import LoopReads
from courseport.settings import Settings
from tests.world import World


def pytest_configure(config) -> None:  # noqa: ANN001
    """Under pytest-xdist on PostgreSQL each worker gets a database of its own (`<name>_<worker>`, made afresh
    here, dropped when the run ends), named in COURSEPORT_TEST_DATABASE_URL for every test that reads it:
    workers sharing one database migrated it at once and emptied it under each other's tests."""
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("COURSEPORT_TEST_DATABASE_URL")
    if not worker or not url or not url.startswith("postgresql"):
        return
    base = make_url(url)
    own = base.set(database=f"{base.database}_{worker}")
    _on_server(url, f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)', f'CREATE DATABASE "{own.database}"')
    os.environ["COURSEPORT_TEST_DATABASE_URL"] = own.render_as_string(hide_password=False)


def pytest_unconfigure(config) -> None:  # noqa: ANN001
    """The run's end, in the process that started the workers (theirs are stopped too abruptly to clean up):
    their databases go."""
    url = os.environ.get("COURSEPORT_TEST_DATABASE_URL")
    if os.environ.get("PYTEST_XDIST_WORKER") or not url or not url.startswith("postgresql") \
            or not getattr(config.option, "numprocesses", None):
        return
    name = make_url(url).database
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            made = conn.exec_driver_sql("SELECT datname FROM pg_database WHERE datname ~ %s",
                                        (f"^{re.escape(name or '')}_gw[0-9]+$",)).scalars().all()
    finally:
        engine.dispose()
    _on_server(url, *(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)' for db in made))


def _on_server(url: str, *statements: str) -> None:
    """Statements outside a transaction (CREATE and DROP DATABASE), on a connection to the database `url` names."""
    engine = make_engine(url)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def empty_store(tmp_path) -> Iterator[Engine]:
    """An unmigrated store of its own: a fresh SQLite file, or on PostgreSQL (COURSEPORT_TEST_DATABASE_URL) a fresh
    schema of that database, dropped at the end, so the session's migrated store is never moved."""
    url = os.environ.get("COURSEPORT_TEST_DATABASE_URL")
    if not url:
        engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
        yield engine
        engine.dispose()
        return
    schema = f"migration_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    in_schema = sa.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = None
    try:
        engine = make_engine(in_schema.render_as_string(hide_password=False))
        yield engine
    finally:
        if engine is not None:
            engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    data_dir = tmp_path_factory.mktemp("courseport-data")
    url = os.environ.get("COURSEPORT_TEST_DATABASE_URL") or None
    # Credential failures are not throttled here: tests of throttling give the services a throttle.
    return Settings(data_dir=Path(data_dir), database_url=url, job_mode="manual", auth_failure_limit=0)


@pytest.fixture(scope="session")
def services(settings):
    engine = make_engine(settings.effective_database_url)
    migrate.upgrade(engine)
    with transaction(engine, write=True) as db:
        admin.reset_store(db, keep_admins=False)
    engine.dispose()
    return build_services(settings)


class LiveServer:
    def __init__(self, services):
        self.services = services
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        services.settings = services.settings.with_changes(public_url=self.base_url)  # the URLs it hands out
        config = uvicorn.Config(create_app(services.settings, services), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="on", ws="none")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("live server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(services):
    server = LiveServer(services)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def world(services, live_server) -> World:
    """An empty store with root account 1 and a site admin; helpers to add users, courses, tokens.
    The reset is tried again when PostgreSQL picks it as a deadlock's victim: a browser tab the previous
    test closed can still be committing its SCO's last data (seen once in CI)."""
    for attempt in range(3):
        try:
            with transaction(services.engine, write=True) as db:
                admin.reset_store(db, keep_admins=False)
            break
        except OperationalError as exc:
            if "deadlock" not in str(exc) or attempt == 2:
                raise
            time.sleep(0.5)
    return World(services, live_server.base_url)


@pytest.fixture
def http(live_server):
    with httpx.Client(base_url=live_server.base_url, timeout=30) as client:
        yield client


@pytest.fixture
def loop_reads(world):
    """LoopReads of the test store, for reads run as PostgreSQL's read-only handlers run (`on_loop`)."""
    if is_sqlite(world.engine):
        pytest.skip("PostgreSQL only: on SQLite read-only handlers run on the loop without an async driver")
    return LoopReads(world.engine)


def on_loop(loop_reads: LoopReads, fn, *args):  # noqa: ANN001, ANN201
    """fn(*args) run as a read-only handler runs: in a greenlet on a loop, then that loop's engine disposed."""

    async def run():  # noqa: ANN202
        try:
            return await loop_reads.run_on_loop(fn)(*args)
        finally:
            await loop_reads.close()

    return asyncio.run(run())
