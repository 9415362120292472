"""Scale-out jobs on PostgreSQL: procrastinate carries job ids to `courseport worker` processes.

Our `jobs` row stays the record. Whenever a row enters the queue on PostgreSQL,
`defer_in_transaction` defers a procrastinate job carrying its id on the session's own psycopg
connection, so the row and the procrastinate job commit or roll back together. A worker's task
claims the row with the same compare-and-set as the embedded threads (`jobs.claim_job`) and runs
its handler; a duplicate or late delivery finds the row taken or finished and does nothing.

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
import socket
from concurrent.futures import ThreadPoolExecutor

from procrastinate import App, JobContext, PsycopgConnector, SyncPsycopgConnector
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session

from courseport.core import jobs
from courseport.core.job_kinds import load_handlers
from courseport.schema import Job

log = logging.getLogger("courseport.distributed")
TASK_NAME = "courseport.run_job"
_SCHEMA_LOCK = 0x636F7572  # any constant, shared by every process applying the schema
_deferring_app: App | None = None


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
            conn.connection.driver_connection.execute(SchemaManager.get_schema())


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


def worker_app(engine: Engine, database_url: str, concurrency: int, lease_seconds: float) -> App:
    """The procrastinate app of one worker process: its task claims our row and runs the handler."""
    app = App(connector=PsycopgConnector(conninfo=conninfo(database_url), min_size=1, max_size=concurrency + 3))
    host_pid = f"{socket.gethostname()}:{os.getpid()}"

    @app.task(name=TASK_NAME, pass_context=True)
    def run_job(context: JobContext, job_id: int) -> None:
        ctx = jobs.claim_job(engine, job_id, f"{host_pid}:p{context.job.id}", lease_seconds)
        if ctx is None:
            log.info("job %s is finished or held by another worker; nothing to do", job_id)
            return
        jobs.run(ctx, jobs.kind_of(engine, job_id))

    return app


def run_worker(engine: Engine, database_url: str, *, concurrency: int, lease_seconds: float) -> None:
    """Run one worker process in the foreground until SIGINT or SIGTERM (waiting for running jobs)."""
    load_handlers()
    install()
    app = worker_app(engine, database_url, concurrency, lease_seconds)
    asyncio.run(_serve(app, engine, concurrency, lease_seconds))


async def _serve(app: App, engine: Engine, concurrency: int, lease_seconds: float) -> None:
    # Sync tasks run on the loop's default executor: it must hold `concurrency` jobs plus the reaper.
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=concurrency + 2, thread_name_prefix="courseport-job"))
    tick = max(0.25, min(10.0, lease_seconds / 4))
    async with app.open_async():
        reaper = asyncio.create_task(_reap_forever(app, engine, tick, stalled_after=max(lease_seconds, 3 * tick)))
        try:
            await app.run_worker_async(
                name=f"courseport-{socket.gethostname()}-{os.getpid()}", concurrency=concurrency,
                delete_jobs="successful", update_heartbeat_interval=tick,
                stalled_worker_timeout=max(lease_seconds, 3 * tick))
        finally:
            reaper.cancel()


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
