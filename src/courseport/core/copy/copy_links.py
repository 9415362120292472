"""The few row-by-row steps of a course copy: values that name other rows inside text or JSON.

HTML bodies link to `/courses/<source>/...`: those links are rewritten to the target, with item,
file and page references pointed at the target's copies (links to rows that were not copied keep
pointing at the source). Page urls that clash with the target's own pages get a free suffix, the
target keeps its own front page, and module prerequisites name the target's modules. Only rows
that need a change are loaded, so these stay small next to the set-based steps.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, select, update
from sqlalchemy.orm import Session

from courseport.core.content.content import field_hash
from courseport.core.content.pages import LIVE, slug_for, unique_title_and_slug
from courseport.core.copy.copy_plan import FILES, ITEMS, CopyPlan, lineage, lineage_map, touched_items, unseen
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.ids import is_id, store_id
from courseport.schema import Course

_SOURCE_PAGE, _TARGET_PAGE = ITEMS.alias("s"), ITEMS.alias("t")  # built once (see copy_plan)
_KINDS = "files|pages|assignments|quizzes|discussion_topics|announcements|modules/items|modules"


def _link_pattern(course_id: int) -> re.Pattern[str]:
    return re.compile(rf"/courses/{course_id}(?![\w\-])(?:/({_KINDS})/([\w\-]+))?")


def rewrite_bodies(db: Session, plan: CopyPlan) -> int:
    """Rewrite links to the source course in the copies' bodies; returns how many bodies changed."""
    marker = f"%/courses/{plan.source_id}%"
    rows = db.execute(touched_items(plan, ITEMS.c.id, ITEMS.c.body, ITEMS.c.field_hashes)
                      .where(ITEMS.c.body.like(marker))).all()
    if not rows:
        return 0
    pattern = _link_pattern(plan.source_id)
    refs = [m.groups() for row in rows for m in pattern.finditer(row.body or "")]
    maps = _reference_maps(db, plan, refs)
    changes = []
    for row in rows:
        body = pattern.sub(lambda m: _rewritten(m, plan.target_id, maps), row.body)
        if body != row.body:
            hashes = {**(row.field_hashes or {}), "body": field_hash(body)}
            changes.append({"row_id": row.id, "new_body": body, "new_hashes": hashes})
    if changes:
        db.connection().execute(update(ITEMS).where(ITEMS.c.id == bindparam("row_id"))
                                .values(body=bindparam("new_body"), field_hashes=bindparam("new_hashes")), changes)
    return len(changes)


def rewrite_syllabus(db: Session, plan: CopyPlan) -> None:
    courses = cast(Table, Course.__table__)
    body = db.scalar(select(courses.c.syllabus_body).where(courses.c.id == plan.target_id))
    if not plan.settings or not body:
        return
    pattern = _link_pattern(plan.source_id)
    maps = _reference_maps(db, plan, [m.groups() for m in pattern.finditer(body)])
    body = pattern.sub(lambda m: _rewritten(m, plan.target_id, maps), body)
    db.execute(update(courses).where(courses.c.id == plan.target_id).values(syllabus_body=body))


def _reference_maps(db: Session, plan: CopyPlan, refs: Sequence[tuple[str | None, ...]]) -> dict[str, dict]:
    item_ids = cast(set[int], {store_id(ref) for kind, ref in refs if kind and kind != "files" and is_id(ref)})
    file_ids = cast(set[int], {store_id(ref) for kind, ref in refs if kind == "files" and is_id(ref)})
    slugs = {ref for kind, ref in refs if kind == "pages" and ref and not is_id(ref)}
    return {"items": lineage_map(db, plan, ITEMS, item_ids), "files": lineage_map(db, plan, FILES, file_ids),
            "slugs": _slug_map(db, plan, slugs)}


def _slug_map(db: Session, plan: CopyPlan, slugs: set[str]) -> dict[str, str]:
    if not slugs:
        return {}
    s, t = _SOURCE_PAGE, _TARGET_PAGE
    rows = db.execute(select(s.c.slug, t.c.slug).join(t, and_(t.c.course_id == unseen(plan.target_id),
                                                             t.c.lineage_id == lineage(s)))
                      .where(s.c.course_id == plan.source_id, s.c.type == "page", s.c.slug.in_(sorted(slugs)),
                             s.c.workflow_state.in_(LIVE), t.c.workflow_state.in_(LIVE))).all()
    return dict(rows)


