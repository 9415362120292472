"""Canvas Outcome Groups API routes for a course's groups: the root group (made on first read), every group of
the course, one group (show, update, delete) and its subgroups (list, create, import a group). The links of
groups are outcome_links.py. Writing needs the course's manage_outcomes; reading, any reader of the course."""

from __future__ import annotations

from litestar import Response
from sqlalchemy.orm import Session

from courseport.core.coursework import outcome_groups as groups
from courseport.dialects.canvas.outcome_json import render_group
from courseport.dialects.canvas.outcome_params import group_changes
from courseport.dialects.canvas.protocol import Call, delete, get, get_writing, post, put
from courseport.schema.content import ContentItem

COURSE = "/courses/{course_id:str}"
GROUP = COURSE + "/outcome_groups/{group_id:str}"


def _json(db: Session, group: ContentItem, can_edit: bool) -> dict:
    return render_group(group, groups.parent_of(db, group), can_edit)


@get_writing(COURSE + "/root_outcome_group")
def get_root_outcome_group(call: Call, course_id: str) -> dict:
    with call.write() as (db, me):
        course, can_edit = groups.course_for(db, me, course_id)
        return _json(db, groups.root_group(db, course), can_edit)


@get(COURSE + "/outcome_groups")
def list_outcome_groups(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        course, can_edit = groups.course_for(db, me, course_id)
        page = groups.list_groups(db, course, window)
        return call.paged([_json(db, g, can_edit) for g in page.items], window, page)


@get(GROUP)
def get_outcome_group(call: Call, course_id: str, group_id: str) -> dict:
    with call.read() as (db, me):
        course, can_edit = groups.course_for(db, me, course_id)
        return _json(db, groups.group_item(db, course, group_id), can_edit)


@put(GROUP)
def update_outcome_group(call: Call, course_id: str, group_id: str) -> dict:
    changes = group_changes(call)
    with call.write() as (db, me):
        course, _ = groups.course_for(db, me, course_id, manage=True)
        return _json(db, groups.update_group(db, course, groups.group_item(db, course, group_id), changes), True)


@delete(GROUP)
def delete_outcome_group(call: Call, course_id: str, group_id: str) -> dict:
    with call.write() as (db, me):
        course, _ = groups.course_for(db, me, course_id, manage=True)
        return _json(db, groups.delete_group(db, groups.group_item(db, course, group_id)), True)


@get(GROUP + "/subgroups")
def list_outcome_subgroups(call: Call, course_id: str, group_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        course, can_edit = groups.course_for(db, me, course_id)
        page = groups.subgroups(db, groups.group_item(db, course, group_id), window)
        return call.paged([_json(db, g, can_edit) for g in page.items], window, page)


@post(GROUP + "/subgroups", status_code=200)
def create_outcome_subgroup(call: Call, course_id: str, group_id: str) -> dict:
    changes = group_changes(call)
    with call.write() as (db, me):
        course, _ = groups.course_for(db, me, course_id, manage=True)
        parent = groups.group_item(db, course, group_id)
        return _json(db, groups.create_subgroup(db, me, course, parent, changes), True)


@post(GROUP + "/import", status_code=200)
def import_outcome_group(call: Call, course_id: str, group_id: str) -> dict:
    source = call.str("source_outcome_group_id") or ""
    with call.write() as (db, me):
        course, _ = groups.course_for(db, me, course_id, manage=True)
        target = groups.group_item(db, course, group_id)
        return _json(db, groups.import_group(db, me, course, target, source), True)


ROUTES = [get_root_outcome_group, list_outcome_groups, get_outcome_group, update_outcome_group, delete_outcome_group,
          list_outcome_subgroups, create_outcome_subgroup, import_outcome_group]
