"""Canvas JSON for outcomes (full and abbreviated), outcome groups (full and abbreviated) and outcome links, of
a course, an account or the global context (context_type "Course", "Account" or null). `can_edit` is decided by
the route's caller: a group by the context's manage right, an outcome by that right in its own context only (a
course reads another context's outcome it links)."""

from __future__ import annotations

from typing import Any

from courseport.core.coursework.outcome_groups import LinkView
from courseport.core.coursework.outcome_owners import ACCOUNT, COURSE, context_of
from courseport.schema.content import ContentItem

_CONTEXT_TYPES = {COURSE: "Course", ACCOUNT: "Account"}
_CONTEXT_PATHS = {COURSE: "courses", ACCOUNT: "accounts"}


def context_fields(item: ContentItem) -> dict[str, Any]:
    kind, owner_id = context_of(item)
    return {"context_id": owner_id, "context_type": _CONTEXT_TYPES.get(kind)}


def _group_url(group: ContentItem) -> str:
    kind, owner_id = context_of(group)
    where = f"{_CONTEXT_PATHS[kind]}/{owner_id}" if kind in _CONTEXT_PATHS else "global"
    return f"/api/v1/{where}/outcome_groups/{group.id}"


def render_outcome_abbrev(item: ContentItem, can_edit: bool) -> dict[str, Any]:
    data = item.data or {}
    return {"id": item.id, "url": f"/api/v1/outcomes/{item.id}", **context_fields(item), "title": item.title,
            "display_name": data.get("display_name"), "vendor_guid": data.get("vendor_guid"), "can_edit": can_edit}


def render_outcome(item: ContentItem, can_edit: bool) -> dict[str, Any]:
    data = item.data or {}
    out = {**render_outcome_abbrev(item, can_edit), "description": item.body or "",
           "points_possible": item.points, "mastery_points": data.get("mastery_points"),
           "calculation_method": data.get("calculation_method"),
           "ratings": [{"description": r["description"], "points": r["points"]} for r in data.get("ratings") or []],
           "can_unlink": True, "assessed": False, "has_updateable_rubrics": False}
    if data.get("calculation_int") is not None:
        out["calculation_int"] = data["calculation_int"]
    return out


def render_group_abbrev(group: ContentItem, can_edit: bool) -> dict[str, Any]:
    url = _group_url(group)
    return {"id": group.id, "url": url, "title": group.title, "vendor_guid": (group.data or {}).get("vendor_guid"),
            "subgroups_url": f"{url}/subgroups", "outcomes_url": f"{url}/outcomes", "can_edit": can_edit}


def render_group(group: ContentItem, parent: ContentItem | None, can_edit: bool) -> dict[str, Any]:
    return {**render_group_abbrev(group, can_edit),
            "parent_outcome_group": render_group_abbrev(parent, can_edit) if parent is not None else None,
            **context_fields(group), "description": group.body or "",
            "import_url": f"{_group_url(group)}/import"}


def render_link(view: LinkView, can_edit_group: bool, can_edit_outcome: bool, *, full: bool = False) -> dict[str, Any]:
    """An OutcomeLink; `full` (Canvas's outcome_style=full) gives the whole Outcome instead of its abbreviation."""
    outcome = (render_outcome if full else render_outcome_abbrev)(view.outcome, can_edit_outcome)
    return {"url": f"{_group_url(view.group)}/outcomes/{view.outcome.id}", **context_fields(view.link),
            "outcome_group": render_group_abbrev(view.group, can_edit_group),
            "outcome": outcome, "assessed": False, "can_unlink": True}
