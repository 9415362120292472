"""Canvas JSON for activity stream items (StreamItem) and the stream summary."""

from __future__ import annotations

from typing import Any, cast

from courseport.core.coursework import late_status
from courseport.core.views.activity import StreamEntry, StreamSummary
from courseport.dialects.canvas.course_json import render_user_display
from courseport.dialects.canvas.protocol import iso
from courseport.schema import ContentItem, Submission


def render_stream_item(e: StreamEntry, origin: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "created_at": iso(e.created_at), "updated_at": iso(e.updated_at), "id": e.stream_id, "title": None,
        "message": None, "type": e.kind, "read_state": e.read, "context_type": "Course", "course_id": e.course.id,
    }
    if e.topic is not None:
        body.update(_topic(e, origin))
    else:
        body.update(_submission(e, origin))
    return body


def _topic(e: StreamEntry, origin: str) -> dict[str, Any]:
    t, path = cast(ContentItem, e.topic), "announcements" if e.kind == "Announcement" else "discussion_topics"
    key = "announcement_id" if e.kind == "Announcement" else "discussion_topic_id"
    return {
        "title": t.title, "message": t.body, key: t.id, "html_url": f"{origin}/courses/{t.course_id}/{path}/{t.id}",
        "total_root_discussion_entries": e.root_entries,
        "require_initial_post": bool((t.data or {}).get("require_initial_post")),
        "user_has_posted": e.user_has_posted,
        "root_discussion_entries": [
            {"user": {"user_id": p.user_id, "user_name": u.short_name if u else None}, "message": p.message}
            for p, u in e.latest_entries],
    }


def _submission(e: StreamEntry, origin: str) -> dict[str, Any]:
    s, a, c = cast(Submission, e.submission), cast(ContentItem, e.assignment), e.course  # a submission entry's
    html = f"{origin}/courses/{c.id}/assignments/{a.id}/submissions/{s.user_id}"
    return {
        "title": a.title, "submission_id": s.id, "assignment_id": a.id, "user_id": s.user_id,
        "score": s.score if e.grade_visible else None, "grade": s.grade if e.grade_visible else None,
        "excused": s.excused, "attempt": s.attempt, "submission_type": s.submission_type, "body": s.body,
        "url": s.url, "submitted_at": iso(s.submitted_at), "graded_at": iso(s.graded_at),
        "grader_id": s.grader_id, "workflow_state": s.workflow_state, "late": late_status.is_late(s),
        "posted_at": iso(s.posted_at),
        "html_url": html, "preview_url": f"{html}?preview=1", "submission_comments": [],
        "assignment": {"id": a.id, "name": a.title, "title": a.title, "points_possible": a.points,
                       "due_at": iso(a.due_at), "course_id": a.course_id,
                       "html_url": f"{origin}/courses/{a.course_id}/assignments/{a.id}"},
        "course": {"id": c.id, "name": c.name, "course_code": c.course_code},
        "user": render_user_display(e.submitter, origin, c.id) if e.submitter else {},
    }


def render_summary(rows: list[StreamSummary]) -> list[dict[str, Any]]:
    return [{"type": r.kind, "unread_count": r.unread_count, "count": r.count, "notification_category": None}
            for r in rows]
