"""Scale-out jobs on PostgreSQL: procrastinate carries job ids to `courseport worker` processes.

Our `jobs` row stays the record. Whenever a row enters the queue on PostgreSQL,
`defer_in_transaction` defers a procrastinate job carrying its id on the session's own psycopg
connection, so the row and the procrastinate job commit or roll back together. A worker's task
claims the row with the same compare-and-set as the embedded threads (`jobs.claim_job`) and runs
its handler; a duplicate or late delivery finds the row taken or finished and does nothing.

A worker whose database connection is cut (a server restart, a failover, a terminated backend)
starts procrastinate's worker again with a backoff instead of exiting; its handlers' own
connections come from SQLAlchemy's pool, which checks them before use.

Each worker also reaps, every quarter lease: rows whose lease ran out (their worker was killed)
go back to the queue and are deferred again, or fail once their attempts are used up; and
procrastinate jobs held by workers whose heartbeat stopped are retried (procrastinate's
stalled-job recovery), which also covers a worker killed before it claimed its row.

procrastinate's tables are its own, so `ensure_schema` applies its shipped schema SQL once (under
an advisory lock) rather than through our Alembic chain; `db upgrade`, `serve`, `worker` and
`build_services` call it on PostgreSQL. A procrastinate upgrade that ships SQL migrations
(`procrastinate/sql/migrations`) must apply them here too.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

from procrastinate import App, JobContext, PsycopgConnector, SyncPsycopgConnector
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session

from courseport.core.jobs import jobs
from courseport.schema import Job

log = logging.getLogger("courseport.distributed")
TASK_NAME = "courseport.run_job"
_SCHEMA_LOCK = 0x636F7572  # any constant, shared by every process applying the schema
_deferring_app: App | None = None
RECONNECT_MAX = 30.0  # seconds: the longest wait between attempts to restart a worker that lost its database


def conninfo(database_url: str) -> str:
    """The libpq URL procrastinate's psycopg pool wants, from our (SQLAlchemy-style) database URL."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def ensure_schema(engine: Engine) -> None:
    """Create procrastinate's tables and functions if this PostgreSQL database lacks them."""
    from procrastinate.schema import SchemaManager

    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        if conn.scalar(text("SELECT to_regclass('procrastinate_jobs')")) is None:
            # The raw psycopg connection, in this transaction: with no parameters it runs the
            # script as written (many statements, literal % signs).
            cast(Any, conn.connection.driver_connection).execute(SchemaManager.get_schema())  # open: in `begin`


def install() -> None:
    """Defer every job that enters the queue on PostgreSQL to procrastinate (idempotent)."""
    jobs.on_queued(defer_in_transaction)


def defer_in_transaction(db: Session, job: Job) -> None:
    """Defer `job` to procrastinate on the session's connection, inside its open transaction."""
    if db.get_bind().dialect.name != "postgresql":
        return
    connection = db.connection().connection.driver_connection
    _deferrer().tasks[TASK_NAME].configure(connection=connection).defer(job_id=job.id)


def _deferrer() -> App:
    # A sync connector that is never opened: it only ever runs on the connection it is handed.
    global _deferring_app
    if _deferring_app is None:
        app = App(connector=SyncPsycopgConnector())
        app.task(name=TASK_NAME)(_runs_in_workers_only)
        _deferring_app = app
    return _deferring_app


def _runs_in_workers_only(job_id: int) -> None:
    raise RuntimeError("courseport jobs run in `courseport worker` processes")


