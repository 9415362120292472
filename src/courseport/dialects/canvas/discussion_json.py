"""Canvas JSON for discussion topics and announcements (DiscussionTopic) and discussion entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from courseport.core.coursework.discussion_entries import EntryView
from courseport.core.coursework.discussion_views import FullView, ViewEntry
from courseport.core.coursework.discussions import RATING_FLAGS, TopicView
from courseport.dialects.canvas.course_json import render_user_display
from courseport.dialects.canvas.page_json import context_path
from courseport.dialects.canvas.protocol import iso


def _stored_date(value: str | None) -> str | None:
    return iso(datetime.fromisoformat(value)) if value else None


def render_topic(view: TopicView, origin: str, *, context_code: bool = False) -> dict[str, Any]:
    item, data = view.item, view.item.data
    announcement = item.type == "announcement"
    url = f"{origin}/{context_path(item)}/{'announcements' if announcement else 'discussion_topics'}/{item.id}"
    published = item.workflow_state == "active" or (item.workflow_state == "post_delayed" and not announcement)
    locked_for_user = view.locked and not view.moderator
    body: dict[str, Any] = {
        "id": item.id, "title": item.title, "last_reply_at": iso(view.last_reply_at),
        "created_at": iso(item.created_at), "delayed_post_at": _stored_date(data.get("delayed_post_at")),
        "posted_at": iso(view.posted_at), "assignment_id": item.ref_id, "root_topic_id": None,
        "position": item.position if data.get("pinned") else None, "podcast_has_student_posts": False,
        "discussion_type": data.get("discussion_type", "side_comment"), "lock_at": iso(item.lock_at),
        **{flag: bool(data.get(flag)) for flag in RATING_FLAGS},
        "is_section_specific": False, "anonymous_state": None,
        "user_name": view.author.name if view.author else None,
        "discussion_subentry_count": view.entry_count,
        "permissions": {"attach": view.can_attach, "update": view.can_update, "reply": view.can_reply,
                        "delete": view.can_delete},
        "require_initial_post": bool(data.get("require_initial_post")),
        "user_can_see_posts": view.moderator or not data.get("require_initial_post") or view.has_posted,
        "podcast_url": None,
        "read_state": "read" if view.read else "unread", "unread_count": view.unread_count,
        "subscribed": view.subscribed,
        "attachments": [], "published": published, "can_unpublish": view.entry_count == 0 and not announcement,
        "locked": view.locked, "can_lock": view.moderator, "comments_disabled": view.comments_disabled,
        "author": render_user_display(view.author, origin, item.course_id) if view.author else {},
        "html_url": url, "url": url, "pinned": bool(data.get("pinned")), "group_category_id": None,
        "can_group": not announcement and view.entry_count == 0, "topic_children": [],
        "group_topic_children": [], "locked_for_user": locked_for_user, "message": item.body or "",
        "todo_date": None, "is_announcement": announcement,
    }
    if locked_for_user:
        body["lock_info"] = {"asset_string": f"discussion_topic_{item.id}", "lock_at": iso(item.lock_at)}
        body["lock_explanation"] = "This topic is locked."
    if context_code:
        body["context_code"] = context_path(item).replace("s/", "_")
    return body


def render_entry(view: EntryView, origin: str) -> dict[str, Any]:
    e = view.entry
    body: dict[str, Any] = {
        "id": e.id, "user_id": e.user_id, "parent_id": e.parent_id, "created_at": iso(e.created_at),
        "updated_at": iso(e.updated_at), "rating_count": view.rating_count, "rating_sum": view.rating_sum,
        "user_name": view.author.name if view.author else None, "message": e.message,
        "user": render_user_display(view.author, origin, e.course_id) if view.author else {},
        "read_state": "read" if view.read else "unread", "forced_read_state": view.forced,
    }
    if view.recent_replies is not None:
        if view.recent_replies:
            body["recent_replies"] = [render_entry(r, origin) for r in view.recent_replies]
        body["has_more_replies"] = view.has_more_replies
    return body


def render_full_view(view: FullView, origin: str) -> dict[str, Any]:
    """Canvas's "full topic" structure (GET .../discussion_topics/:id/view); nothing is cached, so no entry is
    ever newer than the view (new_entries stays empty)."""
    return {
        "unread_entries": view.unread_ids, "forced_entries": view.forced_ids,
        "entry_ratings": {str(entry_id): rating for entry_id, rating in view.ratings.items()},
        "participants": [render_user_display(u, origin, view.course_id) for u in view.participants],
        "view": [_view_entry(v) for v in view.roots], "new_entries": [],
    }


def _view_entry(node: ViewEntry) -> dict[str, Any]:
    e = node.entry
    body: dict[str, Any] = {"id": e.id, "parent_id": e.parent_id, "created_at": iso(e.created_at),
                            "updated_at": iso(e.updated_at)}
    if node.deleted:
        body["deleted"] = True
    else:
        body.update({"user_id": e.user_id, "message": e.message, "rating_count": node.rating_count,
                     "rating_sum": node.rating_sum})
    if node.replies:
        body["replies"] = [_view_entry(r) for r in node.replies]
    return body
