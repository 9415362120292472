"""Canvas Logins API routes: a user's logins, an account's logins, create, edit and delete a login.

A refused create or edit answers Canvas's record-errors body naming the attribute
(`{"errors": {"unique_id": [{"attribute": "unique_id", "type": "taken", "message": ...}]}}`).
"""

from __future__ import annotations

from litestar import Response

from courseport.core.identity import logins, users
from courseport.core.identity.logins import LastLogin
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.protocol import Call, delete, get, post, put
from courseport.dialects.canvas.user_json import record_error, render_login
from courseport.dialects.canvas.users import login_changes


@get("/users/{user_id:str}/logins")
def list_user_logins(call: Call, user_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = logins.user_logins(db, me, users.resolve_user(db, user_id, me), window)
        items = [render_login(login, logins.sees_sis(db, me, login)) for login in page.items]
    return call.paged(items, window, page)


@get("/accounts/{account_id:str}/logins")
def list_account_logins(call: Call, account_id: str) -> Response:
    window, user_ref = call.window(), call.str("user_id")
    with call.read() as (db, me):
        user = users.resolve_user(db, user_ref, me) if user_ref else None
        page = logins.account_logins(db, me, account_id, user, window)
        items = [render_login(login, logins.sees_sis(db, me, login)) for login in page.items]
    return call.paged(items, window, page)


@post("/accounts/{account_id:str}/logins", status_code=200)
def create_login(call: Call, account_id: str) -> Response:
    user_ref = call.str("user[id]")
    if not user_ref:
        raise InvalidInput("user[id]", "user[id] is required")
    changes = login_changes(call, "login")
    try:
        with call.write() as (db, me):
            user = users.resolve_user(db, user_ref, me)
            login = logins.create_login(db, me, account_id, user, changes)
            body = render_login(login, logins.sees_sis(db, me, login))
    except InvalidInput as exc:
        return Response({"errors": record_error(exc)}, status_code=400)
    return Response(body)


@put("/accounts/{account_id:str}/logins/{login_id:str}")
def update_login(call: Call, account_id: str, login_id: str) -> Response:
    changes = login_changes(call, "login")
    try:
        with call.write() as (db, me):
            login = logins.update_login(db, me, account_id, login_id, changes)
            body = render_login(login, logins.sees_sis(db, me, login))
    except InvalidInput as exc:
        return Response({"errors": record_error(exc)}, status_code=400)
    return Response(body)


@delete("/users/{user_id:str}/logins/{login_id:str}")
def delete_login(call: Call, user_id: str, login_id: str) -> Response:
    try:
        with call.write() as (db, me):
            login = logins.delete_login(db, me, users.resolve_user(db, user_id, me), login_id)
            body = render_login(login, logins.sees_sis(db, me, login))
    except LastLogin as exc:  # Canvas reports it on the record's `base`
        return Response({"errors": {"base": [{"attribute": "base", "type": exc.reason, "message": exc.message}]}},
                        status_code=400)
    return Response(body)


ROUTES = [list_user_logins, list_account_logins, create_login, update_login, delete_login]
