"""Canvas Outcome Groups API routes for a course's groups: the root group (made on first read), every group of
the course, one group (show, update, delete) and its subgroups (list, create, import a group). The links of
groups are outcome_links.py; the bodies, shared with accounts and the global context, outcome_contexts.py."""

from __future__ import annotations

from litestar import Response

from courseport.dialects.canvas import outcome_contexts as shared
from courseport.dialects.canvas.outcome_contexts import in_course
from courseport.dialects.canvas.protocol import Call, delete, get, get_writing, post, put

COURSE = "/courses/{course_id:str}"
GROUP = COURSE + "/outcome_groups/{group_id:str}"


@get_writing(COURSE + "/root_outcome_group")
def get_root_outcome_group(call: Call, course_id: str) -> dict:
    return shared.root_group(call, in_course(course_id))


@get(COURSE + "/outcome_groups")
def list_outcome_groups(call: Call, course_id: str) -> Response:
    return shared.list_groups(call, in_course(course_id))


@get(GROUP)
def get_outcome_group(call: Call, course_id: str, group_id: str) -> dict:
    return shared.show_group(call, in_course(course_id), group_id)


@put(GROUP)
def update_outcome_group(call: Call, course_id: str, group_id: str) -> dict:
    return shared.update_group(call, in_course(course_id), group_id)


@delete(GROUP)
def delete_outcome_group(call: Call, course_id: str, group_id: str) -> dict:
    return shared.delete_group(call, in_course(course_id), group_id)


@get(GROUP + "/subgroups")
def list_outcome_subgroups(call: Call, course_id: str, group_id: str) -> Response:
    return shared.list_subgroups(call, in_course(course_id), group_id)


@post(GROUP + "/subgroups", status_code=200)
def create_outcome_subgroup(call: Call, course_id: str, group_id: str) -> dict:
    return shared.create_subgroup(call, in_course(course_id), group_id)


@post(GROUP + "/import", status_code=200)
def import_outcome_group(call: Call, course_id: str, group_id: str) -> dict:
    return shared.import_group(call, in_course(course_id), group_id)


ROUTES = [get_root_outcome_group, list_outcome_groups, get_outcome_group, update_outcome_group, delete_outcome_group,
          list_outcome_subgroups, create_outcome_subgroup, import_outcome_group]
