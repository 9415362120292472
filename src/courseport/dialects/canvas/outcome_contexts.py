"""The bodies of Canvas's Outcome Groups API routes, shared by its three contexts: a course's routes
(outcome_groups.py, outcome_links.py), an account's (account_outcomes.py) and the global ones
(global_outcomes.py) each name how their context is found (an `Find`: the actor and whether a write needs the
manage right give the core `Owner`) and call these. Writing needs the context's manage right (a course's
manage_outcomes, an account's admins, site admins for global); reading, any reader of the context."""

from __future__ import annotations

from collections.abc import Callable

from litestar import Response
from sqlalchemy.orm import Session

from courseport.core.coursework import outcome_groups as groups
from courseport.core.coursework import outcome_owners as owners
from courseport.core.coursework import outcomes
from courseport.core.coursework.outcome_groups import LinkView
from courseport.core.coursework.outcome_owners import Owner
from courseport.dialects.canvas.outcome_json import render_group, render_link
from courseport.dialects.canvas.outcome_params import group_changes, outcome_changes
from courseport.dialects.canvas.protocol import Call
from courseport.schema import User
from courseport.schema.content import ContentItem

Find = Callable[[Session, User, bool], Owner]


def in_course(course_ref: str) -> Find:
    return lambda db, me, manage: owners.course_owner(db, me, course_ref, manage=manage)


def in_account(account_ref: str) -> Find:
    return lambda db, me, manage: owners.account_owner(db, me, account_ref, manage=manage)


def in_global() -> Find:
    return lambda db, me, manage: owners.global_owner(db, me, manage=manage)


def _group(db: Session, group: ContentItem, can_edit: bool) -> dict:
    return render_group(group, groups.parent_of(db, group), can_edit)


def _link(call: Call, view: LinkView, owner: Owner) -> dict:
    own = owner.can_manage and owners.context_of(view.outcome) == owners.context_of(view.link)
    return render_link(view, owner.can_manage, own, full=call.str("outcome_style") == "full")


def root_group(call: Call, find: Find) -> dict:
    with call.write() as (db, me):
        owner = find(db, me, False)
        return _group(db, groups.root_group(db, owner), owner.can_manage)


def list_groups(call: Call, find: Find) -> Response:
    window = call.window()
    with call.read() as (db, me):
        owner = find(db, me, False)
        page = groups.list_groups(db, owner, window)
        return call.paged([_group(db, g, owner.can_manage) for g in page.items], window, page)


def show_group(call: Call, find: Find, group_id: str) -> dict:
    with call.read() as (db, me):
        owner = find(db, me, False)
        return _group(db, groups.group_item(db, owner, group_id), owner.can_manage)


def update_group(call: Call, find: Find, group_id: str) -> dict:
    changes = group_changes(call)
    with call.write() as (db, me):
        owner = find(db, me, True)
        return _group(db, groups.update_group(db, owner, groups.group_item(db, owner, group_id), changes), True)


def delete_group(call: Call, find: Find, group_id: str) -> dict:
    with call.write() as (db, me):
        owner = find(db, me, True)
        return _group(db, groups.delete_group(db, groups.group_item(db, owner, group_id)), True)


def list_subgroups(call: Call, find: Find, group_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        owner = find(db, me, False)
        page = groups.subgroups(db, groups.group_item(db, owner, group_id), window)
        return call.paged([_group(db, g, owner.can_manage) for g in page.items], window, page)


def create_subgroup(call: Call, find: Find, group_id: str) -> dict:
    changes = group_changes(call)
    with call.write() as (db, me):
        owner = find(db, me, True)
        parent = groups.group_item(db, owner, group_id)
        return _group(db, groups.create_subgroup(db, me, owner, parent, changes), True)


def import_group(call: Call, find: Find, group_id: str) -> dict:
    source = call.str("source_outcome_group_id") or ""
    with call.write() as (db, me):
        owner = find(db, me, True)
        target = groups.group_item(db, owner, group_id)
        return _group(db, groups.import_group(db, me, owner, target, source), True)


def list_links(call: Call, find: Find, group_id: str | None = None) -> Response:
    window = call.window()
    with call.read() as (db, me):
        owner = find(db, me, False)
        group = groups.group_item(db, owner, group_id) if group_id is not None else None
        page = groups.link_views(db, owner, group, window)
        return call.paged([_link(call, v, owner) for v in page.items], window, page)


def create_link(call: Call, find: Find, group_id: str) -> dict:
    existing, changes = call.str("outcome_id"), outcome_changes(call)
    with call.write() as (db, me):
        owner = find(db, me, True)
        group = groups.group_item(db, owner, group_id)
        if existing:
            return _link(call, groups.link_existing(db, me, owner, group, existing), owner)
        made = outcomes.create_outcome(db, me, owner, changes)
        return _link(call, groups.link_outcome(db, me, owner, group, made), owner)


def link_outcome(call: Call, find: Find, group_id: str, outcome_id: str) -> dict:
    with call.write() as (db, me):
        owner = find(db, me, True)
        return _link(call, groups.link_existing(db, me, owner, groups.group_item(db, owner, group_id), outcome_id),
                     owner)


def unlink_outcome(call: Call, find: Find, group_id: str, outcome_id: str) -> dict:
    with call.write() as (db, me):
        owner = find(db, me, True)
        return _link(call, groups.unlink(db, groups.group_item(db, owner, group_id), outcome_id), owner)
