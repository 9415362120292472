"""The job system on a real database: compare-and-set claims, leases, attempts, failures, progress."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import update

from courseport.core import jobs
from courseport.core.errors import InvalidInput
from courseport.schema import Job
from courseport.schema.base import utcnow

KIND = "test_job"


@pytest.fixture
def engine(world):
    return world.engine


@pytest.fixture
def handler(monkeypatch):
    """Register a test handler; `calls` records each run and `behaviour` decides what it does."""
    state = {"calls": [], "behaviour": lambda ctx: {"ok": ctx.attempt}}

    def run(ctx: jobs.JobContext):
        state["calls"].append(ctx.attempt)
        return state["behaviour"](ctx)

    monkeypatch.setitem(jobs.HANDLERS, KIND, run)
    return state


def _enqueue(engine, **kw) -> int:
    with jobs.transaction(engine, write=True) as db:
        return jobs.enqueue(db, KIND, {"n": 1}, **kw).id


def _job(engine, job_id) -> Job:
    with jobs.transaction(engine, write=False) as db:
        return jobs.get_job(db, job_id)


def _expire_lease(engine, job_id) -> None:
    """Simulate a dead worker: its lease ran out while the job was still running."""
    with jobs.transaction(engine, write=True) as db:
        db.execute(update(Job).where(Job.id == job_id).values(lease_until=utcnow() - timedelta(seconds=5)))


def test_only_one_of_many_concurrent_claims_wins(engine):
    job_id = _enqueue(engine)
    barrier = threading.Barrier(6)
    won: list[jobs.JobContext] = []

    def claimer(n: int) -> None:
        barrier.wait()
        ctx = jobs.claim(engine, f"w{n}", 60)
        if ctx is not None:
            won.append(ctx)

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [c.job_id for c in won] == [job_id]
    job = _job(engine, job_id)
    assert (job.state, job.worker_id, job.attempts) == ("running", won[0].worker_id, 1)
    assert jobs.claim(engine, "late", 60) is None  # a live lease keeps the job


def test_expired_lease_is_claimed_again_and_attempts_count(engine, handler):
    job_id = _enqueue(engine)
    first = jobs.claim(engine, "dead", 60)
    _expire_lease(engine, job_id)
    second = jobs.claim(engine, "alive", 60)
    assert (second.job_id, second.attempt) == (job_id, 2)
    with pytest.raises(jobs.JobLost):
        first.progress(50, force=True)  # the dead worker's lease is gone
    jobs.run(second, KIND)
    job = _job(engine, job_id)
    assert (job.state, job.attempts, job.result, job.progress) == ("completed", 2, {"ok": 2}, 100.0)


def test_attempts_used_up_fail_with_a_clear_error_and_the_queue_goes_on(engine, handler):
    stuck = _enqueue(engine, max_attempts=2)
    for worker in ("w1", "w2"):
        assert jobs.claim(engine, worker, 60).job_id == stuck
        _expire_lease(engine, stuck)
    waiting = _enqueue(engine)
    assert jobs.run_pending(engine) == 1  # the stuck job is failed, the next one still runs
    job = _job(engine, stuck)
    assert (job.state, job.attempts) == ("failed", 2)
    assert job.error == "the worker running this job stopped; attempts used up"
    assert _job(engine, waiting).state == "completed"
    assert handler["calls"] == [1]


def test_domain_error_fails_at_once(engine, handler):
    def refuse(ctx):
        raise InvalidInput("course_ids[]", "no such course")

    handler["behaviour"] = refuse
    job_id = _enqueue(engine)
    assert jobs.run_pending(engine) == 1
    job = _job(engine, job_id)
    assert (job.state, job.error, job.message, job.attempts) == ("failed", "no such course", "no such course", 1)
    assert handler["calls"] == [1]


def test_unexpected_error_is_retried_until_attempts_run_out(engine, handler):
    def crash(ctx):
        raise RuntimeError("disk on fire")

    handler["behaviour"] = crash
    job_id = _enqueue(engine, max_attempts=3)
    jobs.run_pending(engine)
    job = _job(engine, job_id)
    assert (job.state, job.attempts, job.error) == ("failed", 3, "RuntimeError: disk on fire")
    assert handler["calls"] == [1, 2, 3]


def test_progress_writes_at_most_every_half_second_unless_forced(engine, handler, monkeypatch):
    clock = {"now": 1000.0}
    monkeypatch.setattr(jobs.time, "monotonic", lambda: clock["now"])
    job_id = _enqueue(engine)
    ctx = jobs.claim(engine, "w", 60)

    def progress_after(seconds: float, percent: float, **kw) -> float:
        clock["now"] += seconds
        ctx.progress(percent, **kw)
        return _job(engine, job_id).progress

    assert progress_after(0, 10) == 10
    assert progress_after(0.2, 20) == 10  # too soon: not written
    assert progress_after(0.2, 30) == 10
    assert progress_after(0.2, 40) == 40  # 0.6 s since the last write
    assert progress_after(0.1, 50, force=True) == 50
    assert progress_after(0, 150, force=True) == 100  # clamped
    with jobs.transaction(engine, write=False) as db:
        assert jobs.get_job(db, job_id).lease_until > utcnow()


def test_a_job_written_in_a_rolled_back_transaction_does_not_exist(engine, handler):
    with pytest.raises(RuntimeError):
        with jobs.transaction(engine, write=True) as db:
            jobs.enqueue(db, KIND, {})
            raise RuntimeError("request failed")
    assert jobs.run_pending(engine) == 0
    assert handler["calls"] == []
