"""The missing deduction over time (Canvas's missing policy applicator): work that becomes missing once its
due date passes takes its course's missing deduction without anyone grading it.

`apply_missing` is run every few minutes by each serving process (`courseport/services.py`,
`MissingDeductions`). Like Canvas's job it looks one day back: every published assignment of a course whose
late policy has the missing deduction on, whose own due date or an override's fell in the last day, is settled
again against its students' effective due dates (`late_regrades.dates_moved`: a fixed number of queries per
assignment; rows already settled change nothing, so two processes' rounds, or a round after a date move,
agree). Reads never do this: a read only shows `missing`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from courseport.core.coursework import late_regrades
from courseport.schema import AssignmentOverride, LatePolicy
from courseport.schema.base import utcnow
from courseport.schema.content import ContentItem

LOOKBACK = timedelta(days=1)


def apply_missing(db: Session, now: datetime | None = None) -> int:
    """Settle every assignment whose due date (its own or an override's) passed within LOOKBACK of `now` in a
    course with the missing deduction on; how many submissions changed."""
    now = now or utcnow()
    since = now - LOOKBACK
    courses = select(LatePolicy.course_id).where(LatePolicy.missing_submission_deduction_enabled.is_(True))
    by_override = select(AssignmentOverride.item_id).where(
        AssignmentOverride.workflow_state == "active", AssignmentOverride.due_at_set.is_(True),
        AssignmentOverride.due_at > since, AssignmentOverride.due_at <= now)
    items = db.scalars(select(ContentItem).where(
        ContentItem.course_id.in_(courses), ContentItem.type == "assignment",
        ContentItem.workflow_state == "published",
        or_(and_(ContentItem.due_at > since, ContentItem.due_at <= now), ContentItem.id.in_(by_override)))
        .order_by(ContentItem.id)).all()
    return sum(late_regrades.dates_moved(db, item, now=now) for item in items)
