"""Canvas JSON for wiki pages (the Page object) and their revisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from courseport.core.content.pages import PageView, RevisionView
from courseport.dialects.canvas.course_json import render_user_display
from courseport.dialects.canvas.protocol import iso
from courseport.schema import ContentItem


def context_path(item: ContentItem) -> str:
    """Where an item lives in Canvas's URLs: `courses/:id`, or `groups/:id` for a group's own content."""
    return f"groups/{item.group_id}" if item.group_id is not None else f"courses/{item.course_id}"


def render_page(view: PageView, origin: str) -> dict[str, Any]:
    item = view.item
    published = item.workflow_state == "published"
    body: dict[str, Any] = {
        "page_id": item.id, "url": item.slug, "title": item.title, "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at), "hide_from_students": not published,
        "editing_roles": item.data.get("editing_roles") or "teachers",
    }
    if view.editor is not None:
        body["last_edited_by"] = render_user_display(view.editor, origin, item.course_id)
    body.update({
        "published": published, "front_page": bool(item.data.get("front_page")),
        "html_url": f"{origin}/{context_path(item)}/pages/{item.slug}",
        "todo_date": _stored_date(item.data.get("todo_date")), "publish_at": iso(item.unlock_at),
        "locked_for_user": False,
    })
    if view.include_body:
        body["body"] = item.body or ""
    return body


def _stored_date(value: str | None) -> str | None:
    return iso(datetime.fromisoformat(value)) if value else None


def render_revision(view: RevisionView, origin: str, *, with_content: bool) -> dict[str, Any]:
    """Canvas's PageRevision: number, time and editor; with its content, the page's url, title and body."""
    revision = view.revision
    body: dict[str, Any] = {"revision_id": revision.number, "updated_at": iso(revision.at), "latest": revision.latest}
    if with_content:
        body.update({"url": view.page.slug, "title": revision.title, "body": revision.body})
    if view.editor is not None:
        body["edited_by"] = render_user_display(view.editor, origin, view.page.course_id)
    return body
