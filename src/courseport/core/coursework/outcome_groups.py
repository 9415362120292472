"""Outcome groups and links: a course's outcomes arranged in a tree of groups under one root group.

A course's, an account's or the global outcomes (outcome_owners.Owner) each form one such tree, made by the same
code. A group is a content item of type "outcome_group" (`parent_id` its parent group, none for the root, made on
first read; `body` its description, vendor guid in `data`). A link is an "outcome_link" item under its group
(`parent_id`) naming a course outcome by `ref_id`; a link to another course's outcome (linked or imported from
there) names it by `data["outcome_id"]` instead, so a course copy keeps it a link to that same outcome, while it
points a link to the course's own outcome at the outcome's copy. Copies re-parent subgroups after they are
written (copy_links.remap_outcome_groups): a group names a group, which the depth-by-depth copy cannot map.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content import content
from courseport.core.coursework import outcome_owners as owners
from courseport.core.coursework.outcome_owners import COURSE, Owner
from courseport.core.coursework.outcomes import GROUP, LINK, OUTCOME, readable_outcome
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.html import sanitize_html
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Account, Course, User
from courseport.schema.content import ContentItem

MAX_TITLE = 255


@dataclass(frozen=True)
class GroupChanges:
    title: str | Unset = UNSET
    description: str | None | Unset = UNSET
    vendor_guid: str | None | Unset = UNSET
    parent_outcome_group_id: str | Unset = UNSET


@dataclass(frozen=True)
class LinkView:
    link: ContentItem
    group: ContentItem
    outcome: ContentItem


def parent_of(db: Session, group: ContentItem) -> ContentItem | None:
    return db.get(ContentItem, group.parent_id) if group.parent_id else None


def _live(owner: Owner, kind: str):  # noqa: ANN202
    return select(ContentItem).where(owner.where(), ContentItem.type == kind, ContentItem.workflow_state != "deleted")


def root_group(db: Session, owner: Owner) -> ContentItem:
    """The owner's root group, made on first read (one maker at a time: the course's or account's row is locked,
    the root account's for the global root)."""
    if owner.kind == COURSE:
        db.execute(select(Course.id).where(Course.id == owner.id).with_for_update())
    else:
        db.execute(select(Account.id).where(Account.id == (owner.id or owners.ROOT_ACCOUNT_ID)).with_for_update())
    root = db.scalar(_live(owner, GROUP).where(ContentItem.parent_id.is_(None)).order_by(ContentItem.id).limit(1))
    if root is None:
        root = owners.create_item(db, owner, GROUP, {"title": owner.title, "body": "", "workflow_state": "active",
                                                     "data": {"vendor_guid": None}})
    return root


def list_groups(db: Session, owner: Owner, window: Window) -> Slice[ContentItem]:
    return fetch_window(db, _live(owner, GROUP).order_by(ContentItem.id), window)


def subgroups(db: Session, group: ContentItem, window: Window) -> Slice[ContentItem]:
    return fetch_window(db, select(ContentItem).where(
        ContentItem.parent_id == group.id, ContentItem.type == GROUP, ContentItem.workflow_state != "deleted")
        .order_by(ContentItem.position, ContentItem.id), window)


def group_item(db: Session, owner: Owner, group_id: str | int) -> ContentItem:
    return owners.get_item(db, owner, group_id, GROUP)


def create_subgroup(db: Session, actor: User, owner: Owner, parent: ContentItem,
                    changes: GroupChanges) -> ContentItem:
    if not isinstance(changes.title, str) or not changes.title.strip():
        raise InvalidInput("title", "title is required")
    fields = _fields(db, owner, None, {"parent_id": parent.id, "body": "", "data": {"vendor_guid": None}}, changes)
    return owners.create_item(db, owner, GROUP, {**fields, "workflow_state": "active"}, user_id=actor.id)


def update_group(db: Session, owner: Owner, group: ContentItem, changes: GroupChanges) -> ContentItem:
    content.update_item(db, group, _fields(db, owner, group, {"data": dict(group.data or {})}, changes))
    return group


