"""Diagnostic jobs for operators and tests: exercise workers, leases and crash recovery.

`diagnostic_sleep` sleeps `seconds` in `steps`, reporting progress (which extends its lease) after
each step, and writes its marker only at the end, in one transaction that also confirms the job is
still this worker's. A worker killed mid-job therefore leaves no marker behind, which is how a test
or an operator can see that a handler's work appears whole or not at all.
"""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy.orm import Session

from courseport.core.jobs import jobs
from courseport.core.kit.errors import InvalidInput
from courseport.db import transaction
from courseport.schema import InstanceValue, Job

SLEEP_KIND = "diagnostic_sleep"
MAX_SECONDS = 3600.0
MAX_STEPS = 10_000


def queue_sleep(db: Session, seconds: float, steps: int = 10, *, marker: str | None = None,
                max_attempts: int = 3) -> Job:
    """Queue a job that sleeps `seconds` in `steps`; with `marker`, it records its run under that name."""
    if not 0 <= seconds <= MAX_SECONDS:
        raise InvalidInput("seconds", f"seconds must be between 0 and {MAX_SECONDS:g}")
    if not 1 <= steps <= MAX_STEPS:
        raise InvalidInput("steps", f"steps must be between 1 and {MAX_STEPS}")
    if marker is not None and not 1 <= len(marker) <= 48:
        raise InvalidInput("marker", "marker must be 1 to 48 characters")
    return jobs.enqueue(db, SLEEP_KIND, {"seconds": seconds, "steps": steps, "marker": marker},
                        max_attempts=max_attempts)


def marker_name(marker: str) -> str:
    return f"diagnostic:{marker}"


def read_marker(db: Session, marker: str) -> dict[str, Any] | None:
    """What the diagnostic job named `marker` recorded, or None if no run of it finished its work."""
    row = db.get(InstanceValue, marker_name(marker))
    return json.loads(row.value) if row is not None else None


def run_sleep(ctx: jobs.JobContext) -> dict[str, Any]:
    seconds, steps = float(ctx.payload["seconds"]), int(ctx.payload["steps"])
    for step in range(1, steps + 1):
        time.sleep(seconds / steps)
        ctx.progress(100.0 * step / steps, f"step {step} of {steps}", force=step == steps)
    result = {"steps": steps, "attempt": ctx.attempt, "worker_id": ctx.worker_id}
    marker = ctx.payload.get("marker")
    if marker:
        with transaction(ctx.engine, write=True) as db:
            ctx.confirm_held(db)
            _write_marker(db, marker, {**result, "job_id": ctx.job_id})
    return result


def _write_marker(db: Session, marker: str, record: dict[str, Any]) -> None:
    row = db.get(InstanceValue, marker_name(marker))
    if row is None:
        db.add(InstanceValue(name=marker_name(marker), value=json.dumps({**record, "runs": 1})))
    else:
        # A run that wrote its marker but died before its job completed is run again: count it.
        row.value = json.dumps({**record, "runs": json.loads(row.value)["runs"] + 1})
    db.flush()
