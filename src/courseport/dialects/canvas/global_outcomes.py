"""Canvas Outcome Groups API routes for the global outcomes (context_type null): the global root group (made on
first read), one group (show, update, delete), its subgroups and its links. Everyone reads them; site admins
(the root account's admins) write, others are refused (403). The bodies are outcome_contexts.py."""

from __future__ import annotations

from litestar import Response

from courseport.dialects.canvas import outcome_contexts as shared
from courseport.dialects.canvas.outcome_contexts import in_global
from courseport.dialects.canvas.protocol import Call, delete, get, get_writing, post, put

CONTEXT = "/global"
GROUP = CONTEXT + "/outcome_groups/{group_id:str}"


@get_writing(CONTEXT + "/root_outcome_group")
def get_global_root_outcome_group(call: Call) -> dict:
    return shared.root_group(call, in_global())


@get(GROUP)
def get_global_outcome_group(call: Call, group_id: str) -> dict:
    return shared.show_group(call, in_global(), group_id)


@put(GROUP)
def update_global_outcome_group(call: Call, group_id: str) -> dict:
    return shared.update_group(call, in_global(), group_id)


@delete(GROUP)
def delete_global_outcome_group(call: Call, group_id: str) -> dict:
    return shared.delete_group(call, in_global(), group_id)


@get(GROUP + "/subgroups")
def list_global_outcome_subgroups(call: Call, group_id: str) -> Response:
    return shared.list_subgroups(call, in_global(), group_id)


@post(GROUP + "/subgroups", status_code=200)
def create_global_outcome_subgroup(call: Call, group_id: str) -> dict:
    return shared.create_subgroup(call, in_global(), group_id)


@post(GROUP + "/import", status_code=200)
def import_global_outcome_group(call: Call, group_id: str) -> dict:
    return shared.import_group(call, in_global(), group_id)


@get(GROUP + "/outcomes")
def list_global_group_outcomes(call: Call, group_id: str) -> Response:
    return shared.list_links(call, in_global(), group_id)


@post(GROUP + "/outcomes", status_code=200)
def create_global_group_outcome(call: Call, group_id: str) -> dict:
    return shared.create_link(call, in_global(), group_id)


@put(GROUP + "/outcomes/{outcome_id:str}")
def link_global_group_outcome(call: Call, group_id: str, outcome_id: str) -> dict:
    return shared.link_outcome(call, in_global(), group_id, outcome_id)


@delete(GROUP + "/outcomes/{outcome_id:str}")
def unlink_global_group_outcome(call: Call, group_id: str, outcome_id: str) -> dict:
    return shared.unlink_outcome(call, in_global(), group_id, outcome_id)


ROUTES = [get_global_root_outcome_group, get_global_outcome_group, update_global_outcome_group,
          delete_global_outcome_group, list_global_outcome_subgroups, create_global_outcome_subgroup,
          import_global_outcome_group, list_global_group_outcomes, create_global_group_outcome,
          link_global_group_outcome, unlink_global_group_outcome]
