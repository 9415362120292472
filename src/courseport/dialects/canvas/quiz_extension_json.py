"""Canvas JSON for quiz extensions (QuizExtension): a student's extensions on one quiz."""

from __future__ import annotations

from typing import Any

from courseport.core.coursework.quiz_extensions import ExtensionView
from courseport.dialects.canvas.protocol import iso


def render_extension(view: ExtensionView) -> dict[str, Any]:
    row = view.submission
    return {"quiz_id": view.quiz_id, "user_id": row.user_id, "extra_attempts": row.extra_attempts,
            "extra_time": row.extra_time, "manually_unlocked": row.manually_unlocked, "end_at": iso(view.end_at)}


def render_extensions(views: list[ExtensionView]) -> dict[str, Any]:
    return {"quiz_extensions": [render_extension(v) for v in views]}
