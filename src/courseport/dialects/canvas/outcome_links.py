"""Canvas Outcome Groups API routes for links: every link of a course, a group's links, a new outcome made and
linked into a group, an existing outcome (this course's or another's the caller reads) linked, and a link
removed. A link answers as Canvas's OutcomeLink."""

from __future__ import annotations

from litestar import Response

from courseport.core.coursework import outcome_groups as groups
from courseport.core.coursework import outcomes
from courseport.core.coursework.outcome_groups import LinkView
from courseport.dialects.canvas.outcome_groups import COURSE, GROUP
from courseport.dialects.canvas.outcome_json import render_link
from courseport.dialects.canvas.outcome_params import outcome_changes
from courseport.dialects.canvas.protocol import Call, delete, get, post, put


def _json(view: LinkView, can_edit: bool, *, full: bool = False) -> dict:
    return render_link(view, can_edit, can_edit and view.outcome.course_id == view.link.course_id, full=full)


def _full(call: Call) -> bool:
    return call.str("outcome_style") == "full"



@get(COURSE + "/outcome_group_links")
def list_outcome_links(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        course, can_edit = groups.course_for(db, me, course_id)
        page = groups.link_views(db, course, None, window)
        return call.paged([_json(v, can_edit, full=_full(call)) for v in page.items], window, page)


@get(GROUP + "/outcomes")
def list_group_outcomes(call: Call, course_id: str, group_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        course, can_edit = groups.course_for(db, me, course_id)
        page = groups.link_views(db, course, groups.group_item(db, course, group_id), window)
        return call.paged([_json(v, can_edit, full=_full(call)) for v in page.items], window, page)


@post(GROUP + "/outcomes", status_code=200)
def create_group_outcome(call: Call, course_id: str, group_id: str) -> dict:
    existing, changes = call.str("outcome_id"), outcome_changes(call)
    with call.write() as (db, me):
        course, _ = groups.course_for(db, me, course_id, manage=True)
        group = groups.group_item(db, course, group_id)
        if existing:
            return _json(groups.link_existing(db, me, course, group, existing), True)
        return _json(groups.link_outcome(db, me, course, group, outcomes.create_outcome(db, me, course, changes)), True)


@put(GROUP + "/outcomes/{outcome_id:str}")
def link_group_outcome(call: Call, course_id: str, group_id: str, outcome_id: str) -> dict:
    with call.write() as (db, me):
        course, _ = groups.course_for(db, me, course_id, manage=True)
        return _json(groups.link_existing(db, me, course, groups.group_item(db, course, group_id), outcome_id), True)


@delete(GROUP + "/outcomes/{outcome_id:str}")
def unlink_group_outcome(call: Call, course_id: str, group_id: str, outcome_id: str) -> dict:
    with call.write() as (db, me):
        course, _ = groups.course_for(db, me, course_id, manage=True)
        return _json(groups.unlink(db, groups.group_item(db, course, group_id), outcome_id), True)


ROUTES = [list_outcome_links, list_group_outcomes, create_group_outcome, link_group_outcome, unlink_group_outcome]
