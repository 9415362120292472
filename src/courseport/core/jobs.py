"""Jobs: records, claiming, progress and completion. Threads and processes live in worker.py.

A job row is written in the transaction that asks for it. A worker claims it with a
compare-and-set on its state and a lease; a job whose lease runs out (its worker died) is
claimed again until its attempts are used up, then failed with a clear error. Whenever a row
enters the queue, the `on_queued` hooks run in that same transaction (PostgreSQL deployments
defer it to procrastinate there, see distributed.py), so a rolled-back request leaves nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, or_, select, update
from sqlalchemy.orm import Session

from courseport.core.errors import DomainError, NotFound
from courseport.db import transaction
from courseport.schema import Job
from courseport.schema.base import utcnow

Handler = Callable[["JobContext"], dict | None]
QueuedHook = Callable[[Session, Job], None]
HANDLERS: dict[str, Handler] = {}
QUEUED_HOOKS: list[QueuedHook] = []
FINISHED_HOOKS: list[QueuedHook] = []
PROGRESS_INTERVAL = 0.5
STOPPED_ERROR = "the worker running this job stopped; attempts used up"


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn
    return register


def on_queued(hook: QueuedHook) -> None:
    """Run `hook(db, job)` in the transaction that puts a job row in the queue (once per hook)."""
    if hook not in QUEUED_HOOKS:
        QUEUED_HOOKS.append(hook)


def on_finished(hook: QueuedHook) -> None:
    """Run `hook(db, job)` in the transaction that finishes a job (completed or failed; once per hook)."""
    if hook not in FINISHED_HOOKS:
        FINISHED_HOOKS.append(hook)


def _queued(db: Session, job: Job) -> None:
    db.flush()
    for hook in QUEUED_HOOKS:
        hook(db, job)


def enqueue(db: Session, kind: str, payload: dict[str, Any], *, user_id: int | None = None,
            context_type: str | None = None, context_id: int | None = None, max_attempts: int = 3) -> Job:
    job = Job(kind=kind, payload=payload, user_id=user_id, context_type=context_type,
              context_id=context_id, max_attempts=max_attempts, state="queued")
    db.add(job)
    _queued(db, job)
    return job


def get_job(db: Session, job_id: int) -> Job:
    job = db.get(Job, job_id)
    if job is None:
        raise NotFound("job")
    return job


class JobLost(Exception):
    """The worker's lease on the job is gone: another worker owns it now."""


@dataclass
class JobContext:
    engine: Engine
    job_id: int
    worker_id: str
    payload: dict[str, Any]
    attempt: int
    lease_seconds: float
    _last: float = field(default=0.0)
    services: Any = None  # the running process's Services (blob store, settings), when it has them

    def progress(self, percent: float, message: str | None = None, *, force: bool = False) -> None:
        """Report progress (at most every PROGRESS_INTERVAL s) and extend the lease."""
        now = time.monotonic()
        if not force and now - self._last < PROGRESS_INTERVAL:
            return
        self._last = now
        values: dict[str, Any] = {"progress": max(0.0, min(100.0, percent))}
        if message is not None:
            values["message"] = message
        with transaction(self.engine, write=True) as db:
            self.confirm_held(db, **values)

    def confirm_held(self, db: Session, **values: Any) -> None:
        """Extend the lease in `db`'s transaction, or raise JobLost if another worker owns the job now.

        A handler calls this in the transaction that writes its result: the row lock it takes makes
        the write and the ownership check one atomic step, so a worker that lost its lease (it
        stalled and the job was claimed again) cannot also write a result.
        """
        now = utcnow()
        hit = db.execute(update(Job).where(Job.id == self.job_id, Job.worker_id == self.worker_id,
                                           Job.state == "running")
                         .values(updated_at=now, lease_until=now + timedelta(seconds=self.lease_seconds),
                                 **values)).rowcount
        if not hit:
            raise JobLost(f"job {self.job_id} is no longer held by {self.worker_id}")


def claim(engine: Engine, worker_id: str, lease_seconds: float, kinds: set[str] | None = None) -> JobContext | None:
    """Claim the oldest runnable job: queued, or running with an expired lease (a dead worker's).

    A job whose attempts are used up is failed on the way, and the search goes on past it.
    """
    with transaction(engine, write=True) as db:
        stmt = select(Job).where(_runnable(utcnow()))
        if kinds:
            stmt = stmt.where(Job.kind.in_(kinds))
        stmt = stmt.order_by(Job.id).limit(1)
        if engine.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        while (job := db.scalar(stmt)) is not None:
            if job.attempts < job.max_attempts:
                return _take(db, engine, job, worker_id, lease_seconds)
            _finish(db, job, "failed", error=job.error or STOPPED_ERROR)
        return None


