"""Canvas JSON for quiz submissions (QuizSubmission) and the questions of one (QuizSubmissionQuestion)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from courseport.core.coursework.quiz_submissions import FINISHED_STATES, AttemptView, QuestionView, Related
from courseport.dialects.canvas.protocol import iso
from courseport.dialects.canvas.quiz_json import render_quiz
from courseport.dialects.canvas.submission_json import SubmissionRenderer
from courseport.dialects.canvas.user_json import render_users_seen_by
from courseport.schema import User

INCLUDES = frozenset({"submission", "quiz", "user"})

# What a taker is shown of each answer (never its weight, comments or match), and of which question types
# (where an answer's text is the right answer, answers are not shown at all).
_SHOWN = {"multiple_choice_question": ("id", "text", "html"), "true_false_question": ("id", "text", "html"),
          "multiple_answers_question": ("id", "text", "html"),
          "multiple_dropdowns_question": ("id", "text", "html", "blank_id"),
          "matching_question": ("id", "text", "left")}


def render_submission(view: AttemptView, origin: str) -> dict[str, Any]:
    row, attempt, quiz = view.submission, view.attempt, view.quiz
    base = f"{origin}/courses/{quiz.course_id}/quizzes/{quiz.id}"
    body: dict[str, Any] = {
        "id": row.id, "quiz_id": quiz.id, "quiz_version": 1, "user_id": row.user_id,
        "submission_id": view.assignment_submission_id, "score": attempt.score, "kept_score": view.kept_score,
        "started_at": iso(attempt.started_at), "end_at": iso(attempt.end_at), "finished_at": iso(attempt.finished_at),
        "attempt": attempt.attempt, "workflow_state": attempt.workflow_state, "fudge_points": attempt.fudge_points,
        "quiz_points_possible": quiz.points or 0.0, "extra_attempts": row.extra_attempts,
        "extra_time": row.extra_time, "manually_unlocked": row.manually_unlocked, "score_before_regrade": None,
        "has_seen_results": None, "time_spent": view.time_spent, "attempts_left": view.attempts_left,
        "overdue_and_needs_submission": view.overdue, "excused?": False,
        "html_url": f"{base}/submissions/{row.id}",
    }
    if view.owner:
        body["validation_token"] = attempt.validation_token
    if attempt.workflow_state in FINISHED_STATES:
        body["result_url"] = f"{base}/history?quiz_submission_id={row.id}&version={attempt.attempt}"
    return body


def render_submissions(views: list[AttemptView], origin: str) -> dict[str, Any]:
    return {"quiz_submissions": [render_submission(v, origin) for v in views]}


def render_related(body: dict[str, Any], related: Related, wanted: frozenset[str], db: Session, me: User, origin: str,
                   secret: bytes) -> dict[str, Any]:
    """The quiz submissions body with include[]'s sibling lists: `submissions`, `quizzes`, `users`."""
    if "submission" in wanted:
        renderer = SubmissionRenderer(origin, secret, set())
        body["submissions"] = [renderer.submission(v) for v in related.submissions]
    if "quiz" in wanted:
        body["quizzes"] = [render_quiz(v, origin) for v in related.quizzes]
    if "user" in wanted:
        body["users"] = render_users_seen_by(db, me, related.users, set(), origin)
    return body


def render_question(view: QuestionView) -> dict[str, Any]:
    item, data = view.question, view.question.data or {}
    kind = data.get("question_type")
    shown = _SHOWN.get(kind or "", ())
    body: dict[str, Any] = {
        "id": item.id, "quiz_id": item.parent_id, "quiz_group_id": view.group_id, "assessment_question_id": None,
        "position": item.position, "question_name": item.title, "question_type": kind,
        "question_text": item.body or "", "points_possible": view.points,
        "answers": [{k: a.get(k) for k in shown} for a in data.get("answers") or []] if shown else [],
        "variables": None, "formulas": None,
        "matches": data.get("matches") if kind == "matching_question" else None,
        "flagged": view.flagged, "answer": view.answer,
    }
    return body


def render_questions(views: list[QuestionView]) -> dict[str, Any]:
    return {"quiz_submission_questions": [render_question(v) for v in views]}
