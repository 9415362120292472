"""Rubric associations: where a rubric is used, each a content item of type "rubric_association" under its
rubric (`parent_id`), naming an assignment of the same course by `ref_id` (association_type "Assignment") or
the course itself (association_type "Course", no ref_id); its settings in `data`.

As content items they travel with course copies and blueprint syncs: the copy engine copies an association
with its rubric (a child type) and points its ref_id at the assignment's copy. An assignment takes one
rubric at a time: associating another one ends the earlier association.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content import content
from courseport.core.coursework.rubrics import ASSOCIATION, RUBRIC
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.schema import Course, User
from courseport.schema.content import ContentItem

ASSOCIATION_TYPES = ("Assignment", "Course")
PURPOSES = ("grading", "bookmark")
_FLAGS = ("use_for_grading", "hide_score_total", "hide_points", "hide_outcome_results")


@dataclass(frozen=True)
class AssociationChanges:
    rubric_id: str | Unset = UNSET
    association_id: str | Unset = UNSET
    association_type: str | Unset = UNSET
    use_for_grading: bool | Unset = UNSET
    purpose: str | Unset = UNSET
    hide_score_total: bool | Unset = UNSET
    hide_points: bool | Unset = UNSET
    hide_outcome_results: bool | Unset = UNSET


def any_given(changes: AssociationChanges) -> bool:
    return bool(given(changes))


def association_item(db: Session, course: Course, association_id: str | int) -> ContentItem:
    item = content.get_item(db, course.id, association_id, ASSOCIATION)
    if item.ref_id is None and (item.data or {}).get("association_type") != "Course":
        raise NotFound("rubric_association")  # its assignment was left behind by a copy
    return item


def rubric_of(db: Session, association: ContentItem) -> ContentItem:
    rubric = db.get(ContentItem, association.parent_id) if association.parent_id else None
    if rubric is None or rubric.workflow_state == "deleted":
        raise NotFound("rubric")
    return rubric


def create_association(db: Session, actor: User, course: Course, rubric: ContentItem | None,
                       changes: AssociationChanges) -> ContentItem:
    """Associate the rubric (or the one `rubric_id` names) with an assignment of the course or the course."""
    rubric = rubric or _named_rubric(db, course, changes.rubric_id)
    if changes.association_type is UNSET:
        raise InvalidInput("association_type", "association_type is required (Assignment or Course)")
    ref_id, data = _target(db, course, changes, {})
    data = _settings(data, changes)
    if ref_id is not None:
        _end_others(db, ref_id, None)
    return content.create_item(db, course.id, ASSOCIATION, {
        "title": rubric.title, "parent_id": rubric.id, "ref_id": ref_id, "workflow_state": "active", "data": data},
        user_id=actor.id)


def update_association(db: Session, course: Course, item: ContentItem, changes: AssociationChanges) -> ContentItem:
    fields: dict[str, Any] = {}
    if changes.rubric_id is not UNSET:
        fields["parent_id"] = _named_rubric(db, course, changes.rubric_id).id
    data = dict(item.data or {})
    if changes.association_type is not UNSET or changes.association_id is not UNSET:
        kept = AssociationChanges(association_type=data.get("association_type", "Course"),
                                  association_id=str(item.ref_id or course.id))
        merged = AssociationChanges(**{**given(kept), **given(changes)})
        fields["ref_id"], data = _target(db, course, merged, data)
    fields["data"] = _settings(data, changes)
    if fields.get("ref_id") is not None:
        _end_others(db, fields["ref_id"], item.id)
    content.update_item(db, item, fields)
    return item


def link_rubric(db: Session, actor: User, course: Course, rubric: ContentItem, association_id: str | None,
                changes: AssociationChanges) -> ContentItem | None:
    """A rubric update's association: the rubric's own one `association_id` names, updated; else a new one when
    any setting is given; else none."""
    if association_id:
        item = association_item(db, course, association_id)
        if item.parent_id != rubric.id:
            raise NotFound("rubric_association")
        return update_association(db, course, item, changes)
    return create_association(db, actor, course, rubric, changes) if any_given(changes) else None


def delete_association(db: Session, item: ContentItem) -> ContentItem:
    content.delete_item(db, item)
    return item


def _named_rubric(db: Session, course: Course, rubric_id: str | Unset) -> ContentItem:
    if rubric_id is UNSET or not rubric_id:
        raise InvalidInput("rubric_id", "rubric_id is required")
    try:
        return content.get_item(db, course.id, rubric_id, RUBRIC)
    except NotFound:
        raise InvalidInput("rubric_id", "rubric_id must name a rubric of this course") from None


def _target(db: Session, course: Course, changes: AssociationChanges, data: dict[str, Any]
            ) -> tuple[int | None, dict[str, Any]]:
    """The assignment id (None for the course) the association names, after checking it."""
    kind = changes.association_type
    if kind not in ASSOCIATION_TYPES:
        raise InvalidInput("association_type", f"association_type must be one of {', '.join(ASSOCIATION_TYPES)}")
    target = changes.association_id if isinstance(changes.association_id, str) else None
    data = {**data, "association_type": kind}
    if kind == "Course":
        if target not in (None, "", str(course.id)):
            raise InvalidInput("association_id", "association_id must be this course's id")
        data.setdefault("purpose", "bookmark")
        return None, data
    item = db.get(ContentItem, store_id(target)) if target and is_id(target) else None
    if item is None or item.course_id != course.id or item.type != "assignment" or item.workflow_state == "deleted":
        raise InvalidInput("association_id", "association_id must name an assignment of this course")
    data.setdefault("purpose", "grading")
    return item.id, data


def _settings(data: dict[str, Any], changes: AssociationChanges) -> dict[str, Any]:
    values = given(changes)
    if "purpose" in values:
        if values["purpose"] not in PURPOSES:
            raise InvalidInput("purpose", f"purpose must be one of {', '.join(PURPOSES)}")
        data["purpose"] = values["purpose"]
    for flag in _FLAGS:
        if flag in values:
            data[flag] = bool(values[flag])
        data.setdefault(flag, False)
    return data


def _end_others(db: Session, assignment_id: int, keep_id: int | None) -> None:
    """An assignment keeps one rubric: its other live associations end."""
    for other in db.scalars(select(ContentItem).where(
            ContentItem.ref_id == assignment_id, ContentItem.type == ASSOCIATION,
            ContentItem.workflow_state != "deleted", ContentItem.id != (keep_id or 0))):
        content.delete_item(db, other)


def for_assignments(db: Session, assignment_ids: list[int]) -> dict[int, tuple[ContentItem, ContentItem]]:
    """Per assignment id, its live association and that association's rubric (one statement; none for no ids)."""
    if not assignment_ids:
        return {}
    rubric = ContentItem.__table__.alias("rubric")
    rows = db.execute(select(ContentItem, rubric.c.id).join(rubric, rubric.c.id == ContentItem.parent_id).where(
        ContentItem.ref_id.in_(assignment_ids), ContentItem.type == ASSOCIATION,
        ContentItem.workflow_state != "deleted", rubric.c.workflow_state != "deleted")).all()
    if not rows:
        return {}
    rubrics = {r.id: r for r in db.scalars(select(ContentItem).where(ContentItem.id.in_({i for _, i in rows})))}
    return {assoc.ref_id: (assoc, rubrics[rid]) for assoc, rid in rows if assoc.ref_id is not None}
