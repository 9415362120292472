"""Assignments: content items of type "assignment" inside an assignment group, with who may see what.

Title = name, body = description (sanitised HTML), points = points_possible, the item's dates,
workflow_state "published" | "unpublished" | "deleted", and the rest in data (ASSIGNMENT_FIELDS).
Those who manage content or grades see every live assignment with its own dates; students and
observers see published assignments assigned to them (see core.due_dates), with their own dates,
and get NotFound for the rest. Creating and editing needs manage_content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content import content
from courseport.core.content.due_dates import effective_dates
from courseport.core.courses.courses import readable_course
from courseport.core.courses.grading_standards import check_standard_id
from courseport.core.coursework import assignment_groups, late_regrades, overrides
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.html import sanitize_html
from courseport.schema import ContentItem, Course, Enrollment, Submission, User
from courseport.schema.base import utcnow

GRADING_TYPES = ("points", "percent", "letter_grade", "gpa_scale", "pass_fail", "not_graded")
SUBMISSION_TYPES = ("online_quiz", "none", "on_paper", "discussion_topic", "external_tool", "online_upload",
                    "online_text_entry", "online_url", "media_recording", "student_annotation", "not_graded",
                    "wiki_page")
# Every writable assignment attribute and its type: the one table dialects coerce wire values by.
ASSIGNMENT_FIELDS: dict[str, type] = {
    "name": str, "description": str, "points_possible": float, "grading_type": str, "due_at": datetime,
    "lock_at": datetime, "unlock_at": datetime, "published": bool, "assignment_group_id": int, "position": int,
    "submission_types": list, "allowed_extensions": list, "omit_from_final_grade": bool,
    "only_visible_to_overrides": bool, "peer_reviews": bool, "automatic_peer_reviews": bool,
    "peer_review_count": int, "anonymous_peer_reviews": bool, "intra_group_peer_reviews": bool,
    "grade_group_students_individually": bool, "group_category_id": int, "grading_standard_id": int,
    "turnitin_enabled": bool, "vericite_enabled": bool, "post_to_sis": bool, "integration_id": str,
    "sis_assignment_id": str, "moderated_grading": bool, "grader_count": int, "anonymous_grading": bool,
    "hide_in_gradebook": bool, "allowed_attempts": int, "anonymous_instructor_annotations": bool,
    "important_dates": bool, "notify_of_update": bool,
}
_COLUMNS = {"name": "title", "description": "body", "points_possible": "points", "due_at": "due_at",
            "lock_at": "lock_at", "unlock_at": "unlock_at", "position": "position"}
_NOT_STORED = {"published", "assignment_group_id", "notify_of_update"}
DATE_NAMES = ("due_at", "unlock_at", "lock_at")


@dataclass
class AssignmentChanges:
    """Given attributes only; `overrides` (override id or None, changes) replaces the whole set when given."""

    fields: dict[str, Any] = field(default_factory=dict)
    overrides: list[tuple[str | None, overrides.OverrideChanges]] | None = None


@dataclass(frozen=True)
class Access:
    """What one user may see of a course's assignments."""

    course: Course
    rights: CourseRights
    user_id: int
    observed: tuple[int, ...]  # the user, then the students they observe: whose dates apply to them

    @property
    def manages(self) -> bool:
        return self.rights.can("manage_content") or self.rights.can("manage_grades")

    def sections(self, db: Session) -> set[int]:
        """The sections of the viewer and of the students they observe."""
        return set(db.scalars(select(Enrollment.course_section_id).where(
            Enrollment.course_id == self.course.id, Enrollment.user_id.in_(self.observed))))

    def visible_overrides(self, db: Session, views: list[overrides.OverrideView],
                          sections: set[int] | None = None) -> list[overrides.OverrideView]:
        if self.manages:
            return views
        sections = self.sections(db) if sections is None else sections
        out = []
        for v in views:
            mine = [u for u in v.student_ids if u in self.observed]
            if mine or v.override.course_section_id in sections:
                out.append(overrides.OverrideView(v.override, mine))
        return out


def access_for(db: Session, actor: User, course_ref: str | int, right: str = "read") -> Access:
    course, rights = readable_course(db, actor, course_ref, right)
    observees = db.scalars(select(Enrollment.associated_user_id).where(
        Enrollment.course_id == course.id, Enrollment.user_id == actor.id, Enrollment.type == "ObserverEnrollment",
        Enrollment.associated_user_id.is_not(None), Enrollment.workflow_state == "active"))
    return Access(course, rights, actor.id, (actor.id, *sorted({o for o in observees if o is not None})))


