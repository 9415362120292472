"""Canvas GradingStandard JSON: entry values as fractions (0-1) with `calculated_value` as the percent."""

from __future__ import annotations

from courseport.schema import GradingStandard


def render_grading_standard(row: GradingStandard) -> dict:
    return {
        "title": row.title, "id": row.id,
        "context_type": "Course" if row.course_id is not None else "Account",
        "context_id": row.course_id if row.course_id is not None else row.account_id,
        "points_based": False, "scaling_factor": 1.0,
        "grading_scheme": [{"name": name, "value": round(float(value) / 100.0, 4), "calculated_value": value}
                           for name, value in row.entries],
    }
