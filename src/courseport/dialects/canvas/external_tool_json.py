"""Canvas's ExternalTool JSON: the tool's configuration as Canvas renders it (its workflow state is its privacy
level until it is deleted; every placement is present, null when the tool is not placed there). The shared
secret is never rendered."""

from __future__ import annotations

from typing import Any

from courseport.core.courses.external_tools import PLACEMENTS
from courseport.dialects.canvas.protocol import iso
from courseport.schema import ExternalTool


def render_tool(tool: ExternalTool, *, deleted: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": tool.id,
        "name": tool.name,
        "description": tool.description,
        "url": tool.url,
        "domain": tool.domain,
        "consumer_key": tool.consumer_key,
        "privacy_level": tool.privacy_level,
        "custom_fields": dict(tool.custom_fields or {}),
        "workflow_state": "deleted" if deleted else tool.privacy_level,
        "icon_url": tool.icon_url,
        "not_selectable": tool.not_selectable,
        "is_rce_favorite": False,
        "version": "1.1",
        "created_at": iso(tool.created_at),
        "updated_at": iso(tool.updated_at),
    }
    placed = tool.placements or {}
    body.update({name: dict(placed[name]) if name in placed else None for name in PLACEMENTS})
    return body
