"""Job timing control over HTTP: rules per job kind for the caller's tenant, releasing held jobs, and the
ASGI wrapper that runs `immediate` jobs before the request that queued them answers."""

from __future__ import annotations

import os
import time
from typing import Any

import anyio

from courseport.core.jobs import job_timing, jobs
from courseport.core.jobs.job_timing import Timing
from courseport.db import transaction
from courseport.dialects.canvas.protocol import Call, delete, get, post, put, to_float
from courseport.schema import Job, JobTimingRule
from courseport.web.controls.access import controls_router, tenant_admin

IMMEDIATE_DEADLINE = 120.0  # seconds an answer waits for its immediate jobs at most


def _rule(rule: JobTimingRule) -> dict[str, Any]:
    return {"kind": rule.kind, "mode": rule.mode, "polls": rule.polls, "seconds": rule.seconds,
            "message": rule.message}


@get("/job_timing", summary="Job timing rules of the caller's tenant, the job kinds and the held jobs")
def list_job_timing(call: Call) -> dict:
    with call.read() as (db, me):
        tenant_id = tenant_admin(db, me)
        return {"tenant_id": tenant_id, "kinds": sorted(jobs.HANDLERS), "modes": list(job_timing.MODES),
                "rules": [_rule(r) for r in job_timing.rules(db, tenant_id)],
                "held_jobs": [{"id": j.id, "kind": j.kind} for j in job_timing.held_jobs(db, tenant_id)]}


@put("/job_timing/{kind:str}", summary="Set how jobs of a kind run: immediate, manual, polls, delay or fail",
     description=("Body (JSON or form): mode (immediate, manual, polls, delay, fail); polls (mode polls: status reads "
                  "shown as running); seconds (mode delay); message (mode fail: the sentence the job fails with)."))
def set_job_timing(call: Call, kind: str) -> dict:
    with call.write() as (db, me):
        tenant_id = tenant_admin(db, me)
        timing = Timing(kind, call.str("mode") or "", call.int("polls"), to_float(call.raw("seconds"), "seconds"),
                        call.str("message"))
        return _rule(job_timing.set_rule(db, tenant_id, job_timing.checked(timing, set(jobs.HANDLERS))))


@delete("/job_timing/{kind:str}", summary="Jobs of a kind run as the server's job mode says again")
def remove_job_timing(call: Call, kind: str) -> dict:
    with call.write() as (db, me):
        job_timing.remove_rule(db, tenant_admin(db, me), kind)
    return {"kind": kind, "removed": True}


@post("/jobs/{job_id:int}/release", status_code=200, summary="Let a held (manual) job run")
def release_job(call: Call, job_id: int) -> dict:
    with call.write() as (db, me):
        job = job_timing.release(db, job_id, tenant_admin(db, me))
        jobs.announce(db, job)
    call.services.jobs.notify()
    return {"id": job_id, "released": True}


def run_now(services: Any, job_ids: list[int]) -> None:
    """Run these jobs to their end in this thread (or wait while another worker does), each in turn."""
    engine, worker_id = services.engine, f"immediate:{os.getpid()}"
    deadline = time.monotonic() + IMMEDIATE_DEADLINE
    for job_id in job_ids:
        while time.monotonic() < deadline:
            with transaction(engine, write=False) as db:
                job = db.get(Job, job_id)  # None: the request that queued it rolled back
                if job is None or job.state not in ("queued", "running"):
                    break
            ctx = jobs.claim_job(engine, job_id, worker_id, services.settings.job_lease_seconds)
            if ctx is None:
                time.sleep(0.05)  # another worker runs it: wait for its end
                continue
            ctx.services = services
            jobs.run(ctx, jobs.kind_of(engine, job_id))


class ImmediateJobs:
    """ASGI wrapper: collects the `immediate` jobs a request queues (job_timing.IMMEDIATE) and runs them
    after the request's transaction committed, before its answer starts."""

    def __init__(self, app: Any, services: Any):
        self.app, self.services = app, services

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        pending: list[int] = []
        token = job_timing.IMMEDIATE.set(pending)

        async def send_after_jobs(message: dict) -> None:
            if message["type"] == "http.response.start" and pending:
                ids = list(pending)
                pending.clear()
                await anyio.to_thread.run_sync(run_now, self.services, ids)
            await send(message)

        try:
            await self.app(scope, receive, send_after_jobs)
        finally:
            job_timing.IMMEDIATE.reset(token)


ROUTES = [controls_router([list_job_timing, set_job_timing, remove_job_timing, release_job], "job timing")]
