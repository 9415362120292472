"""The row-by-row steps outcomes need after a copy.

Outcome groups: a group names its parent group, a row of its own type, which the depth-by-depth copy
(copy_tables) cannot point at the parent's copy when both are new. Each group the copy wrote gets its source's
parent's copy as parent. A copied root group (its source has no parent) stays a root when the target has none
of its own, and otherwise becomes a subgroup of the target's root: a course keeps one root group, the oldest
(outcome_groups.root_group).

Rubric alignments: a rubric criterion names its outcome in the rubric's data (`learning_outcome_id`), which the
copy carries as the source's id. Each copied rubric's criteria point at their outcome's copy; an outcome the
target neither copied nor uses (an alignment to another course's outcome) is no longer named.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from courseport.core.copy.copy_links import set_item_data
from courseport.core.copy.copy_plan import ITEMS, CopyPlan, lineage, lineage_map, touched_items
from courseport.core.coursework import outcome_groups

GROUP = "outcome_group"


def remap_outcome_groups(db: Session, plan: CopyPlan) -> int:
    """Point the copied groups at their parents' copies; returns how many changed."""
    copies = db.execute(touched_items(plan, ITEMS.c.id, ITEMS.c.lineage_id, ITEMS.c.parent_id)
                        .where(ITEMS.c.type == GROUP)).all()
    if not copies:
        return 0
    s = ITEMS.alias("s")
    parents = dict(db.execute(select(lineage(s), s.c.parent_id).where(
        s.c.course_id == plan.source_id, s.c.type == GROUP, lineage(s).in_(sorted({c.lineage_id for c in copies})))
    ).all())
    mapped = lineage_map(db, plan, ITEMS, {p for p in parents.values() if p})
    # The target's root: its oldest parentless group, leaving out copies not yet re-parented (their source has
    # a parent; the copy wrote them without one).
    children = sorted(c.id for c in copies if parents.get(c.lineage_id))
    root = db.scalar(select(ITEMS.c.id).where(
        ITEMS.c.course_id == plan.target_id, ITEMS.c.type == GROUP, ITEMS.c.parent_id.is_(None),
        ITEMS.c.workflow_state != "deleted", ITEMS.c.id.not_in(children)).order_by(ITEMS.c.id).limit(1))
    changed = 0
    for copy in copies:
        source_parent = parents.get(copy.lineage_id)
        want = mapped.get(source_parent) if source_parent else (None if root in (None, copy.id) else root)
        if want != copy.parent_id and want != copy.id:
            db.execute(update(ITEMS).where(ITEMS.c.id == copy.id).values(parent_id=want))
            changed += 1
    return changed


def remap_rubric_outcomes(db: Session, plan: CopyPlan) -> None:
    """Point the copied rubrics' aligned criteria at the outcomes' copies (after remap_outcome_groups)."""
    rubrics = [row for row in db.execute(touched_items(plan, ITEMS.c.id, ITEMS.c.data).where(
        ITEMS.c.type == "rubric")).all() if any(_aligned(c) for c in _criteria(row.data))]
    if not rubrics:
        return
    mapping = lineage_map(db, plan, ITEMS, {_aligned(c) for row in rubrics for c in _criteria(row.data)} - {0})
    usable = outcome_groups.course_outcome_ids(db, plan.target_id)
    for row in rubrics:
        criteria = [{**c, "learning_outcome_id": _target_outcome(_aligned(c), mapping, usable)} if _aligned(c) else c
                    for c in _criteria(row.data)]
        if criteria != _criteria(row.data):
            set_item_data(db, row.id, {**row.data, "criteria": criteria})


def _criteria(data: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list((data or {}).get("criteria") or [])


def _aligned(criterion: dict[str, Any]) -> int:
    return int(criterion.get("learning_outcome_id") or 0)


def _target_outcome(source: int, mapping: dict[int, int], usable: set[int]) -> int | None:
    if source in mapping:
        return mapping[source]
    return source if source in usable else None
