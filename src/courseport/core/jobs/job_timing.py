"""Job timing control (a stand-in's state-transition manager): per tenant and job kind, jobs are

- `immediate`: run before the request that queued them answers (the request's `immediate_jobs` list,
  which the web layer runs once the request's transaction has committed);
- `manual`: held in the queue (no worker claims them) until `release`d;
- `polls`: shown as running for their first N status reads on any face, then as they truly are;
- `delay`: shown as running until S seconds after they were queued, then as they truly are;
- `fail`: failed with the given message when run, doing none of their work.

A rule is copied onto each job queued under it (a `job_timings` row), so changing a rule leaves queued
jobs as they were. Everything is in the database: every server and worker process agrees.

`tenant_of_user` is the one place that says which tenant (root account) a user belongs to; every
control keys its rules by it.
"""

from __future__ import annotations

import math
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Engine, delete, exists, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from courseport.core.identity import accounts, tenancy
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.ids import is_id
from courseport.db import transaction
from courseport.schema import Job, JobTiming, JobTimingRule
from courseport.schema.base import utcnow

MODES = ("immediate", "manual", "polls", "delay", "fail")
MAX_POLLS = 10_000
MAX_SECONDS = 86_400.0
# Ids of `immediate` jobs queued while serving the current request; None outside a request.
IMMEDIATE: ContextVar[list[int] | None] = ContextVar("courseport_immediate_jobs", default=None)
_FINISHED = ("completed", "failed", "cancelled")


def tenant_of_user(db: Session, user_id: int | None) -> int:
    """The tenant (root account id) a user belongs to; a job queued by no user is the default tenant's."""
    return tenancy.tenant_of(db, user_id) if user_id is not None else accounts.ROOT_ACCOUNT_ID


@dataclass(frozen=True)
class Timing:
    """One rule as given: `polls` for mode polls, `seconds` for delay, `message` for fail."""

    kind: str
    mode: str
    polls: int | None = None
    seconds: float | None = None
    message: str | None = None


def checked(timing: Timing, known_kinds: set[str]) -> Timing:
    """The timing, or InvalidInput naming the field that is wrong."""
    if timing.kind not in known_kinds:
        raise InvalidInput("kind", f"kind must be one of: {', '.join(sorted(known_kinds))}")
    if timing.mode not in MODES:
        raise InvalidInput("mode", f"mode must be one of: {', '.join(MODES)}")
    if timing.mode == "polls" and not (timing.polls is not None and 0 <= timing.polls <= MAX_POLLS):
        raise InvalidInput("polls", f"polls must be a whole number from 0 to {MAX_POLLS}")
    if timing.mode == "delay" and not (timing.seconds is not None and math.isfinite(timing.seconds)
                                       and 0 <= timing.seconds <= MAX_SECONDS):
        raise InvalidInput("seconds", f"seconds must be a number from 0 to {MAX_SECONDS:.0f}")
    if timing.mode == "fail" and not (timing.message or "").strip():
        raise InvalidInput("message", "message is required: the sentence the failed job reports")
    return Timing(timing.kind, timing.mode, timing.polls if timing.mode == "polls" else None,
                  timing.seconds if timing.mode == "delay" else None,
                  timing.message.strip() if timing.mode == "fail" and timing.message else None)


def set_rule(db: Session, tenant_id: int, timing: Timing) -> JobTimingRule:
    rule = db.scalar(select(JobTimingRule).where(JobTimingRule.tenant_id == tenant_id,
                                                 JobTimingRule.kind == timing.kind))
    if rule is None:
        rule = JobTimingRule(tenant_id=tenant_id, kind=timing.kind)
        db.add(rule)
    rule.mode, rule.polls, rule.seconds, rule.message = timing.mode, timing.polls, timing.seconds, timing.message
    db.flush()
    return rule


def rules(db: Session, tenant_id: int) -> list[JobTimingRule]:
    return list(db.scalars(select(JobTimingRule).where(JobTimingRule.tenant_id == tenant_id)
                           .order_by(JobTimingRule.kind)))


def remove_rule(db: Session, tenant_id: int, kind: str) -> None:
    gone = db.execute(delete(JobTimingRule).where(JobTimingRule.tenant_id == tenant_id, JobTimingRule.kind == kind))
    if not gone.rowcount:  # type: ignore[attr-defined]
        raise NotFound("job timing", f"no job timing is set for kind {kind!r}")


