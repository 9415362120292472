"""Course modules and their items: ordering, targets, completion requirements and publishing.

A module is a `module` content item; its items are `module_item` rows whose `ref_id` points at an
assignment, page, quiz, discussion topic or external tool, or whose `file_id` points at a file.
Field names are the bare attribute names (`name`, `content_id`, ...); dialects add their prefixes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content import content, module_progress
from courseport.core.content.module_progress import ItemStatus, ModuleStatus, OutlineItem, may_read_progress
from courseport.core.courses.courses import readable_course
from courseport.core.identity.users import resolve_user
from courseport.core.kit.changes import UNSET, Unset, given, kinds
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import store_id
from courseport.core.kit.paging import Slice, Window
from courseport.schema import Course, User
from courseport.schema.content import ContentItem
from courseport.schema.files import File

# Module item kinds -> the content types their content_id may name (None: a file; (): no target).
ITEM_KINDS: dict[str, tuple[str, ...] | None] = {
    "Assignment": ("assignment",), "Quiz": ("quiz",), "Discussion": ("discussion_topic",), "Page": ("page",),
    "File": None, "SubHeader": (), "ExternalUrl": (), "ExternalTool": ("external_tool",),
}
_ALL_BUT_HEADER = frozenset(ITEM_KINDS) - {"SubHeader"}
REQUIREMENTS: dict[str, frozenset[str]] = {
    "must_view": _ALL_BUT_HEADER, "must_mark_done": _ALL_BUT_HEADER,
    "must_contribute": frozenset({"Assignment", "Discussion", "Page"}),
    "must_submit": frozenset({"Assignment", "Quiz"}), "min_score": frozenset({"Assignment", "Quiz"}),
}
_PUBLISHED_TARGET = {"discussion_topic": "active", "announcement": "active", "external_tool": "active"}
MIN_SEARCH_LENGTH = 2


@dataclass(frozen=True)
class ModuleChanges:
    """The module attributes a create or update sets; UNSET leaves an attribute as it is, None clears
    it. prerequisite_module_ids name modules that come earlier (ids as the caller gave them)."""

    name: str | None | Unset = UNSET
    unlock_at: datetime | None | Unset = UNSET
    position: int | None | Unset = UNSET
    require_sequential_progress: bool | None | Unset = UNSET
    publish_final_grade: bool | None | Unset = UNSET
    published: bool | None | Unset = UNSET
    prerequisite_module_ids: list[str | int] | None | Unset = UNSET


# Every writable module attribute and its type: the one table dialects coerce wire values by.
MODULE_FIELDS: dict[str, type] = kinds(ModuleChanges)


@dataclass
class ItemView:
    entry: OutlineItem
    status: ItemStatus | None  # the student's, when the view is for a student
    manages: bool

    @property
    def item(self) -> ContentItem:
        return self.entry.item


@dataclass
class ModuleView:
    module: ContentItem
    items: list[ItemView]
    items_count: int
    status: ModuleStatus | None
    manages: bool


@dataclass(frozen=True)
class Audience:
    course: Course
    manages: bool
    student: User | None  # whose progress the view shows


def audience(db: Session, me: User, course_ref: str | int, student_ref: str | None = None) -> Audience:
    """Who is looking: managers see unpublished modules; students (or a student named by a grader,
    the student themself or a linked observer) see published ones with their progress."""
    course, rights = readable_course(db, me, course_ref)
    student = None
    if student_ref:
        student = resolve_user(db, student_ref, me)
        if not module_progress.is_student(db, course.id, student.id) or not may_read_progress(db, me, rights,
                                                                                                 student):
            raise NotAllowed()
    elif rights.can("participate_as_student") and not rights.is_admin:  # admins hold every right
        student = me
    return Audience(course, rights.can("manage_content"), student)


def module_views(db: Session, aud: Audience) -> list[ModuleView]:
    outline = module_progress.load_outline(db, aud.course.id, published_only=aud.student is not None or not aud.manages)
    statuses = module_progress.student_statuses(db, aud.course.id, outline, aud.student) if aud.student else {}
    views = []
    for mod in outline:
        status = statuses.get(mod.module.id)
        items = [ItemView(e, status.items.get(e.item.id) if status else None, aud.manages) for e in mod.items]
        views.append(ModuleView(mod.module, items, len(items), status, aud.manages))
    return views


def list_modules(db: Session, me: User, course_ref: str | int, window: Window, *, search_term: str | None = None,
                 student_ref: str | None = None, with_items: bool = False) -> Slice[ModuleView]:
    views = module_views(db, audience(db, me, course_ref, student_ref))
    if search_term is not None:
        views = _search(views, search_term, with_items)
    chosen = views[window.offset: window.offset + window.limit]
    return Slice(chosen, window.offset + window.limit < len(views), len(views))


def _search(views: list[ModuleView], term: str, with_items: bool) -> list[ModuleView]:
    if len(term.strip()) < MIN_SEARCH_LENGTH:
        raise InvalidInput("search_term", f"search_term must be at least {MIN_SEARCH_LENGTH} characters")
    needle = term.strip().lower()
    out = []
    for view in views:
        if needle in view.module.title.lower():
            out.append(view)
        elif with_items:
            matching = [i for i in view.items if needle in i.item.title.lower()]
            if matching:
                out.append(ModuleView(view.module, matching, view.items_count, view.status, view.manages))
    return out


def get_module(db: Session, me: User, course_ref: str | int, module_id: str, *,
               student_ref: str | None = None) -> ModuleView:
    views = module_views(db, audience(db, me, course_ref, student_ref))
    found = next((v for v in views if str(v.module.id) == str(module_id)), None)
    if found is None:
        raise NotFound("module")
    return found


def list_module_items(db: Session, me: User, course_ref: str | int, module_id: str, window: Window, *,
                      search_term: str | None = None, student_ref: str | None = None) -> Slice[ItemView]:
    items = get_module(db, me, course_ref, module_id, student_ref=student_ref).items
    if search_term is not None:
        if len(search_term.strip()) < MIN_SEARCH_LENGTH:
            raise InvalidInput("search_term", f"search_term must be at least {MIN_SEARCH_LENGTH} characters")
        items = [i for i in items if search_term.strip().lower() in i.item.title.lower()]
    chosen = items[window.offset: window.offset + window.limit]
    return Slice(chosen, window.offset + window.limit < len(items), len(items))


def get_module_item(db: Session, me: User, course_ref: str | int, module_id: str, item_id: str, *,
                    student_ref: str | None = None) -> ItemView:
    view = get_module(db, me, course_ref, module_id, student_ref=student_ref)
    found = next((i for i in view.items if str(i.item.id) == str(item_id)), None)
    if found is None:
        raise NotFound("module item")
    return found


# --- writes -----------------------------------------------------------------------------------------

def managed_course(db: Session, me: User, course_ref: str | int) -> Course:
    course, _ = readable_course(db, me, course_ref, "manage_content")
    return course


def view_of_module(db: Session, course: Course, module: ContentItem) -> ModuleView:
    aud = Audience(course, True, None)
    found = next((v for v in module_views(db, aud) if v.module.id == module.id), None)
    return found or ModuleView(module, [], 0, None, True)


def view_of_item(db: Session, course: Course, item: ContentItem) -> ItemView:
    # a module item's parent is its module
    view = view_of_module(db, course, content.get_item(db, course.id, cast(int, item.parent_id), "module")) \
        if item.workflow_state != "deleted" else None
    found = next((i for i in view.items if i.item.id == item.id), None) if view else None
    return found or ItemView(_entry_of(db, item), None, True)


def _entry_of(db: Session, item: ContentItem) -> OutlineItem:
    target = db.get(ContentItem, item.ref_id) if item.ref_id else None
    return OutlineItem(item, target, db.get(File, item.file_id) if item.file_id else None)


def live_children(db: Session, course_id: int, item_type: str, parent_id: int | None) -> list[ContentItem]:
    stmt = select(ContentItem).where(ContentItem.course_id == course_id, ContentItem.type == item_type,
                                     ContentItem.workflow_state != "deleted")
    stmt = stmt.where(ContentItem.parent_id == parent_id if parent_id else ContentItem.parent_id.is_(None))
    return list(db.scalars(stmt.order_by(ContentItem.position, ContentItem.id)))


def place(db: Session, item: ContentItem, position: int | None) -> None:
    """Put `item` at `position` (1-based, clamped) among its live siblings and renumber them 1..n."""
    if position is not None and position < 1:
        raise InvalidInput("position", "position must be 1 or more")
    siblings = [s for s in live_children(db, item.course_id, item.type, item.parent_id) if s.id != item.id]
    index = len(siblings) if position is None else min(position - 1, len(siblings))
    siblings.insert(index, item)
    renumber(db, siblings)


def renumber(db: Session, siblings: list[ContentItem]) -> None:
    for n, sibling in enumerate(siblings, start=1):
        if sibling.position != n:
            content.update_item(db, sibling, {"position": n})
    if siblings and siblings[0].type == "module":
        _prune_prerequisites(db, siblings)


def _prune_prerequisites(db: Session, modules: list[ContentItem]) -> None:
    """Prerequisites must come earlier; a reorder or delete drops the ones that no longer do."""
    earlier: set[int] = set()
    for module in modules:
        prereqs = (module.data or {}).get("prerequisite_module_ids") or []
        kept = [p for p in prereqs if p in earlier]
        if kept != prereqs:
            content.update_item(db, module, {"data": {"prerequisite_module_ids": kept}})
        earlier.add(module.id)


def _prerequisites(db: Session, course_id: int, module: ContentItem | None, ids: list[Any]) -> list[int]:
    modules = live_children(db, course_id, "module", None)
    position = module.position if module else len(modules) + 1
    before = {m.id for m in modules if m.position < position}
    out: list[int] = []
    for raw in ids:
        if store_id(raw) not in before:
            raise InvalidInput("prerequisite_module_ids",
                               f"prerequisite module {raw} is not a module that comes before this one")
        out.append(cast(int, store_id(raw)))  # in `before`: not None
    return list(dict.fromkeys(out))


def create_module(db: Session, me: User, course_ref: str | int, changes: ModuleChanges) -> ModuleView:
    fields = given(changes)
    course = managed_course(db, me, course_ref)
    name = (fields.get("name") or "").strip()
    if not name:
        raise InvalidInput("name", "missing module name")
    module = content.create_item(db, course.id, "module", {
        "title": name, "unlock_at": fields.get("unlock_at"),
        "position": len(live_children(db, course.id, "module", None)) + 1,
        "workflow_state": "active" if fields.get("published") else "unpublished",
        "data": {"require_sequential_progress": bool(fields.get("require_sequential_progress")),
                 "publish_final_grade": bool(fields.get("publish_final_grade")), "prerequisite_module_ids": []},
    }, user_id=me.id)
    if fields.get("position") is not None:
        place(db, module, fields["position"])
    if fields.get("prerequisite_module_ids"):
        ids = _prerequisites(db, course.id, module, fields["prerequisite_module_ids"])
        content.update_item(db, module, {"data": {"prerequisite_module_ids": ids}})
    return view_of_module(db, course, module)


def relock_module(db: Session, me: User, course_ref: str | int, module_id: str) -> ModuleView:
    """Canvas recomputes students' progressions from the current requirements, taking back what they
    unlocked under older ones. Progress here is always computed from the current requirements
    (module_progress.py), so nothing is kept to reset: the module as it stands, for its managers."""
    course = managed_course(db, me, course_ref)
    content.get_item(db, course.id, module_id, "module")
    return get_module(db, me, course.id, module_id)


def update_module(db: Session, me: User, course_ref: str | int, module_id: str,
                  changes: ModuleChanges) -> ModuleView:
    fields = given(changes)
    course = managed_course(db, me, course_ref)
    module = content.get_item(db, course.id, module_id, "module")
    values: dict[str, Any] = {}
    if "name" in fields:
        if not (fields["name"] or "").strip():
            raise InvalidInput("name", "name cannot be blank")
        values["title"] = fields["name"].strip()
    if "unlock_at" in fields:
        values["unlock_at"] = fields["unlock_at"]
    data = {k: bool(fields[k]) for k in ("require_sequential_progress", "publish_final_grade") if k in fields}
    if data:
        values["data"] = data
    if fields.get("published") is not None:
        values["workflow_state"] = "active" if fields["published"] else "unpublished"
    content.update_item(db, module, values)
    if fields.get("position") is not None:
        place(db, module, fields["position"])
    if "prerequisite_module_ids" in fields:
        ids = _prerequisites(db, course.id, module, fields["prerequisite_module_ids"] or [])
        content.update_item(db, module, {"data": {"prerequisite_module_ids": ids}})
    if fields.get("published"):
        for item in live_children(db, course.id, "module_item", module.id):
            publish_item(db, item, True)
    return view_of_module(db, course, module)


def delete_module(db: Session, me: User, course_ref: str | int, module_id: str) -> ModuleView:
    course = managed_course(db, me, course_ref)
    module = content.get_item(db, course.id, module_id, "module")
    view = view_of_module(db, course, module)
    for item in live_children(db, course.id, "module_item", module.id):
        content.delete_item(db, item)
    content.delete_item(db, module)
    renumber(db, live_children(db, course.id, "module", None))
    view.items, view.items_count = [], 0
    return view


def publish_item(db: Session, item: ContentItem, published: bool) -> None:
    """Publishing a module item publishes what it points at (and a quiz's or topic's assignment), as Canvas does."""
    content.update_item(db, item, {"workflow_state": "active" if published else "unpublished"})
    target = db.get(ContentItem, item.ref_id) if item.ref_id else None
    graded = db.get(ContentItem, target.ref_id) if target is not None and target.ref_id else None
    for thing in (target, graded):
        if thing is None or thing.workflow_state == "deleted":
            continue
        if published and thing.workflow_state in module_progress.LIVE_TARGET_STATES:
            continue
        state = _PUBLISHED_TARGET.get(thing.type, "published") if published else "unpublished"
        content.update_item(db, thing, {"workflow_state": state})
