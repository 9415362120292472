"""Planner overrides: a user's marks on one planner item (marked complete, dismissed), theirs alone.

A plannable is named by a core type and an id: a content item the user may read (an assignment, quiz,
discussion topic, announcement, page or calendar event) or one of their own planner notes. One override
per user and plannable: making a second is refused, but one deleted before is brought back. A deleted
override keeps its row (workflow_state "deleted", deleted_at) and is no longer found.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content.planner_notes import get_note
from courseport.core.courses.courses import readable_course
from courseport.core.kit.changes import UNSET, Unset, given, kinds
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import ContentItem, PlannerOverride, User
from courseport.schema.base import utcnow

ITEM_TYPES = ("assignment", "quiz", "discussion_topic", "announcement", "page", "calendar_event")
PLANNABLE_TYPES = (*ITEM_TYPES, "planner_note")
_GONE = ("deleted",)


@dataclass(frozen=True)
class OverrideChanges:
    marked_complete: bool | None | Unset = UNSET
    dismissed: bool | None | Unset = UNSET


OVERRIDE_FIELDS: dict[str, type] = kinds(OverrideChanges)


def list_overrides(db: Session, actor: User, window: Window) -> Slice[PlannerOverride]:
    stmt = (select(PlannerOverride).where(PlannerOverride.user_id == actor.id,
                                          PlannerOverride.workflow_state == "active")
            .order_by(PlannerOverride.id))
    return fetch_window(db, stmt, window)


def overrides_of(db: Session, actor: User) -> dict[tuple[str, int], PlannerOverride]:
    """The actor's live overrides by (plannable type, plannable id)."""
    rows = db.scalars(select(PlannerOverride).where(PlannerOverride.user_id == actor.id,
                                                    PlannerOverride.workflow_state == "active"))
    return {(o.plannable_type, o.plannable_id): o for o in rows}


def get_override(db: Session, actor: User, override_id: str | int) -> PlannerOverride:
    row = db.get(PlannerOverride, store_id(override_id)) if is_id(override_id) else None
    if row is None or row.user_id != actor.id or row.workflow_state != "active":
        raise NotFound("planner override")
    return row


def create_override(db: Session, actor: User, plannable_type: str | None, plannable_id: int | None,
                    changes: OverrideChanges) -> PlannerOverride:
    kind, target = _plannable(db, actor, plannable_type, plannable_id)
    row = db.scalar(select(PlannerOverride).where(PlannerOverride.user_id == actor.id,
                                                  PlannerOverride.plannable_type == kind,
                                                  PlannerOverride.plannable_id == target))
    if row is not None and row.workflow_state == "active":
        raise InvalidInput("plannable_id", "plannable_id already has an override; update that one instead")
    if row is None:
        row = PlannerOverride(user_id=actor.id, plannable_type=kind, plannable_id=target)
        db.add(row)
    row.workflow_state, row.deleted_at = "active", None
    row.marked_complete, row.dismissed = False, False
    _apply(row, given(changes))
    db.flush()
    return row


def update_override(db: Session, actor: User, override_id: str | int, changes: OverrideChanges) -> PlannerOverride:
    row = get_override(db, actor, override_id)
    _apply(row, given(changes))
    db.flush()
    return row


def delete_override(db: Session, actor: User, override_id: str | int) -> PlannerOverride:
    row = get_override(db, actor, override_id)
    row.workflow_state, row.deleted_at = "deleted", utcnow()
    db.flush()
    return row


def _apply(row: PlannerOverride, fields: dict) -> None:
    for key in ("marked_complete", "dismissed"):
        if key in fields:
            setattr(row, key, bool(fields[key]))


def _plannable(db: Session, actor: User, kind: str | None, plannable_id: int | None) -> tuple[str, int]:
    if kind not in PLANNABLE_TYPES:
        raise InvalidInput("plannable_type", f"plannable_type must be one of: {', '.join(PLANNABLE_TYPES)}")
    if plannable_id is None:
        raise InvalidInput("plannable_id", "plannable_id is required")
    try:
        if kind == "planner_note":
            return kind, get_note(db, actor, plannable_id).id
        item = db.get(ContentItem, plannable_id)
        if item is None or item.type != kind or item.workflow_state in _GONE:
            raise NotFound(kind)
        readable_course(db, actor, item.course_id)
    except (NotFound, NotAllowed):
        raise InvalidInput("plannable_id", f"plannable_id {plannable_id} names no {kind} you can see") from None
    return kind, item.id
