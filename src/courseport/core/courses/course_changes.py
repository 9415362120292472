"""What a course create or update sets: `CourseChanges`, in core names, and `COURSE_FIELDS`, the table of
every writable course attribute and its type that dialects coerce wire values by (`courses.py` applies
them and re-exports both)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from courseport.core.kit.changes import UNSET, Unset, kinds


@dataclass(frozen=True)
class CourseChanges:
    """The course attributes a create or update sets, in core names; UNSET leaves an attribute as it
    is, None clears it. Its fields and their types are COURSE_FIELDS, the table dialects coerce by."""

    name: str | None | Unset = UNSET
    course_code: str | None | Unset = UNSET
    start_at: datetime | None | Unset = UNSET
    end_at: datetime | None | Unset = UNSET
    license: str | None | Unset = UNSET
    is_public: bool | None | Unset = UNSET
    is_public_to_auth_users: bool | None | Unset = UNSET
    public_syllabus: bool | None | Unset = UNSET
    public_syllabus_to_auth: bool | None | Unset = UNSET
    public_description: str | None | Unset = UNSET
    allow_student_wiki_edits: bool | None | Unset = UNSET
    allow_wiki_comments: bool | None | Unset = UNSET
    allow_student_forum_attachments: bool | None | Unset = UNSET
    open_enrollment: bool | None | Unset = UNSET
    self_enrollment: bool | None | Unset = UNSET
    restrict_enrollments_to_course_dates: bool | None | Unset = UNSET
    term_id: str | int | None | Unset = UNSET  # a term reference: id or sis_term_id:...
    sis_course_id: str | None | Unset = UNSET
    integration_id: str | None | Unset = UNSET
    hide_final_grades: bool | None | Unset = UNSET
    apply_assignment_group_weights: bool | None | Unset = UNSET
    time_zone: str | None | Unset = UNSET
    default_view: str | None | Unset = UNSET
    syllabus_body: str | None | Unset = UNSET
    syllabus_course_summary: bool | None | Unset = UNSET
    grading_standard_id: int | None | Unset = UNSET
    grade_passback_setting: str | None | Unset = UNSET
    course_format: str | None | Unset = UNSET
    post_manually: bool | None | Unset = UNSET
    account_id: int | None | Unset = UNSET
    storage_quota_mb: int | None | Unset = UNSET
    image_id: int | None | Unset = UNSET
    image_url: str | None | Unset = UNSET
    remove_image: bool | None | Unset = UNSET
    remove_banner_image: bool | None | Unset = UNSET
    blueprint: bool | None | Unset = UNSET
    blueprint_restrictions: dict[str, Any] | None | Unset = UNSET
    use_blueprint_restrictions_by_object_type: bool | None | Unset = UNSET
    blueprint_restrictions_by_object_type: dict[str, Any] | None | Unset = UNSET
    homeroom_course: bool | None | Unset = UNSET
    sync_enrollments_from_homeroom: bool | None | Unset = UNSET
    homeroom_course_id: str | None | Unset = UNSET
    template: bool | None | Unset = UNSET
    course_color: str | None | Unset = UNSET
    friendly_name: str | None | Unset = UNSET
    enable_course_paces: bool | None | Unset = UNSET
    conditional_release: bool | None | Unset = UNSET
    locale: str | None | Unset = UNSET
    allow_student_assignment_edits: bool | None | Unset = UNSET


# Every writable course attribute and its type: the one table dialects coerce wire values by.
COURSE_FIELDS: dict[str, type] = kinds(CourseChanges)