def visible_items(db: Session, access: Access, items: list[ContentItem]) -> list[ContentItem]:
    """The items the viewer may see: all for managers, else published ones assigned to them or an observee."""
    if access.manages:
        return items
    published = [i for i in items if i.workflow_state == "published"]
    restricted = [i.id for i in published if (i.data or {}).get("only_visible_to_overrides")]
    assigned = effective_dates(db, access.course.id, restricted, access.observed) if restricted else {}
    return [i for i in published if i.id not in assigned or assigned[i.id]]


def readable_assignment(db: Session, actor: User, course_ref: str | int, assignment_id: str) -> tuple[Access,
                                                                                                      ContentItem]:
    access = access_for(db, actor, course_ref)
    item = content.get_item(db, access.course.id, assignment_id, "assignment")
    if not visible_items(db, access, [item]):
        raise NotFound("assignment")
    return access, item


def editable_assignment(db: Session, actor: User, course_ref: str | int, assignment_id: str) -> tuple[Access,
                                                                                                      ContentItem]:
    access = access_for(db, actor, course_ref)
    if not access.rights.can("manage_content"):
        raise NotAllowed()
    return access, content.get_item(db, access.course.id, assignment_id, "assignment")


def touch(db: Session, item: ContentItem) -> None:
    content.update_item(db, item, {"updated_at": utcnow()})


# --- writes -----------------------------------------------------------------------------------------

def create_assignment(db: Session, actor: User, course_ref: str | int, changes: AssignmentChanges) -> tuple[
        Access, ContentItem]:
    access = access_for(db, actor, course_ref)
    if not access.rights.can("manage_content"):
        raise NotAllowed()
    given = changes.fields
    if not str(given.get("name") or "").strip():
        raise InvalidInput("name", "name is required")
    course_id = access.course.id
    group = (_group(db, course_id, given["assignment_group_id"])
             if given.get("assignment_group_id") else assignment_groups.default_group(db, course_id))
    fields = {"title": "", "parent_id": group.id, "workflow_state": "unpublished",
              "data": {"submission_types": ["none"], "grading_type": "points"}}
    _merge(fields, _item_fields(db, course_id, given, None))
    _check_dates(fields)
    _check_standard(db, access, fields)
    item = content.create_item(db, course_id, "assignment", fields, user_id=actor.id)
    if changes.overrides:
        _replace_overrides(db, item, changes.overrides)
    return access, item


def update_assignment(db: Session, actor: User, course_ref: str | int, assignment_id: str,
                      changes: AssignmentChanges) -> tuple[Access, ContentItem]:
    access, item = editable_assignment(db, actor, course_ref, assignment_id)
    fields = _item_fields(db, access.course.id, changes.fields, item)
    if fields.get("workflow_state") == "unpublished" and item.workflow_state == "published" and \
            _has_submissions(db, item.id):
        raise InvalidInput("published", "Can't unpublish if there are student submissions")
    _check_dates({n: fields.get(n, getattr(item, n)) for n in DATE_NAMES})
    _check_standard(db, access, fields)
    moved = "due_at" in content.update_item(db, item, fields)
    if changes.overrides is not None:
        _replace_overrides(db, item, changes.overrides)
    touch(db, item)
    if moved or changes.overrides is not None:
        late_regrades.dates_moved(db, item)  # late work follows its due date (Canvas re-applies the policy)
    return access, item


def delete_assignment(db: Session, actor: User, course_ref: str | int, assignment_id: str) -> tuple[Access,
                                                                                                     ContentItem]:
    access, item = editable_assignment(db, actor, course_ref, assignment_id)
    content.delete_item(db, item)
    return access, item


def _merge(fields: dict[str, Any], more: dict[str, Any]) -> None:
    data = {**fields.get("data", {}), **more.pop("data", {})}
    fields.update(more)
    fields["data"] = data


