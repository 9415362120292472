"""`GET /ping` and `GET /about`, and the OAuth token endpoint for scoped application tokens."""

from __future__ import annotations

from courseport import __version__
from courseport.core.identity import scoped_tokens
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
    with transaction(call.services.engine, write=False) as db:
        token, seconds = scoped_tokens.issue_token(db, call.services.secret, key, secret,
                                                   form.get("scope") or call.str("scope"),
                                                   form.get("expiration") or call.str("expiration"))
    return {"access_token": token, "expires_in": seconds, "token_type": "Bearer"}


ROUTES = [ping, about, application_token]
