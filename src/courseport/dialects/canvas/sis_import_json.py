"""Canvas's SisImport object from an SIS import job (core/courses/sis_imports.py) and its result."""

from __future__ import annotations

from typing import Any

from courseport.dialects.canvas.protocol import iso
from courseport.schema import Job

# Canvas's workflow states and the job states each stands for (a finished job's by its result).
STATES_OF = {"created": ("queued",), "importing": ("running",), "imported": ("completed",),
             "imported_with_messages": ("completed",), "failed": ("failed",), "failed_with_messages": ("failed",),
             "aborted": ("cancelled",)}
# Canvas's class names for the statistics of each kind.
_CLASSES = {"account": "Account", "term": "EnrollmentTerm", "user": "Pseudonym", "login": "Pseudonym",
            "course": "Course", "section": "CourseSection", "enrollment": "Enrollment",
            "group_category": "GroupCategory",
            "group": "Group", "group_membership": "GroupMembership", "admin": "AccountUser",
            "user_observer": "UserObserver", "communication_channel": "CommunicationChannel",
            "abstract_course": "AbstractCourse"}
_OUTCOMES = ("created", "concluded", "deactivated", "restored", "deleted")
_COUNTS = ("accounts", "terms", "users", "courses", "sections", "xlists", "enrollments")  # the kinds core counts
_EXTRA_COUNTS = ("change_sis_ids", "abstract_courses", "logins", "admins", "group_categories", "groups",
                 "group_memberships", "grade_publishing_results", "user_observers")


def workflow_state(job: Job) -> str:
    result = job.result or {}
    if job.state == "completed":
        if result.get("aborted"):
            return "aborted"  # batch mode's cleanup refused to run (its change threshold)
        if result.get("failed"):
            return "failed_with_messages"
        return "imported_with_messages" if result.get("warnings") or result.get("errors") else "imported"
    if job.state == "failed":
        return "failed_with_messages"
    return {"queued": "created", "waiting": "created", "running": "importing", "cancelled": "aborted"}.get(
        job.state, job.state)


def _errors(job: Job) -> list[list[str]]:
    if job.state == "failed":
        return [[job.payload.get("filename") or "sis_import", job.error or "The import failed."]]
    return list((job.result or {}).get("errors") or [])


def _counts(result: dict[str, Any], warnings: list, errors: list) -> dict[str, int]:
    counts = {name: 0 for name in (*_COUNTS, *_EXTRA_COUNTS)}
    counts.update(result.get("counts") or {})
    return {**counts, "error_count": len(errors), "warning_count": len(warnings)}


def _statistics(result: dict[str, Any]) -> dict[str, Any]:
    stats = result.get("statistics") or {}
    # Canvas counts the state changes of the objects it keeps statistics for (a cross-listing is none of them)
    body: dict[str, Any] = {"total_state_changes": sum(n for kind, outcomes in stats.items() if kind in _CLASSES
                                                       for o, n in outcomes.items() if o != "skipped")}
    for kind, name in _CLASSES.items():  # logins are Pseudonyms, as users' logins are
        before = body.get(name) or {}
        body[name] = {outcome: before.get(outcome, 0) + stats.get(kind, {}).get(outcome, 0) for outcome in _OUTCOMES}
    return body


def render_sis_import(job: Job) -> dict[str, Any]:
    result, options = job.result or {}, job.payload.get("options") or {}
    state = workflow_state(job)
    warnings, errors = list(result.get("warnings") or []), _errors(job)
    finished = job.state in ("completed", "failed", "cancelled")
    return {
        "id": job.id, "created_at": iso(job.created_at), "started_at": iso(job.started_at),
        "ended_at": iso(job.finished_at) if finished else None, "updated_at": iso(job.updated_at),
        "workflow_state": state,
        "data": {"import_type": options.get("import_type", "instructure_csv"),
                 "supplied_batches": list(result.get("supplied_batches") or []),
                 "counts": _counts(result, warnings, errors) if job.state == "completed" else None},
        "statistics": _statistics(result) if job.state == "completed" else None,
        "progress": 100 if finished else int(job.progress or 0),
        "errors_attachment": None,
        "processing_warnings": warnings, "processing_errors": errors,
        "batch_mode": options.get("batch_mode", False) or None,
        "batch_mode_term_id": job.payload.get("batch_term_id"),
        "multi_term_batch_mode": options.get("multi_term_batch_mode", False),
        "skip_deletes": options.get("skip_deletes", False),
        "override_sis_stickiness": options.get("override_sis_stickiness", False) or None,
        "add_sis_stickiness": options.get("add_sis_stickiness", False) or None,
        "clear_sis_stickiness": options.get("clear_sis_stickiness", False) or None,
        "diffing_data_set_identifier": options.get("diffing_data_set_identifier"),
        "diffing_remaster": options.get("diffing_remaster_data_set", False),
        "diffed_against_import_id": result.get("diffed_against"),
        "diffing_drop_status": options.get("diffing_drop_status"),
        "diffing_user_remove_status": options.get("diffing_user_remove_status"),
        "diffing_threshold_exceeded": bool(result.get("diffing_threshold_exceeded")),
        "change_threshold": options.get("change_threshold"),
        "csv_attachments": [],
    }