def claim_job(engine: Engine, job_id: int, worker_id: str, lease_seconds: float) -> JobContext | None:
    """Claim one given job (a distributed worker was handed its id); None if it is not runnable now:
    finished, missing, or running under a live lease. A job out of attempts is failed instead."""
    with transaction(engine, write=True) as db:
        job = db.scalar(select(Job).where(Job.id == job_id, _runnable(utcnow())))
        if job is None:
            return None
        if job.attempts < job.max_attempts:
            return _take(db, engine, job, worker_id, lease_seconds)
        _finish(db, job, "failed", error=job.error or STOPPED_ERROR)
        return None


def requeue_stalled(engine: Engine, limit: int = 100) -> list[int]:
    """Put running jobs whose lease ran out (their worker died) back in the queue, running the
    `on_queued` hooks, or fail them when their attempts are used up. Returns the requeued ids.

    Distributed workers call this periodically; embedded threads need not, `claim` takes such jobs.
    """
    requeued: list[int] = []
    with transaction(engine, write=True) as db:
        stalled = select(Job).where(Job.state == "running", Job.lease_until < utcnow()).order_by(Job.id).limit(limit)
        if engine.dialect.name == "postgresql":
            stalled = stalled.with_for_update(skip_locked=True)
        for job in db.scalars(stalled).all():
            if job.attempts >= job.max_attempts:
                _finish(db, job, "failed", error=job.error or STOPPED_ERROR)
                continue
            job.state, job.worker_id, job.lease_until, job.updated_at = "queued", None, None, utcnow()
            _queued(db, job)
            requeued.append(job.id)
    return requeued


def _runnable(now: datetime) -> ColumnElement[bool]:
    return or_(Job.state == "queued", (Job.state == "running") & (Job.lease_until < now))


def _take(db: Session, engine: Engine, job: Job, worker_id: str, lease_seconds: float) -> JobContext | None:
    """Compare-and-set the job to running under this worker; None if another worker got there first."""
    now = utcnow()
    # Read before the UPDATE: the session synchronises `job` with the values it sets.
    attempt, payload = job.attempts + 1, dict(job.payload or {})
    won = db.execute(update(Job).where(Job.id == job.id, Job.state == job.state, Job.attempts == job.attempts)
                     .values(state="running", worker_id=worker_id, attempts=attempt,
                             started_at=job.started_at or now, updated_at=now,
                             lease_until=now + timedelta(seconds=lease_seconds))).rowcount
    if not won:
        return None
    return JobContext(engine, job.id, worker_id, payload, attempt, lease_seconds)


def run(ctx: JobContext, kind: str) -> None:
    """Run a claimed job's handler and record its outcome."""
    handler = HANDLERS.get(kind)
    try:
        if handler is None:
            raise DomainError(f"no handler for job kind {kind!r}")
        result = handler(ctx)
    except JobLost:
        return
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the job
        message = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        with transaction(ctx.engine, write=True) as db:
            job = db.get(Job, ctx.job_id)
            if job is not None and job.worker_id == ctx.worker_id and job.state == "running":
                retry = not isinstance(exc, DomainError) and job.attempts < job.max_attempts
                if retry:
                    job.state, job.error, job.lease_until = "queued", message, None
                    _queued(db, job)
                else:
                    _finish(db, job, "failed", error=message)
        return
    with transaction(ctx.engine, write=True) as db:
        job = db.get(Job, ctx.job_id)
        if job is not None and job.worker_id == ctx.worker_id and job.state == "running":
            _finish(db, job, "completed", result=result or {})


def _finish(db: Session, job: Job, state: str, *, result: dict | None = None, error: str | None = None) -> None:
    job.state, job.finished_at, job.updated_at, job.lease_until = state, utcnow(), utcnow(), None
    if state == "completed":
        job.progress, job.result, job.error = 100.0, result, None
    else:
        job.error = error
        job.message = error
    db.flush()
    for hook in FINISHED_HOOKS:
        hook(db, job)


def kind_of(engine: Engine, job_id: int) -> str:
    with transaction(engine, write=False) as db:
        return get_job(db, job_id).kind


def run_pending(engine: Engine, worker_id: str = "manual", lease_seconds: float = 60.0, limit: int = 1000,
                services: Any = None) -> int:
    """Run queued jobs one by one in this thread (tests and `manual` job mode). Returns how many ran."""
    ran = 0
    while ran < limit:
        ctx = claim(engine, worker_id, lease_seconds)
        if ctx is None:
            return ran
        ctx.services = services
        run(ctx, kind_of(engine, ctx.job_id))
        ran += 1
    return ran


def require_job_reader(db: Session, user, job: Job) -> None:  # noqa: ANN001
    """Only the job's requester or an admin of its context may read it."""
    from courseport.core import accounts
    from courseport.core.errors import NotAllowed

    account_id = job.context_id if job.context_type == "Account" else accounts.ROOT_ACCOUNT_ID
    if not accounts.is_admin_of(db, user.id, account_id or accounts.ROOT_ACCOUNT_ID):
        raise NotAllowed()