def _fields(db: Session, owner: Owner, group: ContentItem | None, fields: dict[str, Any],
            changes: GroupChanges) -> dict[str, Any]:
    values = given(changes)
    if "title" in values:
        title = (values["title"] or "").strip()
        if not title or len(title) > MAX_TITLE:
            raise InvalidInput("title", f"title must be 1 to {MAX_TITLE} characters long")
        fields["title"] = title
    if "description" in values:
        fields["body"] = sanitize_html(values["description"] or "")
    if "vendor_guid" in values:
        fields["data"]["vendor_guid"] = (values["vendor_guid"] or "").strip()[:MAX_TITLE] or None
    if "parent_outcome_group_id" in values and group is not None:
        fields["parent_id"] = _new_parent(db, owner, group, values["parent_outcome_group_id"])
    return fields


def _new_parent(db: Session, owner: Owner, group: ContentItem, parent_ref: str) -> int:
    field = "parent_outcome_group_id"
    if group.parent_id is None:
        raise InvalidInput(field, "the root outcome group cannot be moved")
    try:
        parent = group_item(db, owner, parent_ref)
    except NotFound:
        raise InvalidInput(field, f"{field}: no outcome group {parent_ref} here") from None
    if group.id in ancestry(db, parent):
        raise InvalidInput(field, f"{field}: a group cannot move into itself or one of its subgroups")
    return parent.id


def ancestry(db: Session, group: ContentItem) -> list[int]:
    """The group's id and its ancestors' ids, up to the root."""
    out: list[int] = []
    at: ContentItem | None = group
    while at is not None and at.id not in out:
        out.append(at.id)
        at = db.get(ContentItem, at.parent_id) if at.parent_id else None
    return out


def delete_group(db: Session, group: ContentItem) -> ContentItem:
    """Delete a group, its subgroups and their links (the outcomes stay); the root group stays."""
    if group.parent_id is None:
        raise InvalidInput("id", "the root outcome group cannot be deleted")
    for child in db.scalars(select(ContentItem).where(ContentItem.parent_id == group.id,
                                                      ContentItem.type.in_((GROUP, LINK)),
                                                      ContentItem.workflow_state != "deleted")):
        if child.type == GROUP:
            delete_group(db, child)
        else:
            content.delete_item(db, child)
    content.delete_item(db, group)
    return group


def outcome_of(db: Session, link: ContentItem) -> ContentItem | None:
    outcome_id = link.ref_id or (link.data or {}).get("outcome_id")
    outcome = db.get(ContentItem, outcome_id) if outcome_id else None
    return outcome if outcome is not None and outcome.type == OUTCOME and outcome.workflow_state != "deleted" \
        else None


def course_outcome_ids(db: Session, course_id: int) -> set[int]:
    """The ids of the live outcomes a course uses: its own and those linked into its groups."""
    own = select(ContentItem.id).where(ContentItem.course_id == course_id, ContentItem.type == OUTCOME,
                                       ContentItem.workflow_state != "deleted")
    ids = set(db.scalars(own))
    for link in db.scalars(select(ContentItem).where(ContentItem.course_id == course_id, ContentItem.type == LINK,
                                                     ContentItem.workflow_state != "deleted")):
        outcome = outcome_of(db, link)
        if outcome is not None:
            ids.add(outcome.id)
    return ids


def link_views(db: Session, owner: Owner, group: ContentItem | None, window: Window) -> Slice[LinkView]:
    """The live links of one group, or of the whole owner, with their groups and outcomes."""
    stmt = _live(owner, LINK)
    if group is not None:
        stmt = stmt.where(ContentItem.parent_id == group.id)
    page = fetch_window(db, stmt.order_by(ContentItem.position, ContentItem.id), window)
    views = [_view(db, link) for link in page.items]
    return Slice([v for v in views if v is not None], page.has_more, page.total)


def _view(db: Session, link: ContentItem) -> LinkView | None:
    outcome, group = outcome_of(db, link), db.get(ContentItem, link.parent_id) if link.parent_id else None
    return LinkView(link, group, outcome) if outcome is not None and group is not None else None


