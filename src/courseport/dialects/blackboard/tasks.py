"""Learn course tasks: a copy's progress (200 while it runs, 303 See Other to the course when done)."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.copy import record_copies
from courseport.core.kit.errors import NotFound
from courseport.dialects.blackboard import entitlements as entitled
from courseport.dialects.blackboard.course_fields import record_ref
from courseport.dialects.blackboard.protocol import PREFIX, Call, get_writing, iso, learn_id, primary_number
from courseport.schema import Job

# Job states as Learn names task states; a failed copy is Incomplete and says why in `message`.
_STATUS = {"queued": "Queued", "running": "Running", "completed": "Complete", "failed": "Incomplete"}


def render_task(job: Job) -> dict[str, Any]:
    result = job.result or {}
    status = _STATUS.get(job.state, job.state)
    if job.state == "completed" and result.get("skipped"):
        status = "CompleteErrors"
    body = {"id": learn_id(job.id), "type": "CourseCopy", "status": status,
            "percentComplete": int(job.progress), "started": iso(job.started_at), "ended": iso(job.finished_at),
            "message": job.error if job.state == "failed" else None,
            "skipped": result.get("skipped") or None}
    return {k: v for k, v in body.items() if v is not None}


@get_writing("/v1/courses/{course_id:str}/tasks/{task_id:str}")
def get_task(call: Call, course_id: str, task_id: str) -> Response:
    number = primary_number(task_id)
    if number is None:
        raise NotFound("task", "Task not found")
    with call.read(*entitled.COPY_TASK_VIEW) as (db, me):
        job = record_copies.copy_task(db, me, record_ref(course_id), number)
    body = call.pick(render_task(job))
    if job.state != "completed":
        return Response(body, status_code=200)
    target = learn_id(job.payload["target_course_id"])
    return Response(body, status_code=303, headers={"Location": f"{PREFIX}/v3/courses/{target}"})


ROUTES = [get_task]
