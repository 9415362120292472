"""SCORM Cloud JSON for courses (CourseSchema), import jobs (ImportJobResultSchema) and settings
(SettingListSchema)."""

from __future__ import annotations

from typing import Any

from courseport.core.packages.package_imports import ImportOutcome
from courseport.core.packages.package_settings import EffectiveSetting
from courseport.core.packages.scorm_courses import CourseView
from courseport.core.packages.statements import course_activity_id
from courseport.dialects.scorm_cloud.protocol import camel_keys, iso

_JOB_STATUS = {"queued": "RUNNING", "running": "RUNNING", "completed": "COMPLETE", "failed": "ERROR"}


def content_url(origin: str, web_path: str) -> str:
    """Where a version's files are served (the player of part B serves this path)."""
    return f"{origin}/content/courses/{web_path}/"


def render_course(view: CourseView, *, metadata: bool = False, registrations: bool = False,
                  per_version: bool = False) -> dict[str, Any]:
    course, version = view.course, view.version
    manifest = version.manifest or {}
    stamps = version if per_version else course
    body: dict[str, Any] = {
        "id": course.scorm_course_id, "title": course.name,
        "xapiActivityId": course_activity_id(course, version),  # the id the course's statements use
        "created": iso(stamps.created_at), "updated": iso(stamps.updated_at), "version": version.version,
        "activityId": (manifest.get("root_activity") or {}).get("external_identifier"),
        "courseLearningStandard": version.learning_standard, "tags": view.tags, "dispatched": False,
        "rootActivity": camel_keys(manifest.get("root_activity") or {}),
    }
    if registrations:
        body["registrationCount"] = view.registration_count
    if metadata:
        body["metadata"] = camel_keys(manifest.get("metadata") or {})
    return body


def render_import_job(outcome: ImportOutcome, origin: str) -> dict[str, Any]:
    job = outcome.job
    body: dict[str, Any] = {"jobId": str(job.id), "status": _JOB_STATUS.get(job.state, "RUNNING")}
    if job.state == "failed":
        body["message"] = job.error or "the import failed"
    elif job.state != "completed" and job.message:
        body["message"] = job.message
    if job.state == "completed" and job.result:
        result = job.result
        body["importResult"] = {
            "webPathToCourse": content_url(origin, result["web_path"]),
            "parserWarnings": result.get("warnings", []), "courseLanguages": result.get("languages", []),
        }
        if outcome.view is not None:
            body["importResult"]["course"] = render_course(outcome.view, metadata=True, per_version=True)
    return body


def render_settings(settings: list[EffectiveSetting], include_metadata: bool) -> dict[str, Any]:
    items = []
    for s in settings:
        item: dict[str, Any] = {"id": s.definition.id, "effectiveValue": s.value, "effectiveValueSource": s.source}
        if s.explicit is not None:
            item["explicitValue"] = s.explicit
        if include_metadata:
            d = s.definition
            item["metadata"] = {
                "default": d.default, "dataType": d.data_type, "settingDescription": d.description,
                "level": d.level, "learningStandards": list(d.learning_standards),
                "learningStandardVariant": "either",
                "validValues": [{"value": v, "valueDescription": text} for v, text in d.valid_values],
            }
        items.append(item)
    return {"settingItems": items}
