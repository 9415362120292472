"""Canvas JSON for quiz question groups (QuizGroup)."""

from __future__ import annotations

from typing import Any

from courseport.core.coursework.quiz_groups import GroupView


def render_group(view: GroupView) -> dict[str, Any]:
    return {"id": view.id, "quiz_id": view.quiz_id, "name": view.name, "pick_count": view.pick_count,
            "question_points": view.question_points, "assessment_question_bank_id": None, "position": view.position}


def render_groups(views: list[GroupView]) -> dict[str, Any]:
    return {"quiz_groups": [render_group(v) for v in views]}
