"""Where an item sits in a course's module sequence: for each module item that is (or points at) the
asset asked for, the item before and after it across every module in order, headers skipped, as the
caller sees the modules (students: published ones). Canvas's module_item_sequence."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from courseport.core.content.modules import ItemView, ModuleView, audience, module_views
from courseport.core.kit.errors import InvalidInput
from courseport.schema import User

# The asset types a sequence may be asked for, and the content type each names (None: the item itself).
ASSET_TYPES: dict[str, str | None] = {"ModuleItem": None, "File": "file", "Page": "page",
                                      "Discussion": "discussion_topic", "Assignment": "assignment",
                                      "Quiz": "quiz", "ExternalTool": "external_tool"}


@dataclass(frozen=True)
class Step:
    prev: ItemView | None
    current: ItemView
    next: ItemView | None


@dataclass(frozen=True)
class Sequence:
    steps: list[Step]
    modules: list[ModuleView]  # the modules the steps' items are in, in course order


def module_item_sequence(db: Session, me: User, course_ref: str, asset_type: str | None,
                         asset_id: str | None) -> Sequence:
    if asset_type not in ASSET_TYPES:
        raise InvalidInput("asset_type", f"asset_type must be one of {', '.join(ASSET_TYPES)}")
    if not asset_id:
        raise InvalidInput("asset_id", "asset_id is required")
    views = module_views(db, audience(db, me, course_ref))
    flow = [item for view in views for item in view.items if item.item.data.get("type") != "SubHeader"]
    steps = [Step(flow[n - 1] if n else None, item, flow[n + 1] if n + 1 < len(flow) else None)
             for n, item in enumerate(flow) if _is(item, ASSET_TYPES[asset_type], asset_id)]
    wanted = {i.item.parent_id for s in steps for i in (s.prev, s.current, s.next) if i is not None}
    return Sequence(steps, [view for view in views if view.module.id in wanted])


def _is(view: ItemView, content_type: str | None, asset_id: str) -> bool:
    if content_type is None:
        return str(view.item.id) == asset_id
    if content_type == "file":
        return view.entry.file is not None and str(view.entry.file.id) == asset_id
    target = view.entry.target
    if target is None or target.type != content_type:
        return False
    return str(target.id) == asset_id or (content_type == "page" and target.slug == asset_id)
