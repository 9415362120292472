"""Canvas Outcome Groups API routes for an account's outcomes: its root group (made on first read), every group
and link of the account, one group (show, update, delete), its subgroups (list, create, import a group) and its
links (list, a new outcome of the account made and linked, an existing outcome linked, a link removed). The
account's admins (and those of accounts above it) write; anyone enrolled in a course of the account or of an
account under it reads; courses link the account's outcomes read-only. The bodies are outcome_contexts.py."""

from __future__ import annotations

from litestar import Response

from courseport.dialects.canvas import outcome_contexts as shared
from courseport.dialects.canvas.outcome_contexts import in_account
from courseport.dialects.canvas.protocol import Call, delete, get, get_writing, post, put

CONTEXT = "/accounts/{account_id:str}"
GROUP = CONTEXT + "/outcome_groups/{group_id:str}"


@get_writing(CONTEXT + "/root_outcome_group")
def get_account_root_outcome_group(call: Call, account_id: str) -> dict:
    return shared.root_group(call, in_account(account_id))


@get(CONTEXT + "/outcome_groups")
def list_account_outcome_groups(call: Call, account_id: str) -> Response:
    return shared.list_groups(call, in_account(account_id))


@get(CONTEXT + "/outcome_group_links")
def list_account_outcome_links(call: Call, account_id: str) -> Response:
    return shared.list_links(call, in_account(account_id))


@get(GROUP)
def get_account_outcome_group(call: Call, account_id: str, group_id: str) -> dict:
    return shared.show_group(call, in_account(account_id), group_id)


@put(GROUP)
def update_account_outcome_group(call: Call, account_id: str, group_id: str) -> dict:
    return shared.update_group(call, in_account(account_id), group_id)


@delete(GROUP)
def delete_account_outcome_group(call: Call, account_id: str, group_id: str) -> dict:
    return shared.delete_group(call, in_account(account_id), group_id)


@get(GROUP + "/subgroups")
def list_account_outcome_subgroups(call: Call, account_id: str, group_id: str) -> Response:
    return shared.list_subgroups(call, in_account(account_id), group_id)


@post(GROUP + "/subgroups", status_code=200)
def create_account_outcome_subgroup(call: Call, account_id: str, group_id: str) -> dict:
    return shared.create_subgroup(call, in_account(account_id), group_id)


@post(GROUP + "/import", status_code=200)
def import_account_outcome_group(call: Call, account_id: str, group_id: str) -> dict:
    return shared.import_group(call, in_account(account_id), group_id)


@get(GROUP + "/outcomes")
def list_account_group_outcomes(call: Call, account_id: str, group_id: str) -> Response:
    return shared.list_links(call, in_account(account_id), group_id)


@post(GROUP + "/outcomes", status_code=200)
def create_account_group_outcome(call: Call, account_id: str, group_id: str) -> dict:
    return shared.create_link(call, in_account(account_id), group_id)


@put(GROUP + "/outcomes/{outcome_id:str}")
def link_account_group_outcome(call: Call, account_id: str, group_id: str, outcome_id: str) -> dict:
    return shared.link_outcome(call, in_account(account_id), group_id, outcome_id)


@delete(GROUP + "/outcomes/{outcome_id:str}")
def unlink_account_group_outcome(call: Call, account_id: str, group_id: str, outcome_id: str) -> dict:
    return shared.unlink_outcome(call, in_account(account_id), group_id, outcome_id)


ROUTES = [get_account_root_outcome_group, list_account_outcome_groups, list_account_outcome_links,
          get_account_outcome_group, update_account_outcome_group, delete_account_outcome_group,
          list_account_outcome_subgroups, create_account_outcome_subgroup, import_account_outcome_group,
          list_account_group_outcomes, create_account_group_outcome, link_account_group_outcome,
          unlink_account_group_outcome]