def _item_fields(db: Session, course_id: int, given: dict[str, Any], item: ContentItem | None) -> dict[str, Any]:
    """Item columns and data keys for the given attributes, each checked."""
    fields: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for key, value in given.items():
        if key not in ASSIGNMENT_FIELDS:
            continue
        value = _checked(key, value)
        if key == "description":
            fields["body"] = sanitize_html(value or "")
        elif key == "name":
            fields["title"] = value.strip()
        elif key in _COLUMNS:
            if not (key == "position" and value is None):
                fields[_COLUMNS[key]] = value
        elif key == "published" and value is not None:
            fields["workflow_state"] = "published" if value else "unpublished"
        elif key == "assignment_group_id" and value is not None and item is not None and value != item.parent_id:
            fields["parent_id"] = _group(db, course_id, value).id
            fields.setdefault("position", content.next_position(db, course_id, "assignment", fields["parent_id"]))
        elif key not in _NOT_STORED:
            data[key] = value
    if data:
        fields["data"] = data
    return fields


def _check_standard(db: Session, access: Access, fields: dict[str, Any]) -> None:
    """An assignment names only a grading standard its course could take (or none)."""
    standard_id = fields.get("data", {}).get("grading_standard_id")
    if standard_id:
        check_standard_id(db, access.course, standard_id)


def _group(db: Session, course_id: int, group_id: int) -> ContentItem:
    try:
        return assignment_groups.group_in(db, course_id, group_id)
    except NotFound:
        raise InvalidInput("assignment_group_id", f"assignment_group_id {group_id} is not an assignment group "
                                                  "of this course") from None


def _checked(key: str, value: Any) -> Any:
    if key == "name" and (value is None or not value.strip() or len(value) > 255):
        raise InvalidInput("name", "name must not be blank" if not (value or "").strip()
                           else "name is too long (at most 255 characters)")
    if key == "grading_type" and value not in GRADING_TYPES:
        raise InvalidInput("grading_type", f"grading_type must be one of {', '.join(GRADING_TYPES)}")
    if key == "points_possible" and value is not None and not 0 <= value <= 999999999:
        raise InvalidInput("points_possible", "points_possible must be between 0 and 999999999")
    if key == "submission_types":
        value = [v for v in value if v != ""] or ["none"]
        bad = [v for v in value if v not in SUBMISSION_TYPES]
        if bad:
            raise InvalidInput("submission_types", f"submission_types: unknown {', '.join(bad)}; "
                                                   f"known: {', '.join(SUBMISSION_TYPES)}")
    if key == "allowed_extensions":
        value = [v.strip().lstrip(".").lower() for v in value if v.strip()]
    if key in ("position", "peer_review_count", "grader_count") and value is not None and value < 0:
        raise InvalidInput(key, f"{key} must not be negative")
    if key == "allowed_attempts" and value is not None and value < 1 and value != -1:
        raise InvalidInput(key, "allowed_attempts must be -1 (unlimited) or 1 or more")
    return value


def _check_dates(dates: dict[str, Any]) -> None:
    due, unlock, lock = (dates.get(n) for n in DATE_NAMES)
    if unlock and lock and lock < unlock:
        raise InvalidInput("lock_at", "lock_at must not be before unlock_at")
    if due and unlock and due < unlock:
        raise InvalidInput("due_at", "due_at must not be before unlock_at")
    if due and lock and due > lock:
        raise InvalidInput("due_at", "due_at must not be after lock_at")


def _replace_overrides(db: Session, item: ContentItem,
                       wanted: list[tuple[str | None, overrides.OverrideChanges]]) -> None:
    """Make the given overrides the assignment's whole set: update those with ids, create the rest."""
    current = {str(v.override.id): v.override for v in overrides.overrides_of(db, [item.id])[item.id]}
    kept = {oid for oid, _ in wanted if oid is not None}
    unknown = kept - set(current)
    if unknown:
        raise InvalidInput("assignment_overrides", f"unknown override ids: {', '.join(sorted(unknown))}")
    for oid, override in current.items():
        if oid not in kept:
            override.workflow_state = "deleted"
    db.flush()
    for i, (wanted_id, changes) in sorted(enumerate(wanted), key=lambda w: w[1][0] is None):
        try:
            overrides.write_override(db, item, current[wanted_id] if wanted_id else None, changes)
        except InvalidInput as exc:
            raise InvalidInput(f"assignment_overrides[{i}][{exc.field}]", exc.message) from None



def _has_submissions(db: Session, item_id: int) -> bool:
    return db.scalar(select(Submission.id).where(
        Submission.item_id == item_id, Submission.submitted_at.is_not(None),
        Submission.workflow_state != "unsubmitted").limit(1)) is not None
