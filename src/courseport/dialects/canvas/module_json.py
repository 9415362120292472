"""Canvas JSON for modules, module items (with content details) and CourseProgress."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from courseport.core.content.module_progress import CourseProgress
from courseport.core.content.module_sequence import Sequence
from courseport.core.content.modules import ItemView, ModuleView
from courseport.dialects.canvas.protocol import iso

NO_PROGRESS = ("no progress available because this course is not module based (has modules and module "
               "completion requirements) or the user is not enrolled as a student in this course")
_API_PATHS = {"Assignment": "assignments", "Quiz": "quizzes", "Discussion": "discussion_topics", "File": "files"}
_NO_CONTENT_ID = frozenset({"Page", "SubHeader", "ExternalUrl"})


def render_module(view: ModuleView, includes: set[str], origin: str) -> dict[str, Any]:
    m, data = view.module, view.module.data or {}
    body: dict[str, Any] = {
        "id": m.id, "workflow_state": m.workflow_state, "position": m.position, "name": m.title,
        "unlock_at": iso(m.unlock_at), "require_sequential_progress": bool(data.get("require_sequential_progress")),
        "requirement_type": "all", "prerequisite_module_ids": list(data.get("prerequisite_module_ids") or []),
        "publish_final_grade": bool(data.get("publish_final_grade")), "items_count": view.items_count,
        "items_url": f"{origin}/api/v1/courses/{m.course_id}/modules/{m.id}/items",
    }
    if view.status is not None:
        body["state"] = view.status.state
        body["completed_at"] = iso(view.status.completed_at)
    if view.manages:
        body["published"] = m.workflow_state == "active"
    if "items" in includes:
        body["items"] = [render_module_item(i, includes, origin) for i in view.items]
    return body


def render_module_item(view: ItemView, includes: set[str], origin: str) -> dict[str, Any]:
    item, data, target = view.item, view.item.data or {}, view.entry.target
    kind, course_id = data.get("type"), item.course_id
    body: dict[str, Any] = {"id": item.id, "module_id": item.parent_id, "position": item.position,
                            "title": item.title, "indent": data.get("indent", 0), "type": kind}
    if kind == "ExternalUrl":
        body["html_url"] = f"{origin}/api/v1/courses/{course_id}/module_item_redirect/{item.id}"
    elif kind != "SubHeader":
        body["html_url"] = f"{origin}/courses/{course_id}/modules/items/{item.id}"
    if kind not in _NO_CONTENT_ID:
        body["content_id"] = item.ref_id or item.file_id or 0
    if kind == "Page" and target is not None:
        body["page_url"] = target.slug
    url = _api_url(view, origin)
    if url:
        body["url"] = url
    if kind in ("ExternalUrl", "ExternalTool"):
        body["external_url"] = data.get("external_url")
        body["new_tab"] = bool(data.get("new_tab"))
    req = data.get("completion_requirement")
    if req:
        body["completion_requirement"] = {"type": req["type"], **(
            {"min_score": req.get("min_score")} if req["type"] == "min_score" else {})}
        if view.status is not None:
            body["completion_requirement"]["completed"] = view.status.completed
    if view.manages:
        body["published"] = item.workflow_state == "active"
    if "content_details" in includes:
        body["content_details"] = render_content_details(view)
    return body


def _api_url(view: ItemView, origin: str) -> str | None:
    data, course_id = view.item.data or {}, view.item.course_id
    kind = data.get("type")
    base = f"{origin}/api/v1/courses/{course_id}"
    if kind in _API_PATHS:
        return f"{base}/{_API_PATHS[kind]}/{view.item.ref_id or view.item.file_id}"
    if kind == "Page" and view.entry.target is not None:
        return f"{base}/pages/{view.entry.target.slug}"
    if kind == "ExternalTool":
        return f"{base}/external_tools/sessionless_launch?{urlencode({'url': data.get('external_url') or ''})}"
    return None


def render_content_details(view: ItemView) -> dict[str, Any]:
    thing = view.entry.target or view.entry.file
    details: dict[str, Any] = {}
    if view.entry.file is not None:
        details["display_name"] = view.entry.file.display_name
    for name, attr in (("points_possible", "points"), ("due_at", "due_at"), ("unlock_at", "unlock_at"),
                       ("lock_at", "lock_at")):
        value = getattr(thing, attr, None)
        if value is not None:
            details[name] = iso(value) if name != "points_possible" else value
    locked = bool(view.status and view.status.locked)
    details["locked_for_user"] = locked
    if locked:
        details["lock_explanation"] = "This module item is locked."
    return details


def render_course_progress(progress: CourseProgress | None, course_id: int, origin: str) -> dict[str, Any]:
    if progress is None:
        return {"error": {"message": NO_PROGRESS}}
    next_id = progress.next_requirement_item_id
    return {
        "requirement_count": progress.requirement_count,
        "requirement_completed_count": progress.requirement_completed_count,
        "next_requirement_url": f"{origin}/courses/{course_id}/modules/items/{next_id}" if next_id else None,
        "completed_at": iso(progress.completed_at),
    }


def render_sequence(sequence: Sequence, origin: str) -> dict[str, Any]:
    """Canvas's ModuleItemSequence: each place the asset sits, with the items around it, and their modules."""
    def item(view: ItemView | None) -> dict[str, Any] | None:
        return None if view is None else render_module_item(view, set(), origin)

    return {"items": [{"prev": item(s.prev), "current": item(s.current), "next": item(s.next), "mastery_path": None}
                      for s in sequence.steps],
            "modules": [render_module(m, set(), origin) for m in sequence.modules]}
