"""Canvas account tree routes: sub-accounts (list, recursive, create), account updates, and the account
lists of a user (course_accounts, manageable_accounts)."""

from __future__ import annotations

from litestar import Response

from courseport.core.identity import sub_accounts
from courseport.core.identity.sub_accounts import AccountChanges
from courseport.core.kit.errors import Conflict
from courseport.dialects.canvas.course_json import render_account
from courseport.dialects.canvas.protocol import Call, coerce, delete, get, post, prefixed_params, put
from courseport.schema import Account

_FIELDS = ("name", "sis_account_id", "default_time_zone")


def account_changes(call: Call) -> AccountChanges:
    node = call.raw("account")
    changes = AccountChanges()
    if not isinstance(node, dict):
        return changes
    for key in _FIELDS:
        if key in node:
            changes.given.add(key)
            setattr(changes, key, coerce(node[key], str, f"account[{key}]"))
    return changes


def render_account_summary(a: Account) -> dict:
    """Canvas's read-only account JSON: what a teacher may see of the accounts of their courses."""
    return {"id": a.id, "name": a.name, "parent_account_id": a.parent_account_id,
            "root_account_id": a.root_account_id, "workflow_state": a.workflow_state, "uuid": a.uuid,
            "default_time_zone": a.default_time_zone}


@get("/accounts/{account_id:str}/sub_accounts")
def list_sub_accounts(call: Call, account_id: str) -> Response:
    window, recursive = call.window(), bool(call.bool("recursive", False))
    with call.read() as (db, me):
        page = sub_accounts.list_sub_accounts(db, me, account_id, recursive, window)
        items = [render_account(a) for a in page.items]
    return call.paged(items, window, page)


@post("/accounts/{account_id:str}/sub_accounts", status_code=200)
def create_sub_account(call: Call, account_id: str) -> dict:
    changes = account_changes(call)
    with call.write() as (db, me), prefixed_params("account", _FIELDS):
        return render_account(sub_accounts.create_sub_account(db, me, account_id, changes))


@delete("/accounts/{account_id:str}/sub_accounts/{sub_account_id:str}")
def delete_sub_account(call: Call, account_id: str, sub_account_id: str) -> Response:
    """Canvas answers a refusal for live contents as a bare `{"message": ...}` with 409."""
    try:
        with call.write() as (db, me):
            return Response(render_account(sub_accounts.delete_sub_account(db, me, account_id, sub_account_id)))
    except Conflict as refused:
        return Response({"message": refused.message}, status_code=409)


@put("/accounts/{account_id:str}")
def update_account(call: Call, account_id: str) -> dict:
    changes = account_changes(call)
    with call.write() as (db, me), prefixed_params("account", _FIELDS):
        return render_account(sub_accounts.update_account(db, me, account_id, changes))


@get("/course_accounts")
def course_accounts(call: Call) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = sub_accounts.course_accounts(db, me, window)
        items = [render_account_summary(a) for a in page.items]
    return call.paged(items, window, page)


@get("/manageable_accounts")
def manageable_accounts(call: Call) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = sub_accounts.manageable_accounts(db, me, window)
        items = [render_account(a) for a in page.items]
    return call.paged(items, window, page)


ROUTES = [list_sub_accounts, create_sub_account, delete_sub_account, update_account, course_accounts,
          manageable_accounts]
