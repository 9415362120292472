"""Canvas JSON for peer reviews (Canvas's PeerReview object, an assessment request on a submission)."""

from __future__ import annotations

from typing import Any

from courseport.core.coursework.peer_reviews import PeerReviewView
from courseport.dialects.canvas.course_json import render_user_display
from courseport.dialects.canvas.submission_json import render_comment


def render_peer_review(view: PeerReviewView, origin: str, includes: set[str]) -> dict[str, Any]:
    r = view.review
    body: dict[str, Any] = {"assessor_id": r.assessor_id, "asset_id": r.submission_id, "asset_type": "Submission",
                            "id": r.id, "user_id": r.user_id, "workflow_state": r.workflow_state}
    if "user" in includes:
        body["user"] = render_user_display(view.user, origin, r.course_id)
        body["assessor"] = render_user_display(view.assessor, origin, r.course_id)
    if "submission_comments" in includes:
        body["submission_comments"] = [render_comment(c, view.assessor, origin, r.course_id) for c in view.comments]
    return body
