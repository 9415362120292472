"""Callbacks: when a job finishes, its outcome is POSTed to a URL the caller gave (a D2L callback,
a SCORM Cloud import postback).

The request that queues a job attaches the callback to it (`attach`): the body as the dialect
rendered it, plus where the outcome goes in it (the caller's word for the final state, and the
error or result fields, from the job's neutral outcome). Nothing waits for the job: in the
transaction that finishes it (`jobs.on_finished`), the body is completed and a delivery job is
queued, so a delivery survives restarts and a rolled-back finish queues none. The delivery job
posts through `core.outbound` with a short total deadline, tries a bounded number of times with
backoff, and records what happened on itself: it never touches the job it reports on, and never
holds a job slot for longer than its tries and their deadlines.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from courseport.core.jobs import jobs
from courseport.core.kit import outbound
from courseport.core.kit.errors import DomainError
from courseport.db import transaction
from courseport.schema import Job

KIND = "job_callback"
PAYLOAD_KEY = "callback"  # in the watched job's payload
DEADLINE_SECONDS = 5.0  # per try: resolve, connect, send, and the answer's headers
RETRY_DELAYS = (0.0, 1.0, 4.0)  # before each try; at most ~20 s of a job slot in all


@dataclass(frozen=True)
class Callback:
    """Where to post and what: `body` as the dialect rendered it when the job was queued; on finish,
    `status_field` gets `states[final state]`, `error_field` (if any) the error of a failed job, and
    `result_shape` (if any) fills fields of a completed job's body from its result: a nested dict
    whose leaves name result keys."""

    url: str
    body: dict[str, Any]
    status_field: str
    states: dict[str, str]
    allow: tuple[str, ...] = ()  # hosts/networks outbound posts may reach although not public
    error_field: str | None = None
    result_shape: dict[str, Any] = field(default_factory=dict)


def attach(db: Session, job: Job, callback: Callback) -> None:
    """Post `callback` when `job` finishes (call in the transaction that queues the job)."""
    job.payload = {**(job.payload or {}), PAYLOAD_KEY: {**asdict(callback), "allow": list(callback.allow)}}
    db.flush()


def _shaped(shape: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    return {k: _shaped(v, result) if isinstance(v, dict) else result.get(v) for k, v in shape.items()}


def render(spec: dict[str, Any], job: Job) -> dict[str, Any]:
    """The callback body for a finished job."""
    body = {**spec["body"], spec["status_field"]: spec["states"].get(job.state, job.state)}
    if job.state == "failed" and spec.get("error_field"):
        body[spec["error_field"]] = job.error
    if job.state == "completed" and spec.get("result_shape"):
        body.update(_shaped(spec["result_shape"], job.result or {}))
    return body


def queue_delivery(db: Session, job: Job) -> None:
    """The `jobs.on_finished` hook: a finished job with a callback gets its delivery job."""
    spec = (job.payload or {}).get(PAYLOAD_KEY)
    if not spec:
        return
    payload = {"job_id": job.id, "url": spec["url"], "body": render(spec, job), "allow": spec["allow"]}
    # A second attempt only after a worker died mid-delivery (the receiver may then get it twice).
    jobs.enqueue(db, KIND, payload, user_id=job.user_id, context_type="Job", context_id=job.id, max_attempts=2)


def deliver(ctx: jobs.JobContext) -> dict[str, Any]:
    p = ctx.payload
    if "states" in p:  # queued by an older version
        older = _from_older_version(ctx)
        if older is None:
            return {"delivered": False, "handed_to_job": True}
        p = older
    policy = outbound.OutboundPolicy(allow=tuple(p["allow"]), timeout=DEADLINE_SECONDS)
    error = None
    for attempt, delay in enumerate(RETRY_DELAYS, start=1):
        time.sleep(delay)
        ctx.progress(100.0 * (attempt - 1) / len(RETRY_DELAYS), f"try {attempt}", force=True)
        try:
            status = outbound.post_json(p["url"], p["body"], policy)
        except outbound.OutboundFailed as exc:
            error = exc.message
            continue
        except DomainError as exc:  # refused: a private address, or not an http(s) URL
            return {"delivered": False, "refused": exc.message, "attempts": attempt}
        if 200 <= status < 300:
            return {"delivered": True, "status": status, "attempts": attempt}
        error = f"the receiver answered {status}"
    return {"delivered": False, "error": error, "attempts": len(RETRY_DELAYS)}


def _from_older_version(ctx: jobs.JobContext) -> dict[str, Any] | None:
    """A callback job queued by an older version (the spec itself, waiting for its job): its
    delivery payload if the job has finished, else None after handing the spec to the job."""
    with transaction(ctx.engine, write=True) as db:
        job = db.get(Job, ctx.payload["job_id"], with_for_update=True)  # the finish cannot slip in between
        if job is None or job.state in ("completed", "failed", "cancelled"):
            body = render(ctx.payload, job) if job is not None else ctx.payload["body"]
            return {**ctx.payload, "body": body}
        job.payload = {**(job.payload or {}), PAYLOAD_KEY: ctx.payload}
        return None
