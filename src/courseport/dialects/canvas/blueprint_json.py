"""Canvas JSON for blueprint templates, migrations (syncs and imports), change records and subscriptions."""

from __future__ import annotations

from typing import Any

from courseport.core.blueprints.blueprint_sync import Change, ChangeRecord
from courseport.core.blueprints.blueprints import SubscriptionView, TemplateView
from courseport.dialects.canvas.protocol import iso
from courseport.schema import BlueprintImport, BlueprintMigration, Course

# Canvas asset types per item type (the rest keep their own name).
ASSET_TYPES = {"page": "wiki_page", "module": "context_module", "module_item": "content_tag",
               "file": "attachment", "quiz_question": "quiz_question"}
# Where each asset type lives under /courses/:id/ in Canvas urls.
_PATHS = {"assignment": "assignments", "wiki_page": "pages", "discussion_topic": "discussion_topics",
          "announcement": "announcements", "quiz": "quizzes", "context_module": "modules",
          "calendar_event": "calendar_events", "assignment_group": "assignments", "attachment": "files"}
# An associated course's import result, in the sync's workflow words.
_IMPORT_STATES = {"completed": "completed", "failed": "imports_failed"}


def render_template(view: TemplateView, origin: str) -> dict[str, Any]:
    t = view.template
    latest = view.latest_migration
    return {"id": t.id, "course_id": t.course_id, "last_export_completed_at": iso(t.last_export_completed_at),
            "associated_course_count": view.associated_course_count,
            "latest_migration": render_migration(latest) if latest is not None else None}


def render_migration(m: BlueprintMigration, result: BlueprintImport | None = None) -> dict[str, Any]:
    """A sync as the blueprint sees it, or (with `result`) as one associated course's import."""
    body: dict[str, Any] = {"id": m.id, "user_id": m.user_id, "workflow_state": m.workflow_state,
                            "created_at": iso(m.created_at), "exports_started_at": iso(m.exports_started_at),
                            "imports_queued_at": iso(m.imports_queued_at),
                            "imports_completed_at": iso(m.imports_completed_at), "comment": m.comment}
    if result is None:
        body["template_id"] = m.template_id
    else:
        body["subscription_id"] = result.subscription_id
        body["workflow_state"] = _IMPORT_STATES.get(result.workflow_state, m.workflow_state)
        if result.completed_at is not None:
            body["imports_completed_at"] = iso(result.completed_at)
    if m.error or (result is not None and result.error):
        body["error"] = result.error if result is not None and result.error else m.error
    return body


def _asset(asset_type: str, item_id: int, course_id: int, origin: str) -> tuple[str, str]:
    kind = ASSET_TYPES.get(asset_type, asset_type)
    if kind in ("settings", "course", "syllabus"):
        return kind, f"{origin}/courses/{course_id}/settings"
    path = _PATHS.get(kind)
    return kind, f"{origin}/courses/{course_id}/{path}/{item_id}" if path else f"{origin}/courses/{course_id}"


def render_change(change: Change, course: Course, origin: str) -> dict[str, Any]:
    kind, url = _asset(change.asset_type, change.item_id, course.id, origin)
    if change.change_type == "initial_sync":
        url = f"{origin}/courses/{course.id}"
    return {"asset_id": change.item_id, "asset_type": kind, "asset_name": change.asset_name,
            "change_type": change.change_type, "html_url": url, "locked": change.locked}


def render_change_record(record: ChangeRecord, course: Course, origin: str) -> dict[str, Any]:
    c = record.change
    asset_id = c.item_id if c.item_id is not None else course.id
    kind, url = _asset(c.asset_type, asset_id, course.id, origin)
    return {"asset_id": asset_id, "asset_type": kind, "asset_name": c.asset_name, "change_type": c.change_type,
            "html_url": url, "locked": c.locked,
            "exceptions": [{"course_id": e.course_id, "conflicting_changes": list(e.conflicting_changes)}
                           for e in record.exceptions]}


def render_associated_course(course: Course, term_name: str) -> dict[str, Any]:
    return {"id": course.id, "name": course.name, "course_code": course.course_code,
            "sis_course_id": course.sis_course_id, "term_name": term_name, "teachers": []}


def render_subscription(view: SubscriptionView) -> dict[str, Any]:
    c = view.blueprint
    return {"id": view.subscription.id, "template_id": view.subscription.template_id,
            "blueprint_course": {"id": c.id, "name": c.name, "course_code": c.course_code,
                                 "term_name": view.term_name}}
