"""Canvas JSON for a course's late policy."""

from __future__ import annotations

from typing import Any

from courseport.dialects.canvas.protocol import iso
from courseport.schema import LatePolicy


def render_late_policy(policy: LatePolicy) -> dict[str, Any]:
    return {"late_policy": {
        "id": policy.id, "course_id": policy.course_id,
        "missing_submission_deduction_enabled": policy.missing_submission_deduction_enabled,
        "missing_submission_deduction": policy.missing_submission_deduction,
        "late_submission_deduction_enabled": policy.late_submission_deduction_enabled,
        "late_submission_deduction": policy.late_submission_deduction,
        "late_submission_interval": policy.late_submission_interval,
        "late_submission_minimum_percent_enabled": policy.late_submission_minimum_percent_enabled,
        "late_submission_minimum_percent": policy.late_submission_minimum_percent,
        "created_at": iso(policy.created_at), "updated_at": iso(policy.updated_at),
    }}
