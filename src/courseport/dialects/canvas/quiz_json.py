"""Canvas JSON for classic quizzes (the Quiz object) and their questions (QuizQuestion)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from courseport.core.coursework.quizzes import GRADED_TYPES, QuizView
from courseport.dialects.canvas.protocol import iso
from courseport.schema import ContentItem

_SURVEYS = frozenset({"survey", "graded_survey"})


def render_quiz(view: QuizView, origin: str) -> dict[str, Any]:
    item, data = view.item, view.item.data or {}
    base = f"{origin}/courses/{item.course_id}/quizzes/{item.id}"
    api = f"{origin}/api/v1/courses/{item.course_id}/quizzes/{item.id}"
    published = item.workflow_state == "published"
    body: dict[str, Any] = {
        "id": item.id, "title": item.title, "html_url": base, "mobile_url": f"{base}?force_user=1&persist_headless=1",
        "description": item.body or "", "quiz_type": data.get("quiz_type"), "time_limit": data.get("time_limit"),
        "shuffle_answers": bool(data.get("shuffle_answers")), "show_correct_answers": data.get("show_correct_answers",
                                                                                            True),
        "scoring_policy": data.get("scoring_policy"), "allowed_attempts": data.get("allowed_attempts"),
        "one_question_at_a_time": bool(data.get("one_question_at_a_time")),
        "question_count": data.get("question_count", 0), "points_possible": item.points,
        "cant_go_back": bool(data.get("cant_go_back")), "ip_filter": data.get("ip_filter"),
        "due_at": iso(item.due_at), "lock_at": iso(item.lock_at), "unlock_at": iso(item.unlock_at),
        "published": published, "locked_for_user": view.locked, "hide_results": data.get("hide_results"),
        "show_correct_answers_at": _stored_date(data.get("show_correct_answers_at")),
        "hide_correct_answers_at": _stored_date(data.get("hide_correct_answers_at")),
        "can_update": view.manages, "require_lockdown_browser": False,
        "require_lockdown_browser_for_results": False, "require_lockdown_browser_monitor": False,
        "lockdown_browser_monitor_data": None, "permissions": _permissions(view),
        "quiz_reports_url": f"{api}/reports", "quiz_statistics_url": f"{api}/statistics",
        "message_students_url": f"{api}/submission_users/message",
        "assignment_id": item.ref_id if data.get("quiz_type") in GRADED_TYPES else None,
        "one_time_results": bool(data.get("one_time_results")),
        "assignment_group_id": view.assignment.parent_id if view.assignment is not None else None,
        "show_correct_answers_last_attempt": bool(data.get("show_correct_answers_last_attempt")),
        "version_number": 1, "question_types": list(view.question_types),
        "has_access_code": bool(data.get("access_code")), "post_to_sis": False,
    }
    if view.locked:
        body["lock_explanation"] = "This quiz is locked."
    if view.manages:
        body.update({"access_code": data.get("access_code"), "unpublishable": not view.has_submissions,
                     "can_unpublish": not view.has_submissions,
                     "only_visible_to_overrides": bool(data.get("only_visible_to_overrides"))})
    if data.get("quiz_type") in _SURVEYS:
        body["anonymous_submissions"] = bool(data.get("anonymous_submissions"))
    return body


def _permissions(view: QuizView) -> dict[str, bool]:
    manage, rights = view.manages, view.rights
    student = rights.can("participate_as_student") and not rights.is_admin  # admins hold every right
    return {"read": True, "submit": student and view.item.workflow_state == "published",
            "create": manage, "manage": manage, "read_statistics": manage,
            "review_grades": rights.can("manage_grades"), "update": manage}


def _stored_date(value: str | None) -> str | None:
    return iso(datetime.fromisoformat(value)) if value else None


def render_question(item: ContentItem) -> dict[str, Any]:
    data = item.data or {}
    matching = data.get("question_type") == "matching_question"
    return {
        "id": item.id, "quiz_id": item.parent_id, "quiz_group_id": data.get("quiz_group_id"),
        "assessment_question_id": None,
        "position": item.position, "question_name": item.title, "question_type": data.get("question_type"),
        "question_text": item.body or "", "points_possible": item.points,
        "correct_comments": data.get("correct_comments", ""), "incorrect_comments": data.get("incorrect_comments", ""),
        "neutral_comments": data.get("neutral_comments", ""),
        "correct_comments_html": data.get("correct_comments_html", ""),
        "incorrect_comments_html": data.get("incorrect_comments_html", ""),
        "neutral_comments_html": data.get("neutral_comments_html", ""),
        "answers": data.get("answers", []), "variables": None, "formulas": None,
        "matches": data.get("matches") if matching else None,
        "matching_answer_incorrect_matches": data.get("matching_answer_incorrect_matches") if matching else None,
    }
