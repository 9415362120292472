"""Canvas JSON for assignments, assignment groups, assignment overrides and effective due dates."""

from __future__ import annotations

from typing import Any

from courseport.core.content.due_dates import StudentDates
from courseport.core.coursework.overrides import OverrideView
from courseport.core.views.assignment_views import AssignmentView, DateSet
from courseport.dialects.canvas.protocol import iso
from courseport.dialects.canvas.rubric_json import assignment_rubric_fields
from courseport.schema import ContentItem


def render_assignment(view: AssignmentView, origin: str) -> dict[str, Any]:
    item, data, rights = view.item, view.item.data or {}, view.access.rights
    quiz = bool(data.get("quiz"))
    out: dict[str, Any] = {
        "id": item.id,
        "description": None if view.lock and view.lock.reason == "unlock_at" else item.body,
        "due_at": iso(view.dates.due_at), "unlock_at": iso(view.dates.unlock_at), "lock_at": iso(view.dates.lock_at),
        "points_possible": item.points, "grading_type": data.get("grading_type", "points"),
        "assignment_group_id": item.parent_id, "grading_standard_id": data.get("grading_standard_id"),
        "created_at": iso(item.created_at), "updated_at": iso(item.updated_at),
        "peer_reviews": bool(data.get("peer_reviews")),
        "automatic_peer_reviews": bool(data.get("automatic_peer_reviews")),
        "position": item.position,
        "grade_group_students_individually": bool(data.get("grade_group_students_individually")),
        "anonymous_peer_reviews": bool(data.get("anonymous_peer_reviews")),
        "group_category_id": data.get("group_category_id"), "post_to_sis": bool(data.get("post_to_sis")),
        "moderated_grading": bool(data.get("moderated_grading")),
        "omit_from_final_grade": bool(data.get("omit_from_final_grade")),
        "intra_group_peer_reviews": bool(data.get("intra_group_peer_reviews")),
        "anonymous_instructor_annotations": bool(data.get("anonymous_instructor_annotations")),
        "anonymous_grading": bool(data.get("anonymous_grading")), "graders_anonymous_to_graders": False,
        "grader_count": data.get("grader_count") or 0, "grader_comments_visible_to_graders": True,
        "final_grader_id": None, "grader_names_visible_to_final_grader": True,
        "allowed_attempts": data.get("allowed_attempts") or -1, "annotatable_attachment_id": None,
        "hide_in_gradebook": bool(data.get("hide_in_gradebook")),
        "course_id": item.course_id, "name": item.title,
        "submission_types": list(data.get("submission_types") or ["none"]),
        "has_submitted_submissions": view.stats.submitted, "due_date_required": False, "max_name_length": 255,
        "in_closed_grading_period": view.in_closed_period, "graded_submissions_exist": view.stats.graded,
        "turnitin_enabled": bool(data.get("turnitin_enabled")), "vericite_enabled": bool(data.get("vericite_enabled")),
        "is_quiz_assignment": quiz, "can_duplicate": not quiz, "original_course_id": None,
        "original_assignment_id": None, "original_lti_resource_link_id": None, "original_assignment_name": None,
        "original_quiz_id": None, "workflow_state": item.workflow_state,
        "important_dates": bool(data.get("important_dates")), "muted": False,
        "html_url": f"{origin}/courses/{item.course_id}/assignments/{item.id}",
    }
    if view.access.manages:
        out["has_overrides"] = view.has_overrides
    if data.get("automatic_peer_reviews") and data.get("peer_reviews"):
        out.update(peer_review_count=data.get("peer_review_count") or 0, peer_reviews_assign_at=None)
    if rights.can("manage_grades"):
        out["needs_grading_count"] = view.stats.needs_grading
    if rights.can("read_sis"):
        out.update(sis_assignment_id=data.get("sis_assignment_id"), integration_id=data.get("integration_id"),
                   integration_data={})
    if view.quiz_id is not None:
        out.update(quiz_id=view.quiz_id, anonymous_submissions=False)
    if data.get("allowed_extensions"):
        out["allowed_extensions"] = list(data["allowed_extensions"])
    if view.all_dates is not None:
        out["all_dates"] = [_date_set(d) for d in view.all_dates]
    if view.overrides is not None:
        out["overrides"] = [render_override(o) for o in view.overrides]
    out["published"] = item.workflow_state == "published"
    if view.access.manages:
        out["unpublishable"] = not view.stats.submitted
    out["only_visible_to_overrides"] = bool(data.get("only_visible_to_overrides"))
    out["visible_to_everyone"] = not data.get("only_visible_to_overrides")
    if view.visibility is not None:
        out["assignment_visibility"] = [str(u) for u in view.visibility]
    if view.rubric is not None:
        out.update(assignment_rubric_fields(*view.rubric))
    out.update(_lock_fields(view))
    out.update({
        "submissions_download_url": f"{origin}/courses/{item.course_id}/assignments/{item.id}/submissions"
                                    "?zip=1",
        "post_manually": bool(data.get("post_manually")), "anonymize_students": bool(data.get("anonymous_grading")),
        "require_lockdown_browser": False, "restrict_quantitative_data": False,
    })
    return out


