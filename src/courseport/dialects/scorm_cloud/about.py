"""`GET /ping` and `GET /about`, and the OAuth token endpoint for scoped application tokens."""

from __future__ import annotations

from courseport import __version__
from courseport.core.identity import scoped_tokens
from courseport.core.kit.errors import InvalidInput
from courseport.db import transaction
from courseport.dialects.scorm_cloud.protocol import Call, get, iso, post
from courseport.schema.base import utcnow

ANY_SCOPE = ("read", "write", "delete", "read:course", "write:course", "delete:course")


@get("/ping")
def ping(call: Call) -> dict:
    with call.read(ANY_SCOPE):
        pass
    return {"apiMessage": "pong", "currentTime": iso(utcnow())}


@get("/about")
def about(call: Call) -> dict:
    with call.read(ANY_SCOPE):
        pass
    return {"version": "2.0", "distribution": f"courseport {__version__}"}


@post("/oauth/authenticate/application/token")
def application_token(call: Call) -> dict:
    form = call.body if isinstance(call.body, dict) else {}
    key, secret = call.basic or (None, None)
    scope, expiration = (_text(form.get(name), name) or call.str(name) for name in ("scope", "expiration"))
    with transaction(call.services.engine, write=False) as db:
        token, seconds = scoped_tokens.issue_token(db, call.services.secret, key, secret, scope, expiration)
    return {"access_token": token, "expires_in": seconds, "token_type": "Bearer"}


def _text(value: object, name: str) -> str | None:
    """A form field as the client sent it; a JSON body's number passes as its text, anything else is refused."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise InvalidInput(name, f"{name} must be text")


ROUTES = [ping, about, application_token]
