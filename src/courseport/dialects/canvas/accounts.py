"""Canvas Accounts routes: one account (for its admins) and the accounts the caller administers."""

from __future__ import annotations

from litestar import Response

from courseport.core.identity import accounts
from courseport.dialects.canvas.course_json import render_account
from courseport.dialects.canvas.protocol import Call, get


@get("/accounts/{account_id:str}")
def get_account(call: Call, account_id: str) -> dict:
    with call.read() as (db, me):
        return render_account(accounts.readable_account(db, me.id, account_id))


@get("/accounts")
def list_accounts(call: Call) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = accounts.administered_accounts(db, me.id, window)
        items = [render_account(a) for a in page.items]
    return call.paged(items, window, page)


ROUTES = [get_account, list_accounts]
