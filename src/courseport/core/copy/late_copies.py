"""Late work in a copy's target follows the due dates the copy wrote.

A copy into a course that holds earlier copies rewrites them in place (copy_tables, set-based), due dates and
overrides included, without the assignment writes that settle late work again (`late_regrades.dates_moved`).
So after the copy, each assignment it wrote that already has submissions in the target is settled once: its
students' late and missing deductions follow the copied dates, as Canvas re-applies a late policy when a due
date moves. Assignments new to the target have no submissions yet; the periodic missing round
(`missing_deductions`) reaches them as time passes. A blueprint sync settles its copies through the content
change hook instead (`late_regrades.synced_change`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.copy.copy_plan import ITEMS, CopyPlan, touched_items
from courseport.core.coursework import late_regrades
from courseport.schema.content import ContentItem, Submission


def settle_late_work(db: Session, plan: CopyPlan) -> int:
    """Settle the written assignments that have submissions; how many submission rows changed."""
    written = touched_items(plan, ITEMS.c.id).where(ITEMS.c.type == "assignment").scalar_subquery()
    graded = sorted(set(db.scalars(select(Submission.item_id).where(Submission.item_id.in_(written)))))
    changed = 0
    for item_id in graded:  # the entity as the copy left the row (the set-based writes bypassed the session)
        item = db.get(ContentItem, item_id, populate_existing=True)
        if item is not None:
            changed += late_regrades.dates_moved(db, item)
    return changed
