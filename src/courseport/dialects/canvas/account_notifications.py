"""Canvas Account Notifications API routes: an account's admins post and edit global announcements
(`account_notification[subject|message|start_at|end_at|icon]`, `account_notification_roles[]`); its users list the
live ones shown to them (`include_past`; an admin's `include_all`), read one and close one for themselves
(Canvas's DELETE), also under `users/:user_id` for the caller alone."""

from __future__ import annotations

from litestar import Response

from courseport.core.identity import account_notifications
from courseport.core.identity.account_notifications import NoticeChanges, NoticeQuery
from courseport.core.kit.changes import kinds
from courseport.core.kit.errors import spelled_as
from courseport.core.kit.paging import window_of
from courseport.dialects.canvas.account_notification_json import NOTICE_PARAMS, render_notice
from courseport.dialects.canvas.protocol import Call, delete, get, post, prefixed_fields, put

_BASE = "/accounts/{account_id:str}"
_KINDS = {name: kind for name, kind in kinds(NoticeChanges).items() if name != "roles"}


def _changes(call: Call) -> NoticeChanges:
    fields = prefixed_fields(call, "account_notification", _KINDS)
    if call.has("account_notification_roles"):
        fields["roles"] = call.list("account_notification_roles[]")
    return NoticeChanges(**fields)


@post(f"{_BASE}/account_notifications", status_code=200)
def create_notice(call: Call, account_id: str) -> dict:
    changes = _changes(call)
    with call.write() as (db, me), spelled_as(NOTICE_PARAMS):
        return render_notice(account_notifications.create_notice(db, me, account_id, changes))


@put(f"{_BASE}/account_notifications/{{notification_id:str}}")
def update_notice(call: Call, account_id: str, notification_id: str) -> dict:
    changes = _changes(call)
    with call.write() as (db, me), spelled_as(NOTICE_PARAMS):
        return render_notice(account_notifications.update_notice(db, me, account_id, notification_id, changes))


@get(f"{_BASE}/account_notifications")
def list_notices(call: Call, account_id: str) -> Response:
    return _listed(call, account_id, None)


@get(f"{_BASE}/users/{{user_id:str}}/account_notifications")
def list_user_notices(call: Call, account_id: str, user_id: str) -> Response:
    return _listed(call, account_id, user_id)


def _listed(call: Call, account_id: str, user_id: str | None) -> Response:
    query = NoticeQuery(bool(call.bool("include_past")), bool(call.bool("include_all")))
    window = call.window()
    with call.read() as (db, me):
        if user_id is not None:
            account_notifications.for_self(db, me, user_id)
        page = window_of(account_notifications.list_notices(db, me, account_id, query), window)
        items = [render_notice(notice) for notice in page.items]
    return call.paged(items, window, page)


@get(f"{_BASE}/account_notifications/{{notification_id:str}}")
def get_notice(call: Call, account_id: str, notification_id: str) -> dict:
    with call.read() as (db, me):
        return render_notice(account_notifications.get_notice(db, me, account_id, notification_id))


@delete(f"{_BASE}/account_notifications/{{notification_id:str}}")
def close_notice(call: Call, account_id: str, notification_id: str) -> dict:
    with call.write() as (db, me):
        return render_notice(account_notifications.close_notice(db, me, account_id, notification_id))


@delete(f"{_BASE}/users/{{user_id:str}}/account_notifications/{{notification_id:str}}")
def close_user_notice(call: Call, account_id: str, user_id: str, notification_id: str) -> dict:
    with call.write() as (db, me):
        account_notifications.for_self(db, me, user_id)
        return render_notice(account_notifications.close_notice(db, me, account_id, notification_id))


ROUTES = [create_notice, update_notice, list_notices, list_user_notices, get_notice, close_notice,
          close_user_notice]