def find_link(db: Session, group: ContentItem, outcome_id: str | int) -> LinkView:
    for view in (_view(db, link) for link in db.scalars(select(ContentItem).where(
            ContentItem.parent_id == group.id, ContentItem.type == LINK, ContentItem.workflow_state != "deleted"))):
        if view is not None and str(view.outcome.id) == str(outcome_id).strip():
            return view
    raise NotFound("outcome link")


def link_outcome(db: Session, actor: User, owner: Owner, group: ContentItem, outcome: ContentItem) -> LinkView:
    """Link the outcome into the group (the link it has there already, if any)."""
    try:
        return find_link(db, group, outcome.id)
    except NotFound:
        pass
    own = owner.holds(outcome)
    link = owners.create_item(db, owner, LINK, {
        "title": outcome.title, "parent_id": group.id, "ref_id": outcome.id if own else None,
        "workflow_state": "active", "data": {} if own else {"outcome_id": outcome.id}}, user_id=actor.id)
    return LinkView(link, group, outcome)


def link_existing(db: Session, actor: User, owner: Owner, group: ContentItem, outcome_id: str | int) -> LinkView:
    """Link an outcome the actor reads (of this context or another) into the group."""
    outcome, _ = readable_outcome(db, actor, outcome_id)
    return link_outcome(db, actor, owner, group, outcome)


def unlink(db: Session, group: ContentItem, outcome_id: str | int) -> LinkView:
    """Remove the outcome's link from the group; an outcome of the group's owner left with no link anywhere goes
    too."""
    view = find_link(db, group, outcome_id)
    content.delete_item(db, view.link)
    outcome = view.outcome
    if owners.context_of(outcome) == owners.context_of(view.link) and not _still_linked(db, outcome):
        content.delete_item(db, outcome)
    return view


def _still_linked(db: Session, outcome: ContentItem) -> bool:
    """Whether a live link names the outcome: in its course, or in another course that linked it."""
    live = (ContentItem.type == LINK, ContentItem.workflow_state != "deleted")
    return db.scalar(select(ContentItem.id).where(*live, ContentItem.ref_id == outcome.id).limit(1)) is not None \
        or db.scalar(select(ContentItem.id).where(
            *live, ContentItem.data["outcome_id"].as_integer() == outcome.id).limit(1)) is not None


def import_group(db: Session, actor: User, owner: Owner, target: ContentItem, source_id: str | int) -> ContentItem:
    """Copy a group of a context the actor reads into `target`: a new subgroup of the same title, description and
    vendor guid, with links to the same outcomes and the same for each subgroup, recursively."""
    field = "source_outcome_group_id"
    source = db.get(ContentItem, store_id(source_id)) if is_id(source_id) else None
    if source is None or source.type != GROUP or source.workflow_state == "deleted":
        raise InvalidInput(field, f"{field}: no outcome group {source_id}")
    owners.owner_of(db, actor, source)
    if source.id in ancestry(db, target):
        raise InvalidInput(field, f"{field}: a group cannot be imported into itself or one of its subgroups")
    return _import(db, actor, owner, target, source)


def _import(db: Session, actor: User, owner: Owner, target: ContentItem, source: ContentItem) -> ContentItem:
    made = owners.create_item(db, owner, GROUP, {
        "title": source.title, "body": source.body, "parent_id": target.id, "workflow_state": "active",
        "data": {"vendor_guid": (source.data or {}).get("vendor_guid")}}, user_id=actor.id)
    children = list(db.scalars(select(ContentItem).where(
        ContentItem.parent_id == source.id, ContentItem.type.in_((GROUP, LINK)),
        ContentItem.workflow_state != "deleted").order_by(ContentItem.position, ContentItem.id)))
    for child in children:
        if child.type == GROUP:
            _import(db, actor, owner, made, child)
        elif (outcome := outcome_of(db, child)) is not None:
            link_outcome(db, actor, owner, made, outcome)
    return made
