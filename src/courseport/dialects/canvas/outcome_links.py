"""Canvas Outcome Groups API routes for a course's links: every link of the course, a group's links, a new
outcome made and linked into a group, an existing outcome (this course's, another course's or an account's the
caller reads, read-only here) linked, and a link removed. A link answers as Canvas's OutcomeLink; the bodies,
shared with accounts and the global context, are outcome_contexts.py."""

from __future__ import annotations

from litestar import Response

from courseport.dialects.canvas import outcome_contexts as shared
from courseport.dialects.canvas.outcome_contexts import in_course
from courseport.dialects.canvas.outcome_groups import COURSE, GROUP
from courseport.dialects.canvas.protocol import Call, delete, get, post, put


@get(COURSE + "/outcome_group_links")
def list_outcome_links(call: Call, course_id: str) -> Response:
    return shared.list_links(call, in_course(course_id))


@get(GROUP + "/outcomes")
def list_group_outcomes(call: Call, course_id: str, group_id: str) -> Response:
    return shared.list_links(call, in_course(course_id), group_id)


@post(GROUP + "/outcomes", status_code=200)
def create_group_outcome(call: Call, course_id: str, group_id: str) -> dict:
    return shared.create_link(call, in_course(course_id), group_id)


@put(GROUP + "/outcomes/{outcome_id:str}")
def link_group_outcome(call: Call, course_id: str, group_id: str, outcome_id: str) -> dict:
    return shared.link_outcome(call, in_course(course_id), group_id, outcome_id)


@delete(GROUP + "/outcomes/{outcome_id:str}")
def unlink_group_outcome(call: Call, course_id: str, group_id: str, outcome_id: str) -> dict:
    return shared.unlink_outcome(call, in_course(course_id), group_id, outcome_id)


ROUTES = [list_outcome_links, list_group_outcomes, create_group_outcome, link_group_outcome, unlink_group_outcome]