def _lock_fields(view: AssignmentView) -> dict[str, Any]:
    lock = view.lock
    if lock is None:
        return {"locked_for_user": False}
    asset = f"assignment_{view.item.id}"
    if lock.reason == "unlock_at":
        return {"locked_for_user": True, "lock_info": {"asset_string": asset, "unlock_at": iso(lock.at)},
                "lock_explanation": f"This assignment is locked until {iso(lock.at)}."}
    return {"locked_for_user": True, "lock_info": {"asset_string": asset, "lock_at": iso(lock.at), "can_view": True},
            "lock_explanation": f"This assignment was locked {iso(lock.at)}."}


def _date_set(dates: DateSet) -> dict[str, Any]:
    out: dict[str, Any] = {"due_at": iso(dates.due_at), "unlock_at": iso(dates.unlock_at),
                           "lock_at": iso(dates.lock_at)}
    if dates.override is None:
        return {"base": True, **out}
    o = dates.override.override
    target = ("CourseSection", o.course_section_id) if o.course_section_id is not None else ("ADHOC", None)
    return {"id": o.id, **out, "title": o.title, "set_type": target[0], "set_id": target[1]}


def render_override(view: OverrideView) -> dict[str, Any]:
    o = view.override
    out: dict[str, Any] = {"id": o.id, "assignment_id": o.item_id, "title": o.title}
    if o.due_at_set:
        out["due_at"] = iso(o.due_at)
        out["all_day"] = bool(o.due_at and (o.due_at.hour, o.due_at.minute) == (23, 59))
        out["all_day_date"] = o.due_at.date().isoformat() if o.due_at else None
    if o.unlock_at_set:
        out["unlock_at"] = iso(o.unlock_at)
    if o.lock_at_set:
        out["lock_at"] = iso(o.lock_at)
    if o.course_section_id is not None:
        out["course_section_id"] = o.course_section_id
    else:
        out["student_ids"] = list(view.student_ids)
    return out


def render_group(group: ContentItem, assignments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    data = group.data or {}
    out: dict[str, Any] = {
        "id": group.id, "name": group.title, "position": group.position,
        "group_weight": float(data.get("group_weight") or 0), "sis_source_id": data.get("sis_source_id"),
        "integration_data": data.get("integration_data") or {}, "rules": dict(data.get("rules") or {}),
    }
    if assignments is not None:
        out["assignments"] = assignments
    out["any_assignment_in_closed_grading_period"] = any(a["in_closed_grading_period"] for a in assignments or ())
    return out


def render_due_dates(dates: dict[int, dict[int, StudentDates]]) -> dict[str, Any]:
    return {str(item_id): {str(user_id): {"due_at": iso(d.due_at), "grading_period_id": None,
                                          "in_closed_grading_period": False}
                           for user_id, d in students.items()}
            for item_id, students in dates.items()}