def _rewritten(match: re.Match[str], target_id: int, maps: dict[str, dict]) -> str:
    kind, ref = match.groups()
    if kind is None:
        return f"/courses/{target_id}"
    if kind == "files":
        new = maps["files"].get(store_id(ref)) if is_id(ref) else None
    elif kind == "pages" and not is_id(ref):
        new = maps["slugs"].get(ref)
    else:
        new = maps["items"].get(store_id(ref)) if is_id(ref) else None
    if new is None:
        return match.group(0)  # not copied: the link keeps working against the source
    return f"/courses/{target_id}/{kind}/{new}"


def settle_page_urls(db: Session, plan: CopyPlan) -> int:
    """Copied pages whose url a page of the target already uses get a free title and url."""
    live_page = and_(ITEMS.c.course_id == plan.target_id, ITEMS.c.type == "page", ITEMS.c.workflow_state.in_(LIVE))
    own = set(db.scalars(select(ITEMS.c.slug).where(live_page, ITEMS.c.updated_at != plan.stamp)))
    if not own:
        return 0
    rows = [row for row in db.execute(touched_items(plan, ITEMS.c.id, ITEMS.c.title, ITEMS.c.slug,
                                                    ITEMS.c.field_hashes).where(live_page).order_by(ITEMS.c.id))
            if row.slug in own]
    for row in rows:
        try:
            title, slug = unique_title_and_slug(db, plan.target_id, row.title, row.id)
        except InvalidInput:
            title, slug = row.title, _free_slug(db, plan, slug_for(row.title), row.id)
        hashes = {**(row.field_hashes or {}), "title": field_hash(title), "slug": field_hash(slug)}
        db.execute(update(ITEMS).where(ITEMS.c.id == row.id).values(title=title, slug=slug, field_hashes=hashes))
    return len(rows)


def _free_slug(db: Session, plan: CopyPlan, base: str, own_id: int) -> str:
    taken = set(db.scalars(select(ITEMS.c.slug).where(
        ITEMS.c.course_id == plan.target_id, ITEMS.c.type == "page", ITEMS.c.workflow_state.in_(LIVE),
        ITEMS.c.id != own_id, ITEMS.c.slug.startswith(base, autoescape=True))))
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def keep_target_front_page(db: Session, plan: CopyPlan) -> None:
    """A target that has its own front page keeps it; a copied front page becomes a plain page."""
    live_page = and_(ITEMS.c.course_id == plan.target_id, ITEMS.c.type == "page", ITEMS.c.workflow_state.in_(LIVE))
    own = db.scalars(select(ITEMS.c.data).where(live_page, ITEMS.c.updated_at != plan.stamp))
    if not any((data or {}).get("front_page") for data in own):
        return
    for page in db.execute(touched_items(plan, ITEMS.c.id, ITEMS.c.data).where(live_page)).all():
        if (page.data or {}).get("front_page"):
            set_item_data(db, page.id, {**page.data, "front_page": False})


def remap_prerequisites(db: Session, plan: CopyPlan) -> None:
    """Copied modules name their prerequisites by the target's module ids (uncopied ones are dropped)."""
    modules = [row for row in db.execute(touched_items(plan, ITEMS.c.id, ITEMS.c.data).where(
        ITEMS.c.type == "module")).all() if (row.data or {}).get("prerequisite_module_ids")]
    if not modules:
        return
    wanted = {int(i) for row in modules for i in row.data["prerequisite_module_ids"]}
    mapping = lineage_map(db, plan, ITEMS, wanted)
    for row in modules:
        ids = [mapping[int(i)] for i in row.data["prerequisite_module_ids"] if int(i) in mapping]
        set_item_data(db, row.id, {**row.data, "prerequisite_module_ids": ids})


def set_item_data(db: Session, item_id: int, data: dict[str, Any]) -> None:
    hashes = db.scalar(select(ITEMS.c.field_hashes).where(ITEMS.c.id == item_id)) or {}
    db.execute(update(ITEMS).where(ITEMS.c.id == item_id)
               .values(data=data, field_hashes={**hashes, "data": field_hash(data)}))
