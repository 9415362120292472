"""Canvas JSON for submissions, their comments, and submissions grouped per student."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from courseport.core.coursework.submission_views import StudentSubmissions, SubmissionView
from courseport.dialects.canvas.course_json import render_user_display
from courseport.dialects.canvas.files import render_file
from courseport.dialects.canvas.protocol import iso
from courseport.dialects.canvas.rubric_json import render_assessment, render_submission_assessment
from courseport.schema import RubricAssessment, User

_GRADE_FIELDS = ("score", "grade", "entered_score", "entered_grade")


class SubmissionRenderer:
    """Renders submissions for one request: its origin, file-URL secret and include[] values."""

    def __init__(self, origin: str, secret: bytes, includes: set[str]):
        self.origin, self.secret, self.includes = origin, secret, includes
        self.assessments: dict[tuple[int, int], RubricAssessment] = {}  # by (assignment id, student id)

    def submission(self, view: SubmissionView) -> dict[str, Any]:
        s, a = view.submission, view.assignment
        body: dict[str, Any] = {
            "id": s.id, "user_id": s.user_id, "url": s.url, "score": s.score, "grade": s.grade,
            "excused": s.excused, "attempt": s.attempt, "submission_type": s.submission_type,
            "submitted_at": iso(s.submitted_at), "body": s.body, "assignment_id": a.id,
            "graded_at": iso(s.graded_at), "grade_matches_current_submission": view.grade_matches_current_submission,
            "grader_id": s.grader_id, "workflow_state": s.workflow_state,
            "late_policy_status": s.late_policy_status, "points_deducted": s.points_deducted, "late": view.late,
            "missing": view.missing, "seconds_late": view.seconds_late, **_entered(view), "posted_at": iso(s.posted_at),
            "cached_due_date": iso(view.due_at), "extra_attempts": s.extra_attempts,
            "preview_url": (f"{self.origin}/courses/{a.course_id}/assignments/{a.id}/submissions/{s.user_id}"
                            f"?preview=1&version={max((s.attempt or 1) - 1, 0)}"),
        }
        if not view.grade_visible:
            body.update(dict.fromkeys(_GRADE_FIELDS))
        if view.files:
            body["attachments"] = [render_file(f, self.origin, self.secret) for f in view.files]
        if "submission_comments" in self.includes:
            body["submission_comments"] = self.comments(view)
        if "read_status" in self.includes:
            body["read_status"] = view.read_status
        body.update(self.rubric_fields(view))
        if "html_url" in self.includes:
            body["html_url"] = f"{self.origin}/courses/{a.course_id}/assignments/{a.id}/submissions/{s.user_id}"
        return body

    def rubric_fields(self, view: SubmissionView) -> dict[str, Any]:
        """include[]=rubric_assessment: the grading assessment per criterion and whole; full_rubric_assessment:
        the whole one. None shown while the grade is hidden from the reader."""
        row = self.assessments.get((view.assignment.id, view.submission.user_id)) if view.grade_visible else None
        if row is None:
            return {}
        out: dict[str, Any] = {}
        if "rubric_assessment" in self.includes:
            out["rubric_assessment"] = render_submission_assessment(row)
        out["full_rubric_assessment"] = render_assessment(row, "full")
        return out

    def comments(self, view: SubmissionView) -> list[dict[str, Any]]:
        return [render_comment(c, view.comment_authors.get(c["author_id"]), self.origin, view.assignment.course_id)
                for c in view.comments]

    def grouped(self, entry: StudentSubmissions) -> dict[str, Any]:
        return {"user_id": entry.user_id, "section_id": entry.section_id,
                "submissions": [self.submission(v) for v in entry.submissions]}


def _entered(view: SubmissionView) -> dict[str, Any]:
    """What the grader gave (a row graded before late policies existed: its score and grade)."""
    s = view.submission
    kept = s.entered_score is not None or s.points_deducted is not None
    return {"entered_grade": s.entered_grade if kept else s.grade,
            "entered_score": s.entered_score if kept else s.score}


def render_comment(comment: dict[str, Any], author: User | None, origin: str, course_id: int) -> dict[str, Any]:
    """A submission comment (also a peer review's, peer_review_json)."""
    return {
        "id": comment["id"], "author_id": comment["author_id"], "author_name": comment["author_name"],
        "comment": comment["comment"], "created_at": iso(datetime.fromisoformat(comment["created_at"])),
        "edited_at": None, "attempt": comment.get("attempt"), "media_comment": None,
        "author": render_user_display(author, origin, course_id) if author else {},
    }
