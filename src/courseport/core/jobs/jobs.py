"""Jobs: records, claiming, progress and completion. Threads and processes live in worker.py.

A job row is written in the transaction that asks for it. A worker claims it with a
compare-and-set on its state and a lease; a job whose lease runs out (its worker died) is
claimed again until its attempts are used up, then failed with a clear error. Whenever a row
enters the queue, the `on_queued` hooks run in that same transaction (PostgreSQL deployments
defer it to procrastinate there, see distributed.py), so a rolled-back request leaves nothing.

Two rows per job, so that progress and the fence never conflict: the `jobs` row carries state,
progress and the lease (every progress report extends it, in a transaction of its own, visible to
pollers at once); the `job_claims` row names the holder (worker and attempt) and is written only
when the job changes hands. A handler's result transaction ends with `confirm_held`, a shared lock
on the claim row: a long REPEATABLE READ copy does not conflict with its own progress reports, and a
worker that lost the job (claimed again, requeued or failed meanwhile) commits nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Engine, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from courseport.core.jobs import job_timing
from courseport.core.jobs.job_leases import kept_alive
from courseport.core.kit.errors import DomainError, NotFound
from courseport.db import SERIALIZATION_FAILURE, sqlstate, transaction
from courseport.schema import Job, JobClaim
from courseport.schema.base import utcnow

Handler = Callable[["JobContext"], dict[str, Any] | None]
QueuedHook = Callable[[Session, Job], None]
RunHook = Callable[["Outcome", float], None]
HANDLERS: dict[str, Handler] = {}
RUN_HOOKS: list[RunHook] = []
# The id of the request being served (set by courseport/logs.py): a job queued meanwhile carries it in its
# payload under "request_id", so its log lines can be followed back to that request from any worker.
REQUEST_ID: ContextVar[str | None] = ContextVar("courseport_request_id", default=None)
QUEUED_HOOKS: list[QueuedHook] = []
FINISHED_HOOKS: list[QueuedHook] = []
PROGRESS_INTERVAL = 0.5
STOPPED_ERROR = "The worker running this job stopped before finishing it, and no attempts are left."
# Failures that running the job again cannot fix: wrong input or state (domain errors), and input a
# parser could not take (too deeply nested, malformed values or syntax). They fail the job at once.
PERMANENT = (DomainError, RecursionError, ValueError, SyntaxError)
log = logging.getLogger("courseport.jobs")


def register_handler(kind: str, handler: Handler) -> None:
    """Make `handler` run jobs of `kind` (courseport/wiring.py calls this when services are built).
    Registering the same handler again changes nothing; a second handler for one kind is a mistake."""
    if HANDLERS.setdefault(kind, handler) is not handler:
        raise ValueError(f"job kind {kind!r} already has the handler {HANDLERS[kind].__qualname__}")


def on_queued(hook: QueuedHook) -> None:
    """Run `hook(db, job)` in the transaction that puts a job row in the queue (once per hook)."""
    if hook not in QUEUED_HOOKS:
        QUEUED_HOOKS.append(hook)


def on_finished(hook: QueuedHook) -> None:
    """Run `hook(db, job)` in the transaction that finishes a job (completed or failed; once per hook)."""
    if hook not in FINISHED_HOOKS:
        FINISHED_HOOKS.append(hook)


def on_run(hook: RunHook) -> None:
    """Call `hook(outcome, seconds)` after each run of a job in this process (logs, metrics; once per hook)."""
    if hook not in RUN_HOOKS:
        RUN_HOOKS.append(hook)


def _queued(db: Session, job: Job) -> None:
    db.flush()
    for hook in QUEUED_HOOKS:
        hook(db, job)


def enqueue(db: Session, kind: str, payload: dict[str, Any], *, user_id: int | None = None,
            context_type: str | None = None, context_id: int | None = None, max_attempts: int = 3) -> Job:
    if (request_id := REQUEST_ID.get()) is not None:
        payload = {**payload, "request_id": request_id}
    job = Job(kind=kind, payload=payload, user_id=user_id, context_type=context_type,
              context_id=context_id, max_attempts=max_attempts, state="queued")
    db.add(job)
    if job_timing.on_enqueue(db, job):  # held until released (job_timing.py)
        return job
    _queued(db, job)
    return job


def announce(db: Session, job: Job) -> None:
    """Run the `on_queued` hooks for a job that enters the queue again (a held job released)."""
    _queued(db, job)


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
        """Report progress (at most every PROGRESS_INTERVAL s) and extend the lease, in a transaction
        of its own (pollers see it at once); JobLost if this worker no longer holds the job."""
        now = time.monotonic()
        if not force and now - self._last < PROGRESS_INTERVAL:
            return
        self._last = now
        values: dict[str, Any] = {"progress": max(0.0, min(100.0, percent))}
        if message is not None:
            values["message"] = message
        stamp = utcnow()
        with transaction(self.engine, write=True) as db:
            hit = cast(CursorResult[Any], db.execute(update(Job).where(*self._mine())
                             .values(updated_at=stamp, lease_until=stamp + timedelta(seconds=self.lease_seconds),
                                     **values))).rowcount
        if not hit:
            raise JobLost(f"job {self.job_id} is no longer held by {self.worker_id}")

    def extend_lease(self) -> bool:
        """Extend this worker's lease on the job by a whole lease (its heartbeat); False if it no longer holds it.
        To the microsecond (utcnow() drops them), so that a lease of a second or two still spans the beats."""
        stamp = datetime.now(UTC)
        with transaction(self.engine, write=True) as db:
            return bool(cast(CursorResult[Any], db.execute(update(Job).where(*self._mine()).values(
                lease_until=stamp + timedelta(seconds=self.lease_seconds)))).rowcount)

    def confirm_held(self, db: Session) -> None:
        """Raise JobLost unless this worker still holds the job; keep it held until `db` commits.

        A handler calls this last in the transaction that writes its result (touching no `jobs` row
        after it). It takes a shared lock on the job's claim row, which only a change of hands writes:
        a claim or requeue by another worker either committed first (the row names someone else, or,
        under REPEATABLE READ, PostgreSQL reports the concurrent update: JobLost either way) or waits
        until this transaction ends. Progress reports never write that row, so they cannot conflict.
        """
        held = select(JobClaim.job_id).where(JobClaim.job_id == self.job_id, JobClaim.worker_id == self.worker_id,
                                             JobClaim.attempt == self.attempt).with_for_update(read=True)
        try:
            holder = db.scalar(held)
        except OperationalError as exc:
            if sqlstate(exc) != SERIALIZATION_FAILURE:
                raise
            holder = None  # the claim row changed hands after this transaction's snapshot
        if holder is None:
            raise JobLost(f"job {self.job_id} is no longer held by {self.worker_id}")

    def _mine(self) -> tuple[ColumnElement[bool], ...]:
        return (Job.id == self.job_id, Job.worker_id == self.worker_id, Job.attempts == self.attempt,
                Job.state == "running")


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
            _requeue(db, job)
            requeued.append(job.id)
    return requeued


def _runnable(now: datetime) -> ColumnElement[bool]:
    return or_(Job.state == "queued", (Job.state == "running") & (Job.lease_until < now)) & job_timing.not_held()


def _take(db: Session, engine: Engine, job: Job, worker_id: str, lease_seconds: float) -> JobContext | None:
    """Compare-and-set the job to running under this worker; None if another worker got there first."""
    now = utcnow()
    # Read before the UPDATE: the session synchronises `job` with the values it sets.
    attempt, payload = job.attempts + 1, dict(job.payload or {})
    won = cast(CursorResult[Any], db.execute(
        update(Job).where(Job.id == job.id, Job.state == job.state, Job.attempts == job.attempts)
                     .values(state="running", worker_id=worker_id, attempts=attempt,
                             started_at=job.started_at or now, updated_at=now,
                             lease_until=now + timedelta(seconds=lease_seconds)))).rowcount
    if not won:
        return None
    _hand_over(db, job.id, worker_id, attempt)
    return JobContext(engine, job.id, worker_id, payload, attempt, lease_seconds)


def _hand_over(db: Session, job_id: int, worker_id: str | None, attempt: int | None = None) -> None:
    """Write who holds the job now (None: nobody). The `jobs` row, locked first, serialises callers."""
    values: dict[str, Any] = {"worker_id": worker_id} if attempt is None else {"worker_id": worker_id,
                                                                               "attempt": attempt}
    claimed = cast(CursorResult[Any], db.execute(update(JobClaim).where(JobClaim.job_id == job_id).values(**values)))
    if not claimed.rowcount and worker_id is not None:
        db.add(JobClaim(job_id=job_id, **values))
        db.flush()


def _requeue(db: Session, job: Job) -> None:
    job.state, job.worker_id, job.lease_until, job.updated_at = "queued", None, None, utcnow()
    _hand_over(db, job.id, None)
    _queued(db, job)


def failure_message(exc: BaseException, job_id: int | None = None) -> str:
    """What a client is told about a job's failure: a domain error's own sentence; for anything else a
    sentence that names no internals (paths, exception names, SQL), which go to the log instead."""
    if isinstance(exc, DomainError):
        return exc.message
    where = f" (job {job_id})" if job_id is not None else ""
    log.error("job %s failed", job_id, exc_info=exc)
    if isinstance(exc, RecursionError):
        return "The job's input is nested too deeply to be processed."
    if isinstance(exc, PERMANENT):
        return f"The job's input could not be processed; see the server log{where}."
    return f"The job failed because of an internal error; see the server log{where}."


@dataclass(frozen=True)
class Outcome:
    """How one run of a job ended: completed, failed, requeued (to be tried again) or lost (another
    worker holds it now, or it was finished meanwhile); `error` is the sentence clients are told."""

    job_id: int
    kind: str
    attempt: int
    worker_id: str
    state: str
    error: str | None = None
    request_id: str | None = None


def run(ctx: JobContext, kind: str) -> Outcome:
    """Run a claimed job's handler, record its outcome and tell the RUN_HOOKS."""
    start = time.perf_counter()
    token = REQUEST_ID.set(ctx.payload.get("request_id"))  # jobs this one queues carry it on
    try:
        with kept_alive(ctx.extend_lease, ctx.lease_seconds, f"job {ctx.job_id}"):
            state, error = _run_handler(ctx, kind)
    finally:
        REQUEST_ID.reset(token)
    outcome = Outcome(ctx.job_id, kind, ctx.attempt, ctx.worker_id, state, error, ctx.payload.get("request_id"))
    for hook in RUN_HOOKS:
        hook(outcome, time.perf_counter() - start)
    return outcome


