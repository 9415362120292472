"""Completion callbacks: when a job finishes, POST a JSON body to a URL the caller gave.

A callback is a job of its own, written with the job it reports on, so it survives restarts and
its failures never touch that job. It waits for the watched job to finish, fills the body's status
field with the caller's name for the final state, and posts through `core.outbound` (timeout,
redirect and private-address checks), trying again a few times when the receiver fails.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from courseport.core import jobs, outbound
from courseport.core.errors import DomainError
from courseport.db import transaction
from courseport.schema import Job

KIND = "job_callback"
FINAL_STATES = ("completed", "failed", "cancelled")
TIMEOUT_SECONDS = 5.0
RETRY_DELAYS = (0.0, 2.0, 10.0)  # before each delivery attempt
WAIT_SECONDS = 3600.0  # longest wait for the watched job, heartbeating the lease meanwhile


@dataclass(frozen=True)
class Callback:
    """Where to post, what, and the caller's word for each final job state (`states[job.state]`)."""

    url: str
    body: dict[str, Any]
    status_field: str
    states: dict[str, str]
    allow: tuple[str, ...] = ()  # hosts/networks outbound posts may reach although not public


def queue_callback(db, watched: Job, callback: Callback) -> Job:  # noqa: ANN001
    payload = {"job_id": watched.id, "url": callback.url, "body": callback.body,
               "status_field": callback.status_field, "states": callback.states, "allow": list(callback.allow)}
    return jobs.enqueue(db, KIND, payload, user_id=watched.user_id, context_type="Job", context_id=watched.id,
                        max_attempts=1)


def _final_state(ctx: jobs.JobContext) -> str:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        with transaction(ctx.engine, write=False) as db:
            state = db.get(Job, ctx.payload["job_id"]).state
        if state in FINAL_STATES:
            return state
        if time.monotonic() > deadline:
            raise DomainError(f"job {ctx.payload['job_id']} did not finish in time")
        ctx.progress(0.0, "waiting for the job to finish")
        time.sleep(0.5)


@jobs.job_handler(KIND)
def deliver(ctx: jobs.JobContext) -> dict:
    p = ctx.payload
    state = _final_state(ctx)
    body = {**p["body"], p["status_field"]: p["states"].get(state, state)}
    policy, error = outbound.OutboundPolicy(allow=tuple(p["allow"]), timeout=TIMEOUT_SECONDS), None
    for attempt, delay in enumerate(RETRY_DELAYS, start=1):
        time.sleep(delay)
        try:
            status = outbound.post_json(p["url"], body, policy)
        except outbound.OutboundRefused as exc:
            return {"delivered": False, "refused": exc.message, "attempts": attempt, "body": body}
        except outbound.OutboundFailed as exc:
            error = exc.message
            continue
        if 200 <= status < 300:
            return {"delivered": True, "status": status, "attempts": attempt, "body": body}
        error = f"the receiver answered {status}"
    return {"delivered": False, "error": error, "attempts": len(RETRY_DELAYS), "body": body}
