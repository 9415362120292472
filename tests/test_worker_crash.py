"""A worker process SIGKILLed mid-job (PostgreSQL): the job is run again to completion by another
worker, or failed with a clear error when its attempts are used up, and never left half done."""

from __future__ import annotations

import signal

from courseport.core.jobs import jobs
from tests.test_worker import STARTUP, job_row, marker_of, pid_of, queue_sleep, requires_pg, wait_for, workers  # noqa: F401

pytestmark = requires_pg
LEASE = 1.5  # short, so the dead worker's lease runs out quickly


def _kill_mid_job(world, workers, max_attempts: int) -> tuple[int, str, int]:
    """Start a worker, let it get well into a diagnostic job, SIGKILL it. Returns job id, marker, dead pid."""
    doomed = workers.start(lease_seconds=LEASE)
    job_id, marker = queue_sleep(world.engine, 3, 12, max_attempts=max_attempts)
    wait_for(lambda: job_row(world.engine, job_id).progress >= 25, STARTUP, "the first worker to be well into the job")
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)
    job = job_row(world.engine, job_id)
    assert (job.state, pid_of(job.worker_id), job.attempts) == ("running", doomed.pid, 1)
    assert marker_of(world.engine, marker) is None  # the killed run left nothing behind
    return job_id, marker, doomed.pid


def test_a_job_whose_worker_was_killed_is_run_again_to_completion(world, workers):
    job_id, marker, dead_pid = _kill_mid_job(world, workers, max_attempts=3)
    rescuer = workers.start(lease_seconds=LEASE)
    wait_for(lambda: job_row(world.engine, job_id).state == "completed", STARTUP, "the second worker to finish the job")
    job = job_row(world.engine, job_id)
    assert (job.attempts, pid_of(job.worker_id), job.progress, job.error) == (2, rescuer.pid, 100.0, None)
    assert job.result == {"steps": 12, "attempt": 2, "worker_id": job.worker_id}
    assert marker_of(world.engine, marker) == {**job.result, "job_id": job_id, "runs": 1}


def test_a_job_out_of_attempts_whose_worker_was_killed_fails_clearly(world, workers):
    job_id, marker, _ = _kill_mid_job(world, workers, max_attempts=1)
    workers.start(lease_seconds=LEASE)
    wait_for(lambda: job_row(world.engine, job_id).state == "failed", STARTUP, "the second worker to fail the job")
    job = job_row(world.engine, job_id)
    assert (job.attempts, job.error, job.message, job.result) == (1, jobs.STOPPED_ERROR, jobs.STOPPED_ERROR, None)
    assert marker_of(world.engine, marker) is None

