"""Canvas JSON for assignment extensions (AssignmentExtension) and the per-student errors of a refused call."""

from __future__ import annotations

from typing import Any

from courseport.core.coursework.assignment_extensions import (
    NEGATIVE,
    UNGOVERNED,
    AttemptExtensionView,
    InvalidExtensions,
)

# Canvas's full messages for a submission's invalid extra_attempts
MESSAGES = {
    NEGATIVE: "Extra attempts must be greater than or equal to 0",
    UNGOVERNED: "Extra attempts can only be set on submissions for an assignment with a type of online_upload, "
                "online_url, or online_text_entry",
}


def render_extensions(views: list[AttemptExtensionView]) -> dict[str, Any]:
    return {"assignment_extensions": [
        {"assignment_id": v.assignment_id, "user_id": v.user_id, "extra_attempts": v.extra_attempts} for v in views]}


def render_invalid(exc: InvalidExtensions) -> dict[str, Any]:
    """`{"errors": [{"user_id", "errors": [message, ...]}]}`, as Canvas answers a refused call (400)."""
    return {"errors": [{"user_id": user_id, "errors": [MESSAGES[r] for r in reasons]}
                       for user_id, reasons in exc.problems]}