def on_enqueue(db: Session, job: Job) -> bool:
    """Called as a job is queued (jobs.enqueue): copy its tenant's rule onto it. True if the job is held."""
    if db.scalar(select(JobTimingRule.id).limit(1)) is None:  # the usual case: no rules anywhere
        return False
    rule = db.scalar(select(JobTimingRule).where(JobTimingRule.tenant_id == tenant_of_user(db, job.user_id),
                                                 JobTimingRule.kind == job.kind))
    if rule is None:
        return False
    db.flush()  # the job's id
    db.add(JobTiming(job_id=job.id, mode=rule.mode, polls=rule.polls, seconds=rule.seconds, message=rule.message,
                     reads=0, held=rule.mode == "manual"))
    if rule.mode == "immediate" and (pending := IMMEDIATE.get()) is not None:
        pending.append(job.id)
    return rule.mode == "manual"


def not_held() -> ColumnElement[bool]:
    """A SQL condition on Job, for the claim queries: the job is not held."""
    return ~exists().where(JobTiming.job_id == Job.id, JobTiming.held.is_(True))


def forced_failure(engine: Engine, job_id: int) -> str | None:
    """The message a `fail` job fails with when run; None for any other job."""
    with transaction(engine, write=False) as db:
        timing = db.get(JobTiming, job_id)
        return timing.message if timing is not None and timing.mode == "fail" else None


def release(db: Session, job_id: int, tenant_id: int) -> Job:
    """Let a held (`manual`) job run; the caller announces it to the workers (jobs.announce)."""
    job = db.get(Job, job_id) if is_id(job_id) else None
    timing = db.get(JobTiming, job_id) if job is not None else None
    if job is None or tenant_of_user(db, job.user_id) != tenant_id:
        raise NotFound("job", f"no job {job_id}")
    if timing is None or not timing.held:
        raise InvalidInput("job_id", f"job {job_id} is not held")
    timing.held = False
    db.flush()
    return job


def held_jobs(db: Session, tenant_id: int) -> list[Job]:
    held = select(Job).join(JobTiming, JobTiming.job_id == Job.id).where(JobTiming.held.is_(True)).order_by(Job.id)
    return [job for job in db.scalars(held) if tenant_of_user(db, job.user_id) == tenant_id]


def status_read(db: Session, job: Job, *, count: bool = True) -> Job:
    """The job as a status read shows it (every face's read of one job's status comes here): a `polls`
    job counts this read and is shown running until it has been read N times, a `delay` job until S
    seconds after it was queued. The shown values are set as loaded, never written back."""
    timing = db.get(JobTiming, job.id)
    if timing is None or timing.mode not in ("polls", "delay") or job.state == "waiting":  # waiting: for a choice
        return job
    if timing.mode == "polls":
        reads = _count_read(db, job.id) if count else timing.reads
        share = None if reads > (timing.polls or 0) else reads / ((timing.polls or 0) + 1)
    else:
        waited = (datetime.now(UTC) - job.created_at).total_seconds()
        share = None if waited >= (timing.seconds or 0) else waited / (timing.seconds or 1)
    if share is not None:
        _show_running(job, share)
    return job


def _count_read(db: Session, job_id: int) -> int:
    """Count one read and answer how many there have been: in the caller's transaction when it writes,
    else in a write transaction of its own (a read transaction on SQLite must not start writing)."""
    bind = db.get_bind()
    if isinstance(bind, Engine):  # a write session (reads are bound to their connection)
        return _counted(db, job_id)
    with transaction(bind.engine, write=True) as own:
        return _counted(own, job_id)


def _counted(db: Session, job_id: int) -> int:
    db.execute(update(JobTiming).where(JobTiming.job_id == job_id).values(reads=JobTiming.reads + 1))
    return db.scalar(select(JobTiming.reads).where(JobTiming.job_id == job_id)) or 0


def _show_running(job: Job, share: float) -> None:
    progress = job.progress if job.state == "running" else 0.0
    shown = {"state": "running", "progress": max(progress, min(99.0, round(share * 100, 1))),
             "result": None, "error": None, "finished_at": None,
             "message": job.message if job.state == "running" else None,
             "started_at": job.started_at or job.created_at, "updated_at": utcnow()}
    for name, value in shown.items():
        set_committed_value(job, name, value)
