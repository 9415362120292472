"""A running job's lease is kept alive by a heartbeat while its handler works, even through a step
longer than the lease with no progress report, so no other worker takes a job that is running fine;
once the handler returns the heartbeat stops, so a worker that dies leaves its lease to run out."""

from __future__ import annotations

import time

from courseport.core.jobs import jobs
from courseport.core.jobs.job_leases import kept_alive
from tests.core.test_jobs import KIND, _enqueue, _job, engine, handler  # noqa: F401 - the fixtures

LEASE = 1.0


def test_a_handler_longer_than_its_lease_is_not_taken_over(engine, handler):  # noqa: F811 - fixtures
    job_id = _enqueue(engine)
    rivals: list[object] = []

    def long_step(ctx: jobs.JobContext) -> dict:
        deadline = time.monotonic() + 3 * LEASE  # one step, no progress report
        while time.monotonic() < deadline:
            rivals.append(jobs.claim(engine, "rival", LEASE))
            rivals.extend(jobs.requeue_stalled(engine))
            time.sleep(LEASE / 4)
        return {"done": ctx.attempt}

    handler["behaviour"] = long_step
    ctx = jobs.claim(engine, "first", LEASE)
    assert jobs.run(ctx, KIND).state == "completed"
    assert len(rivals) >= 8 and not any(rivals)  # every rival claim and reaping round found it held
    job = _job(engine, job_id)
    assert (job.state, job.attempts, job.worker_id, job.result) == ("completed", 1, "first", {"done": 1})


def test_the_heartbeat_stops_with_its_block_and_when_the_job_is_no_longer_held():
    beats: list[float] = []
    with kept_alive(lambda: beats.append(time.monotonic()) is None and len(beats) < 3, 0.15):
        assert _soon(lambda: len(beats) >= 3)
        time.sleep(0.6)  # four more beats' time
    assert len(beats) == 3  # the third renewal said the job was no longer held: no fourth
    with kept_alive(lambda: beats.append(time.monotonic()) is None, 0.3):
        pass
    time.sleep(0.3)
    assert len(beats) == 3  # a block that ended before the first beat renewed nothing


def test_a_failing_renewal_is_tried_again_at_the_next_beat(caplog):
    calls: list[int] = []

    def flaky() -> bool:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("the database went away for a moment")
        return True

    with kept_alive(flaky, 0.15, "job 7"):
        assert _soon(lambda: len(calls) >= 2)
    assert "could not renew the lease of job 7" in caplog.text


def _soon(condition, seconds: float = 10.0) -> bool:  # noqa: ANN001 - a callable
    """Whether `condition` holds within `seconds` (the heartbeat thread may start late on a busy machine)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
