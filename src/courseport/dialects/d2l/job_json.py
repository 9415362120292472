"""Course.* job blocks: copy and import job states in Valence's words, CopyJobComplete."""

from __future__ import annotations

from typing import Any

from courseport.schema import Job

COPY_STATES = {"queued": "PENDING", "waiting": "PENDING", "running": "PROCESSING", "completed": "COMPLETE",
               "failed": "FAILED", "cancelled": "CANCELLED"}
# Import jobs move through the adaptation steps their handler reports as its progress message.
IMPORT_STEPS = ("PROCESSING", "PROCESSED", "IMPORTING")
IMPORT_STATES = {"queued": "UPLOADING", "completed": "COMPLETED", "failed": "IMPORTFAILED",
                 "cancelled": "IMPORTFAILED"}


def copy_status(job: Job) -> str:
    return COPY_STATES.get(job.state, "PENDING")


def import_status(job: Job) -> str:
    if job.state == "running":
        return job.message if job.message in IMPORT_STEPS else "PROCESSING"
    return IMPORT_STATES.get(job.state, "UPLOADING")


def render_copy_complete(job: Job, source_org_unit_id: int, target_org_unit_id: int) -> dict[str, Any]:
    return {"JobToken": str(job.id), "SourceOrgUnitId": source_org_unit_id, "TargetOrgUnitId": target_org_unit_id,
            "Status": copy_status(job)}


def render_import_job(job: Job, target_org_unit_id: int) -> dict[str, Any]:
    return {"JobToken": str(job.id), "TargetOrgUnitId": target_org_unit_id, "Status": import_status(job)}
