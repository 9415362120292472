"""Canvas observee routes (Users API: observees and observers), over `core/courses/observer_links.py`."""

from __future__ import annotations

from typing import Any

from litestar import Response
from sqlalchemy.orm import Session

from courseport.core.courses import observer_links, pairing_codes
from courseport.core.courses.observer_links import LinkedUser
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.protocol import Call, delete, get, iso, post, put
from courseport.dialects.canvas.user_json import render_users_seen_by
from courseport.schema import User


def _render(db: Session, me: User, users: list[User], call: Call) -> list[dict[str, Any]]:
    return render_users_seen_by(db, me, users, {"avatar_url"} & set(call.list("include[]")), call.origin)


def _render_linked(db: Session, me: User, linked: list[LinkedUser], call: Call) -> list[dict[str, Any]]:
    """Listed observees and observers carry the root accounts their link is in."""
    bodies = _render(db, me, [entry.user for entry in linked], call)
    for body, entry in zip(bodies, linked, strict=True):
        body["observation_link_root_account_ids"] = entry.root_account_ids
    return bodies


@get("/users/{user_id:str}/observees")
def list_observees(call: Call, user_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = observer_links.observees(db, me, user_id, window)
        return call.paged(_render_linked(db, me, page.items, call), window, page)


@get("/users/{user_id:str}/observers")
def list_observers(call: Call, user_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = observer_links.observers(db, me, user_id, window)
        return call.paged(_render_linked(db, me, page.items, call), window, page)


@post("/users/{user_id:str}/observees", status_code=200)
def add_observee_with_login(call: Call, user_id: str) -> dict:
    if call.has("access_token"):
        raise InvalidInput("access_token", "access_token is not offered here: send observee[unique_id] and "
                                           "observee[password], or pairing_code")
    code = call.str("pairing_code")
    with call.write() as (db, me):
        if code is not None:
            student = pairing_codes.link_by_code(db, me, user_id, code)
        else:
            student = observer_links.link_by_login(db, me, user_id, call.str("observee[unique_id]"),
                                                   call.str("observee[password]"))
        return _render(db, me, [student], call)[0]


@post("/users/{user_id:str}/observer_pairing_codes", status_code=200)
def create_pairing_code(call: Call, user_id: str) -> dict:
    with call.write() as (db, me):
        row = pairing_codes.create_code(db, me, user_id)
        return {"user_id": row.user_id, "code": row.code, "expires_at": iso(row.expires_at),
                "workflow_state": row.workflow_state}


@get("/users/{user_id:str}/observees/{observee_id:str}")
def get_observee(call: Call, user_id: str, observee_id: str) -> dict:
    with call.read() as (db, me):
        user = observer_links.linked_user(db, me, user_id, observee_id, want_observer=False)
        return _render(db, me, [user], call)[0]


@get("/users/{user_id:str}/observers/{observer_id:str}")
def get_observer(call: Call, user_id: str, observer_id: str) -> dict:
    with call.read() as (db, me):
        user = observer_links.linked_user(db, me, observer_id, user_id, want_observer=True)
        return _render(db, me, [user], call)[0]


@put("/users/{user_id:str}/observees/{observee_id:str}")
def add_observee(call: Call, user_id: str, observee_id: str) -> dict:
    with call.write() as (db, me):
        return _render(db, me, [observer_links.link(db, me, user_id, observee_id)], call)[0]


@delete("/users/{user_id:str}/observees/{observee_id:str}")
def remove_observee(call: Call, user_id: str, observee_id: str) -> dict:
    with call.write() as (db, me):
        return _render(db, me, [observer_links.unlink(db, me, user_id, observee_id)], call)[0]


ROUTES = [list_observees, list_observers, add_observee_with_login, create_pairing_code, get_observee, get_observer,
          add_observee, remove_observee]
