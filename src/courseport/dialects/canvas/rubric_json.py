"""Canvas JSON for rubrics (criteria as `data`), rubric associations and rubric assessments, and the rubric
fields of an assignment with a rubric."""

from __future__ import annotations

from typing import Any

from courseport.core.coursework.rubric_views import RubricView
from courseport.schema import RubricAssessment
from courseport.schema.content import ContentItem


def render_criteria(item: ContentItem) -> list[dict[str, Any]]:
    """The criteria; one aligned to an outcome also names it (`learning_outcome_id`), as Canvas's do."""
    return [{"id": c["id"], "description": c["description"], "long_description": c["long_description"],
             "points": c["points"], "criterion_use_range": c["criterion_use_range"],
             "ratings": [{"id": r["id"], "criterion_id": c["id"], "description": r["description"],
                          "long_description": r["long_description"], "points": r["points"]} for r in c["ratings"]]}
            | ({"learning_outcome_id": c["learning_outcome_id"]} if c.get("learning_outcome_id") else {})
            for c in (item.data or {}).get("criteria") or []]


def render_rubric(item: ContentItem, *, with_criteria: bool = False) -> dict[str, Any]:
    """A Rubric; `with_criteria` adds `criteria` beside `data`, as Canvas's create and update answer it."""
    data = item.data or {}
    out: dict[str, Any] = {
        "id": item.id, "title": item.title, "context_id": item.course_id, "context_type": "Course",
        "points_possible": item.points or 0.0, "reusable": False, "public": False, "read_only": False,
        "free_form_criterion_comments": bool(data.get("free_form_criterion_comments")),
        "hide_score_total": bool(data.get("hide_score_total")), "data": render_criteria(item),
    }
    if with_criteria:
        out["criteria"] = out["data"]
    return out


def render_rubric_view(view: RubricView) -> dict[str, Any]:
    out = render_rubric(view.rubric)
    if view.associations is not None:
        out["associations"] = [render_association(a) for a in view.associations]
    if view.assessments is not None:
        out["assessments"] = [render_assessment(a, view.style) for a in view.assessments]
    return out


def render_association(item: ContentItem) -> dict[str, Any]:
    data = item.data or {}
    return {
        "id": item.id, "rubric_id": item.parent_id, "association_id": item.ref_id or item.course_id,
        "association_type": data.get("association_type", "Course"), "context_id": item.course_id,
        "context_type": "Course", "title": item.title, "use_for_grading": bool(data.get("use_for_grading")),
        "summary_data": None, "purpose": data.get("purpose", "bookmark"),
        "hide_score_total": bool(data.get("hide_score_total")), "hide_points": bool(data.get("hide_points")),
        "hide_outcome_results": bool(data.get("hide_outcome_results")),
    }


def render_assessment(row: RubricAssessment, style: str | None = "full") -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": row.id, "rubric_id": row.rubric_id, "rubric_association_id": row.association_id, "score": row.score,
        "artifact_type": "Submission", "artifact_id": row.submission_id, "artifact_attempt": row.attempt,
        "assessment_type": row.assessment_type, "assessor_id": row.assessor_id, "user_id": row.user_id,
    }
    if style == "full":
        out["data"] = [{"id": d["rating_id"], "criterion_id": d["criterion_id"], "points": d["points"],
                        "description": d["description"], "comments": d["comments"], "comments_enabled": True}
                       for d in row.data or []]
    elif style == "comments_only":
        out["comments"] = [{"criterion_id": d["criterion_id"], "comments": d["comments"]}
                           for d in row.data or [] if d["comments"]]
    return out


def render_submission_assessment(row: RubricAssessment) -> dict[str, Any]:
    """A submission's `rubric_assessment`: per criterion id, its rating, comments and points."""
    return {d["criterion_id"]: {"rating_id": d["rating_id"], "comments": d["comments"], "points": d["points"]}
            for d in row.data or []}


def assignment_rubric_fields(association: ContentItem, rubric: ContentItem) -> dict[str, Any]:
    data, settings = rubric.data or {}, association.data or {}
    return {
        "use_rubric_for_grading": bool(settings.get("use_for_grading")),
        "free_form_criterion_comments": bool(data.get("free_form_criterion_comments")),
        "rubric": [{k: v for k, v in c.items() if k != "ratings"}
                   | {"ratings": [{k: v for k, v in r.items() if k != "criterion_id"} for r in c["ratings"]]}
                   for c in render_criteria(rubric)],
        "rubric_settings": {
            "id": rubric.id, "title": rubric.title, "points_possible": rubric.points or 0.0,
            "free_form_criterion_comments": bool(data.get("free_form_criterion_comments")),
            "hide_score_total": bool(settings.get("hide_score_total")),
            "hide_points": bool(settings.get("hide_points")),
        },
    }