def worker_app(services: Any, concurrency: int, lease_seconds: float) -> App:
    """The procrastinate app of one worker process: its task claims our row and runs the handler
    with the process's services (settings, blob store), as `serve`'s own job threads would."""
    engine = services.engine
    # procrastinate's pool checks a connection before handing it out and replaces one the server cut.
    app = App(connector=PsycopgConnector(conninfo=conninfo(services.settings.effective_database_url), min_size=1,
                                         max_size=concurrency + 3))
    host_pid = f"{socket.gethostname()}:{os.getpid()}"

    @app.task(name=TASK_NAME, pass_context=True)
    def run_job(context: JobContext, job_id: int) -> None:
        ctx = jobs.claim_job(engine, job_id, f"{host_pid}:p{context.job.id}", lease_seconds)
        if ctx is None:
            log.info("job %s is finished or held by another worker; nothing to do", job_id)
            return
        ctx.services = services
        jobs.run(ctx, jobs.kind_of(engine, job_id))

    return app


def run_worker(services: Any, *, concurrency: int, lease_seconds: float) -> None:
    """Run one worker process in the foreground until SIGINT or SIGTERM (waiting for running jobs).
    `services` come from `build_services`, which registered every job handler."""
    install()
    app = worker_app(services, concurrency, lease_seconds)
    asyncio.run(_serve(app, services.engine, concurrency, lease_seconds))


async def _serve(app: App, engine: Engine, concurrency: int, lease_seconds: float) -> None:
    # Sync tasks run on the loop's default executor: it must hold `concurrency` jobs plus the reaper.
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(max_workers=concurrency + 2, thread_name_prefix="courseport-job"))
    stopping = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    tick = max(0.25, min(10.0, lease_seconds / 4))
    options = dict(name=f"courseport-{socket.gethostname()}-{os.getpid()}", concurrency=concurrency,
                   delete_jobs="successful", update_heartbeat_interval=tick,
                   stalled_worker_timeout=max(lease_seconds, 3 * tick), install_signal_handlers=False)
    async with app.open_async():
        reaper = asyncio.create_task(_reap_forever(app, engine, tick, stalled_after=max(lease_seconds, 3 * tick)))
        try:
            await _work_until_stopped(app, options, stopping)
        finally:
            reaper.cancel()


async def _work_until_stopped(app: App, options: dict, stopping: asyncio.Event) -> None:
    """Run procrastinate's worker; when it ends without being asked to (its database connection was
    cut, or the server restarted), start it again after a backoff of 1 s doubling up to RECONNECT_MAX."""
    delay = 1.0
    while not stopping.is_set():
        started = time.monotonic()
        worker = asyncio.create_task(app.run_worker_async(**options))
        stop = asyncio.create_task(stopping.wait())
        await asyncio.wait({worker, stop}, return_when=asyncio.FIRST_COMPLETED)
        if stopping.is_set():
            worker.cancel()  # procrastinate stops fetching and waits for the jobs it runs
            await asyncio.gather(worker, return_exceptions=True)
            return
        stop.cancel()
        error = worker.exception()
        if time.monotonic() - started > 60:
            delay = 1.0  # it worked for a while: a new outage starts the backoff again
        log.warning("the job worker stopped (%s); starting it again in %.0f s",
                    f"{type(error).__name__}: {error}" if error else "no error", delay)
        try:
            await asyncio.wait_for(stopping.wait(), timeout=delay)
        except TimeoutError:
            pass
        delay = min(delay * 2, RECONNECT_MAX)


async def _reap_forever(app: App, engine: Engine, tick: float, *, stalled_after: float) -> None:
    while True:
        try:
            requeued = await asyncio.to_thread(jobs.requeue_stalled, engine)
            if requeued:
                log.warning("requeued jobs %s: their worker stopped renewing its lease", requeued)
            stalled = await app.job_manager.get_stalled_jobs(task_name=TASK_NAME, seconds_since_heartbeat=stalled_after)
            for job in stalled:
                log.warning("retrying procrastinate job %s: its worker stopped sending heartbeats", job.id)
                await app.job_manager.retry_job(job)
        except Exception:  # noqa: BLE001 - the reaper must outlive a bad round (e.g. a lost connection)
            log.exception("reaping stalled jobs failed")
        await asyncio.sleep(tick)
