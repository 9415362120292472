"""Rubrics: a course's scoring guides, each a list of criteria worth points, with ratings per criterion.

A rubric is a content item of type "rubric" (its criteria in `data["criteria"]`, `points` their total), so
course copies and blueprint syncs carry it as they carry every item. Where it is used is a
"rubric_association" item (rubric_associations.py) under it. Criteria and ratings get ids of their own
("_1", "_2", ... from one counter per rubric, `data["last_id"]`); an update that sends a criterion's or a
rating's id keeps it, so assessments keep naming it. Writing needs the course's content-manage right
(Canvas's manage_rubrics); reading, any reader of the course.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content import content
from courseport.core.courses.courses import readable_course
from courseport.core.coursework import outcome_groups
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Course, User
from courseport.schema.content import ContentItem

RUBRIC, ASSOCIATION = "rubric", "rubric_association"
MAX_CRITERIA, MAX_RATINGS, MAX_LONG = 100, 50, 16_000
MANAGE = "manage_content"  # Canvas's manage_rubrics (core/identity/permissions.py)
_FLAGS = ("free_form_criterion_comments", "hide_score_total")


@dataclass(frozen=True)
class Rating:
    description: str | None = None
    long_description: str | None = None
    points: float | None = None
    id: str | None = None


@dataclass(frozen=True)
class Criterion:
    description: str | None = None
    long_description: str | None = None
    points: float | None = None
    criterion_use_range: bool = False
    ratings: tuple[Rating, ...] | None = None
    id: str | None = None
    learning_outcome_id: str | None = None


@dataclass(frozen=True)
class RubricChanges:
    title: str | Unset = UNSET
    free_form_criterion_comments: bool | Unset = UNSET
    hide_score_total: bool | Unset = UNSET
    criteria: tuple[Criterion, ...] | Unset = UNSET


def managed_course(db: Session, actor: User, course_ref: str | int) -> tuple[Course, CourseRights]:
    return readable_course(db, actor, course_ref, MANAGE)


def rubric_item(db: Session, course: Course, rubric_id: str | int) -> ContentItem:
    return content.get_item(db, course.id, rubric_id, RUBRIC)


def create_rubric(db: Session, actor: User, course: Course, changes: RubricChanges) -> ContentItem:
    """A new rubric of the course; a title and at least one criterion are required."""
    if changes.criteria is UNSET:
        raise InvalidInput("criteria", "criteria is required: a rubric needs at least one criterion")
    if not isinstance(changes.title, str) or not changes.title.strip():
        raise InvalidInput("title", "title is required")
    data: dict[str, Any] = {"last_id": 0, "free_form_criterion_comments": False, "hide_score_total": False}
    fields = _fields({}, data, _aligned(db, course.id, changes))
    return content.create_item(db, course.id, RUBRIC, {**fields, "workflow_state": "active"}, user_id=actor.id)


def update_rubric(db: Session, item: ContentItem, changes: RubricChanges) -> ContentItem:
    content.update_item(db, item, _fields({"title": item.title}, dict(item.data or {}),
                                          _aligned(db, item.course_id, changes)))
    return item


def _aligned(db: Session, course_id: int, changes: RubricChanges) -> RubricChanges:
    """The changes with each criterion aligned to an outcome checked: a live outcome of the course or linked in
    it (its id kept as a string of digits)."""
    if isinstance(changes.criteria, Unset):
        return changes
    usable = outcome_groups.course_outcome_ids(db, course_id)
    for n, criterion in enumerate(changes.criteria):
        ref = (criterion.learning_outcome_id or "").strip()
        if ref and (not ref.isdigit() or int(ref) not in usable):
            field = f"criteria[{n}][learning_outcome_id]"
            raise InvalidInput(field, f"{field} names no outcome of this course")
    return changes


def _fields(fields: dict[str, Any], data: dict[str, Any], changes: RubricChanges) -> dict[str, Any]:
    values = given(changes)
    if "title" in values:
        title = (values["title"] or "").strip()
        if not title or len(title) > 255:
            raise InvalidInput("title", "title must be 1 to 255 characters long")
        fields["title"] = title
    for flag in _FLAGS:
        if flag in values:
            data[flag] = bool(values[flag])
    if "criteria" in values:
        data["criteria"] = _criteria(data, values["criteria"])
    fields["data"], fields["points"] = data, points_possible(data)
    return fields


def _criteria(data: dict[str, Any], criteria: tuple[Criterion, ...]) -> list[dict[str, Any]]:
    """Criteria as stored: ids kept where given and known, new ones from the rubric's counter; a criterion's
    points default to its best rating's, its ratings to Canvas's "Full Marks" and "No Marks"."""
    if not criteria:
        raise InvalidInput("criteria", "criteria is required: a rubric needs at least one criterion")
    if len(criteria) > MAX_CRITERIA:
        raise InvalidInput("criteria", f"a rubric has at most {MAX_CRITERIA} criteria")
    known = {c["id"]: {r["id"] for r in c["ratings"]} for c in data.get("criteria") or []}
    out = []
    for n, criterion in enumerate(criteria):
        at = f"criteria[{n}]"
        cid = criterion.id if criterion.id in known else _next_id(data)
        ratings = criterion.ratings
        if ratings is None:
            full = criterion.points if criterion.points is not None else 5.0
            ratings = (Rating("Full Marks", None, full), Rating("No Marks", None, 0.0))
        if not ratings or len(ratings) > MAX_RATINGS:
            raise InvalidInput(f"{at}[ratings]", f"{at}[ratings]: a criterion has 1 to {MAX_RATINGS} ratings")
        stored = [{"id": r.id if r.id in known.get(cid, set()) else _next_id(data),
                   "description": _text(r.description, f"{at}[ratings][{m}][description]"),
                   "long_description": _long(r.long_description, f"{at}[ratings][{m}][long_description]"),
                   "points": _points(r.points, f"{at}[ratings][{m}][points]")} for m, r in enumerate(ratings)]
        stored.sort(key=lambda r: -float(r["points"] or 0.0))
        best = stored[0]["points"]
        out.append({"id": cid, "description": _text(criterion.description, f"{at}[description]"),
                    "long_description": _long(criterion.long_description, f"{at}[long_description]"),
                    "points": best if criterion.points is None else _points(criterion.points, f"{at}[points]"),
                    "criterion_use_range": bool(criterion.criterion_use_range), "ratings": stored,
                    "learning_outcome_id": int((criterion.learning_outcome_id or "").strip() or 0) or None})
    return out


def _next_id(data: dict[str, Any]) -> str:
    data["last_id"] = int(data.get("last_id") or 0) + 1
    return f"_{data['last_id']}"


def _text(value: str | None, field: str) -> str:
    text = (value or "").strip() or "No Description"
    if len(text) > 255:
        raise InvalidInput(field, f"{field} may be at most 255 characters long")
    return text


def _long(value: str | None, field: str) -> str:
    if value and len(value) > MAX_LONG:
        raise InvalidInput(field, f"{field} may be at most {MAX_LONG} characters long")
    return value or ""


def _points(value: float | None, field: str) -> float:
    if value is None:
        return 0.0
    if value < 0:
        raise InvalidInput(field, f"{field} must not be negative")
    return float(value)


def points_possible(data: dict[str, Any]) -> float:
    return float(sum(c["points"] for c in data.get("criteria") or []))


def criteria_of(item: ContentItem) -> list[dict[str, Any]]:
    return list((item.data or {}).get("criteria") or [])


def list_rubrics(db: Session, course: Course, window: Window) -> Slice[ContentItem]:
    """The course's live rubrics, by id."""
    return fetch_window(db, select(ContentItem).where(
        ContentItem.course_id == course.id, ContentItem.type == RUBRIC, ContentItem.workflow_state != "deleted")
        .order_by(ContentItem.id), window)


def live_associations(db: Session, rubric_ids: list[int]) -> list[ContentItem]:
    """The live associations of the rubrics, by id (an assignment association whose assignment is deleted, or was
    left behind by a copy, which leaves it no ref_id, counts as gone)."""
    if not rubric_ids:
        return []
    target = ContentItem.__table__.alias("target")
    rows = db.execute(select(ContentItem, target.c.workflow_state).outerjoin(target, target.c.id == ContentItem.ref_id)
                      .where(ContentItem.parent_id.in_(rubric_ids), ContentItem.type == ASSOCIATION,
                             ContentItem.workflow_state != "deleted").order_by(ContentItem.id)).all()
    return [row for row, state in rows if state not in (None, "deleted")
            or (row.ref_id is None and (row.data or {}).get("association_type") == "Course")]


def delete_rubric(db: Session, item: ContentItem) -> ContentItem:
    """Delete the rubric and its associations (assessments stay, as Canvas keeps them)."""
    for association in live_associations(db, [item.id]):
        content.delete_item(db, association)
    content.delete_item(db, item)
    return item