def _run_handler(ctx: JobContext, kind: str) -> tuple[str, str | None]:
    handler = HANDLERS.get(kind)
    try:
        if handler is None:
            raise DomainError(f"no handler for job kind {kind!r}")
        if (forced := job_timing.forced_failure(ctx.engine, ctx.job_id)) is not None:
            raise DomainError(forced)
        result = handler(ctx)
    except JobLost:
        log.info("job %s: %s lost it to another worker; its work was not committed", ctx.job_id, ctx.worker_id)
        return "lost", None
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the job
        message = failure_message(exc, ctx.job_id)
        with transaction(ctx.engine, write=True) as db:
            if (job := _held_job(db, ctx)) is None:
                return "lost", message
            if not isinstance(exc, PERMANENT) and job.attempts < job.max_attempts:
                job.error = message
                _requeue(db, job)
                return "requeued", message
            _finish(db, job, "failed", error=message)
        return "failed", message
    with transaction(ctx.engine, write=True) as db:
        if (job := _held_job(db, ctx)) is None:
            return "lost", None
        _finish(db, job, "completed", result=result or {})
    return "completed", None


def _held_job(db: Session, ctx: JobContext) -> Job | None:
    """The job's row, locked, if `ctx`'s worker still holds it (locking the `jobs` row first, as claims do)."""
    return db.scalar(select(Job).where(*ctx._mine()).with_for_update())


def _finish(db: Session, job: Job, state: str, *, result: dict[str, Any] | None = None,
            error: str | None = None) -> None:
    job.state, job.finished_at, job.updated_at, job.lease_until = state, utcnow(), utcnow(), None
    if state == "completed":
        job.progress, job.result, job.error = 100.0, result, None
    else:
        job.error = error
        job.message = error
    _hand_over(db, job.id, None)
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
