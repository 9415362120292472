"""Learning outcomes: what a course means students to master, each scored on its own ratings scale.

An outcome is a content item of type "outcome" of the course it was made in (title, `body` the description,
`points` the best rating's points; display name, vendor guid, mastery points, ratings and the calculation
method in `data`), so course copies and blueprint syncs carry it. Where it shows is an "outcome_link" item under
an "outcome_group" (outcome_groups.py). Editing an outcome needs the content-manage right of its own course
(Canvas's manage_outcomes); a course that only links it reads it. Students' results on an outcome are derived
from rubric assessments when read (outcome_results.py); `assessed` is not derived from them and stays false.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content import content
from courseport.core.coursework import outcome_owners as owners
from courseport.core.coursework.outcome_owners import Owner
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.html import sanitize_html
from courseport.core.kit.ids import is_id, store_id
from courseport.schema import User
from courseport.schema.content import ContentItem

OUTCOME, GROUP, LINK = "outcome", "outcome_group", "outcome_link"
# Calculation methods -> the (lowest, highest, default) calculation_int they take, or None when they take none.
METHODS: dict[str, tuple[int, int, int] | None] = {
    "decaying_average": (1, 99, 65), "n_mastery": (1, 10, 5), "latest": None, "highest": None, "average": None}
DEFAULT_METHOD = "decaying_average"
# Canvas's default scale for an outcome made without ratings.
DEFAULT_RATINGS = ({"description": "Exceeds Expectations", "points": 5.0},
                   {"description": "Meets Expectations", "points": 3.0},
                   {"description": "Does Not Meet Expectations", "points": 0.0})
DEFAULT_MASTERY = 3.0
MAX_RATINGS, MAX_TEXT = 50, 255


@dataclass(frozen=True)
class OutcomeRating:
    description: str | None = None
    points: float | None = None


@dataclass(frozen=True)
class OutcomeChanges:
    title: str | Unset = UNSET
    display_name: str | None | Unset = UNSET
    description: str | None | Unset = UNSET
    vendor_guid: str | None | Unset = UNSET
    mastery_points: float | None | Unset = UNSET
    ratings: tuple[OutcomeRating, ...] | Unset = UNSET
    calculation_method: str | Unset = UNSET
    calculation_int: int | None | Unset = UNSET


def create_outcome(db: Session, actor: User, owner: Owner, changes: OutcomeChanges) -> ContentItem:
    """A new outcome of the owner (linked by the caller); a title is required."""
    if not isinstance(changes.title, str) or not changes.title.strip():
        raise InvalidInput("title", "title is required")
    data: dict[str, Any] = {"display_name": None, "vendor_guid": None, "ratings": list(DEFAULT_RATINGS),
                            "mastery_points": DEFAULT_MASTERY, "calculation_method": DEFAULT_METHOD,
                            "calculation_int": METHODS[DEFAULT_METHOD][2]}  # type: ignore[index]
    fields = _fields({"body": ""}, data, changes)
    return owners.create_item(db, owner, OUTCOME, {**fields, "workflow_state": "active"}, user_id=actor.id)


def update_outcome(db: Session, item: ContentItem, changes: OutcomeChanges) -> ContentItem:
    content.update_item(db, item, _fields({}, dict(item.data or {}), changes))
    return item


def _fields(fields: dict[str, Any], data: dict[str, Any], changes: OutcomeChanges) -> dict[str, Any]:
    values = given(changes)
    if "title" in values:
        fields["title"] = _text(values["title"], "title", required=True)
    if "description" in values:
        fields["body"] = sanitize_html(values["description"] or "")
    for name in ("display_name", "vendor_guid"):
        if name in values:
            data[name] = _text(values[name], name) or None
    if "ratings" in values:
        data["ratings"] = _ratings(values["ratings"])
        data["mastery_points"] = max(r["points"] for r in data["ratings"])
    if values.get("mastery_points") is not None:
        if values["mastery_points"] < 0:
            raise InvalidInput("mastery_points", "mastery_points must not be negative")
        data["mastery_points"] = float(values["mastery_points"])
    _calculation(data, values)
    fields["data"], fields["points"] = data, max(r["points"] for r in data["ratings"])
    return fields


def _calculation(data: dict[str, Any], values: dict[str, Any]) -> None:
    method = values.get("calculation_method", data.get("calculation_method")) or DEFAULT_METHOD
    if method not in METHODS:
        raise InvalidInput("calculation_method", f"calculation_method must be one of {', '.join(METHODS)}")
    span = METHODS[method]
    if "calculation_int" in values and values["calculation_int"] is not None:
        number = values["calculation_int"]
        if span is None or not span[0] <= number <= span[1]:
            allowed = f"from {span[0]} to {span[1]}" if span else "empty"
            raise InvalidInput("calculation_int",
                               f"calculation_int {number} is not valid for {method}: it must be {allowed}")
    elif "calculation_method" in values or "calculation_int" in values or data.get("calculation_method") is None:
        number = span[2] if span else None
    else:
        number = data.get("calculation_int")
    data["calculation_method"], data["calculation_int"] = method, number


def _ratings(ratings: tuple[OutcomeRating, ...]) -> list[dict[str, Any]]:
    if not ratings or len(ratings) > MAX_RATINGS:
        raise InvalidInput("ratings", f"ratings must hold 1 to {MAX_RATINGS} ratings")
    out = []
    for n, rating in enumerate(ratings):
        points = 0.0 if rating.points is None else float(rating.points)
        if points < 0:
            raise InvalidInput(f"ratings[{n}][points]", f"ratings[{n}][points] must not be negative")
        out.append({"description": _text(rating.description, f"ratings[{n}][description]") or "No description",
                    "points": points})
    return sorted(out, key=lambda r: -r["points"])


def _text(value: str | None, field: str, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(field, f"{field} is required")
    if len(text) > MAX_TEXT:
        raise InvalidInput(field, f"{field} may be at most {MAX_TEXT} characters long")
    return text


def live_outcome(db: Session, outcome_id: int | str | None) -> ContentItem:
    item = db.get(ContentItem, store_id(outcome_id)) if is_id(outcome_id) else None
    if item is None or item.type != OUTCOME or item.workflow_state == "deleted":
        raise NotFound("outcome")
    return item


def readable_outcome(db: Session, actor: User, outcome_id: str | int) -> tuple[ContentItem, bool]:
    """The outcome and whether the actor may edit it: readers of its context (course, account, global) read it,
    and so do readers of a course that links it (read-only there)."""
    item = live_outcome(db, outcome_id)
    try:
        return item, owners.owner_of(db, actor, item).can_manage
    except (NotAllowed, NotFound):
        pass
    linking = db.scalars(select(ContentItem.course_id).where(
        ContentItem.type == LINK, ContentItem.workflow_state != "deleted", ContentItem.course_id.is_not(None),
        ContentItem.data["outcome_id"].as_integer() == item.id).distinct())
    if any(owners.reads_course(db, actor, course_id) for course_id in linking):
        return item, False
    raise NotAllowed()


def editable_outcome(db: Session, actor: User, outcome_id: str | int) -> ContentItem:
    item = live_outcome(db, outcome_id)
    owners.owner_of(db, actor, item, manage=True)
    return item
