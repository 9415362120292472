"""Canvas JSON for todo items and the compact assignment and quiz they carry."""

from __future__ import annotations

from typing import Any, cast

from courseport.core.views.assignment_views import AssignmentView
from courseport.core.views.todo import TodoItem
from courseport.dialects.canvas.assignment_json import render_assignment
from courseport.dialects.canvas.protocol import iso
from courseport.schema import ContentItem


def render_todo(entry: TodoItem, origin: str) -> dict[str, Any]:
    item, course_id = entry.item, entry.item.course_id
    is_quiz = item.type == "quiz"
    ignore = f"{origin}/api/v1/users/self/todo/{'quiz' if is_quiz else 'assignment'}_{item.id}/{entry.type}"
    body: dict[str, Any] = {"type": entry.type, "ignore": f"{ignore}?permanent=0",
                            "ignore_permanently": f"{ignore}?permanent=1", "context_type": "Course",
                            "course_id": course_id}
    if is_quiz:
        body["quiz"] = render_todo_quiz(entry, origin)
        body["html_url"] = f"{origin}/courses/{course_id}/quizzes/{item.id}"
    else:
        body["assignment"] = render_assignment(cast(AssignmentView, entry.view), origin)  # None only for a quiz
        body["html_url"] = (f"{origin}/courses/{course_id}/gradebook/speed_grader?assignment_id={item.id}"
                            if entry.type == "grading"
                            else f"{origin}/courses/{course_id}/assignments/{item.id}#submit")
    if entry.type == "grading":
        body["needs_grading_count"] = entry.needs_grading_count
    return body


def render_todo_quiz(entry: TodoItem, origin: str) -> dict[str, Any]:
    q: ContentItem = entry.item
    data = q.data or {}
    return {
        "id": q.id, "title": q.title, "description": q.body, "quiz_type": data.get("quiz_type"),
        "due_at": iso(entry.due_at), "unlock_at": iso(q.unlock_at), "lock_at": iso(q.lock_at),
        "points_possible": q.points, "time_limit": data.get("time_limit"), "published": True,
        "html_url": f"{origin}/courses/{q.course_id}/quizzes/{q.id}",
    }
