"""Learn observer associations (v1): a user's observers and observees (UserV1 lists), link an observer
(PUT) and unlink one. They are core's observer links (core/courses/observer_links.py), the ones Canvas's
observees API keeps, with its rules: the root account's admins link; the observer, or an admin over them,
unlinks; a user, or an admin over them, reads their own observers or observees. Core keeps no system
role per user, so Learn's "the observer holds the Observer system role" is not asked.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from courseport.core.courses import observer_links
from courseport.core.identity import users
from courseport.core.kit.errors import Conflict, NotFound
from courseport.dialects.blackboard import entitlements as entitled
from courseport.dialects.blackboard.protocol import Call, delete, get, on_versions, put
from courseport.dialects.blackboard.user_json import render_user, user_ref
from courseport.schema import User

_V1 = ("v1",)


def _pair(db: Session, me: User, user_id: str, observer_id: str) -> tuple[str, str]:
    """(observer, observee) as core user references; either unknown is Learn's 404."""
    observee = users.find_user(db, *user_ref(user_id), me)
    return str(users.find_user(db, *user_ref(observer_id), me).id), str(observee.id)


def list_observers(call: Call, user_id: str) -> dict:
    window = call.window()
    with call.read(*entitled.OBSERVERS_VIEW) as (db, me):
        user = users.find_user(db, *user_ref(user_id), me)
        page = observer_links.observers(db, me, str(user.id), window)
        return call.paged([render_user(linked.user) for linked in page.items], window, page)


def list_observees(call: Call, user_id: str) -> dict:
    window = call.window()
    with call.read(*entitled.OBSERVERS_VIEW) as (db, me):
        user = users.find_user(db, *user_ref(user_id), me)
        page = observer_links.observees(db, me, str(user.id), window)
        return call.paged([render_user(linked.user) for linked in page.items], window, page)


def add_observer(call: Call, user_id: str, observer_id: str) -> dict:
    """Link the observer to the user; answers the observer (201), or 409 when they are linked already."""
    with call.write(*entitled.OBSERVER_CREATE) as (db, me):
        observer, observee = _pair(db, me, user_id, observer_id)
        try:
            observer_links.linked_user(db, me, observer, observee, want_observer=True)
        except NotFound:
            observer_links.link(db, me, observer, observee)
            return call.pick(render_user(users.find_user(db, "id", int(observer), me)))
        raise Conflict("The observer already observes this user")  # the swagger's 409


def remove_observer(call: Call, user_id: str, observer_id: str) -> None:
    with call.write(*entitled.OBSERVER_DELETE) as (db, me):
        observer, observee = _pair(db, me, user_id, observer_id)
        try:
            observer_links.unlink(db, me, observer, observee)
        except NotFound:
            raise NotFound("observer", "Observer not found") from None


_OBSERVER = "/users/{user_id:str}/observers/{observer_id:str}"
ROUTES = [
    *on_versions(get, "/users/{user_id:str}/observers", list_observers, _V1),
    *on_versions(get, "/users/{user_id:str}/observees", list_observees, _V1),
    *on_versions(put, _OBSERVER, add_observer, _V1, status_code=201),
    *on_versions(delete, _OBSERVER, remove_observer, _V1, status_code=204),
]
