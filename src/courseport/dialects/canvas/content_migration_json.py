"""Canvas JSON for copies: ContentMigration, MigrationIssue, Migrator, and the course copy status."""

from __future__ import annotations

from typing import Any

from courseport.core.copy.content_migrations import WAITING, CopyRecord
from courseport.dialects.canvas.protocol import iso
from courseport.schema import Job

COURSE_COPY = "course_copy_importer"
COURSE_COPY_TITLE = "Copy a Canvas Course"
MIGRATORS = [{"type": COURSE_COPY, "requires_file_upload": False, "name": COURSE_COPY_TITLE,
              "required_settings": ["source_course_id"]}]
_MIGRATION_STATES = {"queued": "queued", "running": "running", "completed": "completed", "failed": "failed",
                     WAITING: "waiting_for_select"}
_COPY_STATES = {"queued": "created", WAITING: "created", "running": "started", "completed": "completed",
                "failed": "failed"}


def render_migration(record: CopyRecord, origin: str) -> dict[str, Any]:
    job, base = record.job, f"{origin}/api/v1/courses/{record.course_id}/content_migrations/{record.job.id}"
    body: dict[str, Any] = {
        "id": job.id, "migration_type": COURSE_COPY, "migration_type_title": COURSE_COPY_TITLE,
        "migration_issues_url": f"{base}/migration_issues", "migration_issues_count": len(record.issues),
        "progress_url": f"{origin}/api/v1/progress/{job.id}", "user_id": job.user_id,
        "workflow_state": _MIGRATION_STATES.get(job.state, job.state), "created_at": iso(job.created_at),
        "started_at": iso(job.started_at), "finished_at": iso(job.finished_at),
    }
    source_id = (job.payload or {}).get("source_course_id")
    body["settings"] = {"source_course_id": source_id,
                        "source_course_name": record.source.name if record.source else None,
                        "source_course_html_url": f"{origin}/courses/{source_id}"}
    return body


def render_issue(record: CopyRecord, number: int, issue: dict[str, Any], origin: str) -> dict[str, Any]:
    job = record.job
    course_url = f"{origin}/courses/{record.course_id}"
    failed = issue["type"] == "error"
    what = f"{issue['type'].replace('_', ' ').capitalize()} \"{issue['title']}\" was not copied: {issue['reason']}"
    return {
        "id": number, "content_migration_url":
            f"{origin}/api/v1/courses/{record.course_id}/content_migrations/{job.id}",
        "description": issue["reason"] if failed else what, "workflow_state": "active",
        "fix_issue_html_url": course_url if failed else f"{course_url}/modules",
        "issue_type": "error" if failed else "warning", "error_report_html_url": None,
        "error_message": issue["reason"] if failed else None,
        "created_at": iso(job.finished_at or job.created_at), "updated_at": iso(job.finished_at or job.updated_at),
    }


def render_course_copy(job: Job, course_id: int) -> dict[str, Any]:
    """The course copy status: progress is null until the copy starts, 100 once it is done."""
    progress = None if job.state in ("queued", WAITING) else (100 if job.state == "completed" else int(job.progress))
    return {"id": job.id, "progress": progress, "workflow_state": _COPY_STATES.get(job.state, job.state),
            "created_at": iso(job.created_at), "status_url": f"/api/v1/courses/{course_id}/course_copy/{job.id}"}
